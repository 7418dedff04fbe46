import { describe, expect, it } from "vitest";
import { changeMaps, lossSign } from "./pixel-change.ts";

const YEARS = Array.from({ length: 12 }, (_, k) => 2000 + k);

/** One Float32Array per year from per-pixel series. */
const stackOf = (...pixels: number[][]) => YEARS.map((_, k) => Float32Array.from(pixels, (p) => p[k]!));

describe("per-pixel change maps", () => {
  it("orients loss positive: NBR and NDVI fall with loss, BSI rises", () => {
    expect(lossSign("nbr")).toBe(-1);
    expect(lossSign("NDVI")).toBe(-1);
    expect(lossSign("bsi")).toBe(1);
    expect(() => lossSign("ndwi")).toThrow(/--index ndwi: no vegetation-loss direction/);
  });

  it("dates a clean NBR step to its first disturbed year, magnitude pre minus post", () => {
    const step = YEARS.map((y) => (y < 2006 ? 0.8 : 0.3));
    const flat = YEARS.map(() => 0.6);
    const allNaN = YEARS.map(() => Number.NaN);
    const m = changeMaps(YEARS, stackOf(step, flat, allNaN, step), -1, Uint8Array.from([1, 1, 1, 0]), 0.15);
    expect(m.disturbanceYear[0]).toBe(2006);
    expect(m.magnitude[0]).toBeCloseTo(0.5, 2);
    expect(m.preValue[0]).toBeCloseTo(0.8, 2);
    expect(m.fitted[0]![0]).toBeCloseTo(0.8, 2); // fitted values are back in NBR units
    expect(m.disturbanceYear[1]).toBe(0);
    expect(m.magnitude[1]).toBeNaN();
    expect(m.slope[1]).toBe(0);
    // no values: not segmented; outside the mask: untouched
    expect(m.rmse[2]).toBeNaN();
    expect(m.slope[2]).toBeNaN();
    expect(m.disturbanceYear[3]).toBe(0);
    expect(m.rmse[3]).toBeNaN();
  });

  it("a rise of BSI is a loss", () => {
    const rise = YEARS.map((y) => (y < 2004 ? 0.0 : 0.4));
    const m = changeMaps(YEARS, stackOf(rise), 1, Uint8Array.from([1]), 0.15);
    expect(m.disturbanceYear[0]).toBe(2004);
    expect(m.magnitude[0]).toBeCloseTo(0.4, 2);
  });
});
