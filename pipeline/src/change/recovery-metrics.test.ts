import { describe, expect, it } from "vitest";
import { deltaIndexRegrowth, NEVER_RECOVERED, r80p, recoveryMetrics, relativeRecoveryIndex, valueAt, yearOnYear, yearsToRecovery } from "./recovery-metrics.ts";

// A burn in 2003 and regrowth: d = 2002, r = 2003, t = 5, P = 80, target 0.75 (0.8 * 0.75 = 0.6).
const YEARS = [2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010];
const X = [0.7, 0.8, 0.78, 0.2, 0.3, 0.4, 0.5, 0.58, 0.62, 0.66, 0.7];
const P = { disturbanceYear: 2002, restorationYear: 2003, timestep: 5, percent: 80 };

describe("recovery metrics by hand", () => {
  it("follow the definitions on a regrowth series", () => {
    const m = recoveryMetrics(X, YEARS, 0.75, P);
    expect(m.dir).toBeCloseTo(0.62 - 0.2, 12); // x(2008) - x(2003)
    expect(m.yryr).toBeCloseTo(0.42 / 5, 12);
    expect(m.r80p).toBeCloseTo(0.62 / 0.6, 12);
    expect(m.y2r).toBe(5); // 2008 is the first year >= 0.6
    expect(m.rri).toBeCloseTo((0.62 - 0.2) / (0.78 - 0.2), 12); // max(x(2007), x(2008)) = 0.62
  });

  it("reads a missing year as NaN", () => {
    expect(valueAt(X, YEARS, 1999)).toBeNaN();
    expect(deltaIndexRegrowth(X, YEARS, 2008, 5)).toBeNaN(); // 2013 is past the series
    expect(yearOnYear(X, YEARS, 2003, 0)).toBeNaN();
  });

  it("Y2R: 0 when recovered in year r, -9999 never, NaN when every year from r on is NaN", () => {
    expect(yearsToRecovery([0.1, 0.7, 0.2], [2000, 2001, 2002], 2001, 0.75, 80)).toBe(0);
    expect(yearsToRecovery([0.9, 0.2, 0.3], [2000, 2001, 2002], 2001, 0.75, 80)).toBe(NEVER_RECOVERED);
    expect(yearsToRecovery([0.9, Number.NaN, Number.NaN], [2000, 2001, 2002], 2001, 0.75, 80)).toBeNaN();
    // A NaN in year r does not stop the count: years are counted from r.
    expect(yearsToRecovery([0.9, Number.NaN, 0.65], [2000, 2001, 2002], 2001, 0.75, 80)).toBe(1);
    // The count is in calendar years even when a year is missing from the series.
    expect(yearsToRecovery([0.2, 0.3, 0.7], [2000, 2001, 2004], 2000, 0.75, 80)).toBe(4);
    expect(yearsToRecovery(X, YEARS, 2003, Number.NaN, 80)).toBeNaN();
  });

  it("R80P and RRI give NaN for zero denominators, never Inf", () => {
    expect(r80p(X, YEARS, 2003, 5, 0, 80)).toBeNaN();
    expect(relativeRecoveryIndex([0.5, 0.5, 0.6, 0.7], [2000, 2001, 2002, 2003], 2000, 2001, 2)).toBeNaN(); // x(d) = x(r)
  });

  it("RRI takes the year r+t-1 when r+t is NaN, and needs t >= 1", () => {
    const x = [0.8, 0.2, 0.5, Number.NaN];
    const y = [2000, 2001, 2002, 2003];
    expect(relativeRecoveryIndex(x, y, 2000, 2001, 2)).toBeCloseTo((0.5 - 0.2) / (0.8 - 0.2), 12);
    expect(relativeRecoveryIndex(x, y, 2000, 2001, 0)).toBeNaN();
  });

  it("percent scales the recovery level", () => {
    expect(r80p(X, YEARS, 2003, 5, 0.75, 100)).toBeCloseTo(0.62 / 0.75, 12);
    expect(yearsToRecovery(X, YEARS, 2003, 0.75, 100)).toBe(NEVER_RECOVERED); // never reaches 0.75 after 2003
    expect(yearsToRecovery(X, YEARS, 2003, 0.75, 50)).toBe(2); // 0.4 >= 0.375 in 2005
  });
});
