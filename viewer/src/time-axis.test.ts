import { describe, expect, it } from "vitest";
import { align, decimalYear } from "./time-axis.ts";

describe("time axis", () => {
  it("puts an annual composite mid-year and a scene at its day", () => {
    expect(decimalYear("2019")).toBe(2019.5);
    expect(decimalYear("2019-01-14")).toBeCloseTo(2019 + 13 / 365, 12);
    expect(decimalYear("2020-12-31")).toBeCloseTo(2020 + 365 / 366, 12); // leap year
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
