import { describe, expect, it } from "vitest";
import { align, decimalYear } from "./time-axis.ts";

describe("time axis", () => {
  it("puts an annual composite mid-year and a scene at its day", () => {
    expect(decimalYear("2019")).toBe(2019.5);
    expect(decimalYear("2019-01-14")).toBeCloseTo(2019 + 13 / 365, 12);
    expect(decimalYear("2020-12-31")).toBeCloseTo(2020 + 365 / 366, 12); // leap year
  });

  it("puts an annual composite in the middle of its season window, across the new year too", () => {
    // Bayan Obo, June-September 2019: day 151 (1 June) and day 272 (30 September) of 365.
    expect(decimalYear("2019", { start: "06-01", end: "09-30" })).toBeCloseTo(2019 + (151 / 365 + 272 / 365) / 2, 12);
    // Ganzhou, October 2016 (a leap year: 1 October is day 274 of 366) to 28 February 2017 (day 58 of 365).
    expect(decimalYear("2016", { start: "10-01", end: "02-28" })).toBeCloseTo((2016 + 274 / 366 + 2017 + 58 / 365) / 2, 12);
    // A dated observation ignores the season.
    expect(decimalYear("2016-10-22T02:50:12Z", { start: "10-01", end: "02-28" })).toBeCloseTo(2016 + 295 / 366, 12);
  });

  it("aligns series given at different dates on one x axis (undefined = no value there, null = masked)", () => {
    const { x, cols } = align([
      { xs: [2016.5, 2017.5], cols: [[0.5, null]] },
      { xs: [2016.8], cols: [[0.52]] },
    ]);
    expect(x).toEqual([2016.5, 2016.8, 2017.5]);
    expect(cols).toEqual([
      [0.5, undefined, null],
      [undefined, 0.52, undefined],
    ]);
  });
});
