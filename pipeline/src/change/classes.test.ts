import { describe, expect, it } from "vitest";
import { bareLevel, classOfYear, preDisturbanceMean, recoveryShare } from "./classes.ts";

describe("change classes by hand", () => {
  // pre 0.7, bare 0.1: rho = (x - 0.1) / 0.6
  it("rho is the share of the former cover above bare ground", () => {
    expect(recoveryShare(0.4, 0.7, 0.1)).toBeCloseTo(0.5, 12);
    expect(recoveryShare(0.1, 0.7, 0.1)).toBe(0);
  });

  it("classes: stable before the onset, then disturbed / recovering / restored by rho", () => {
    expect(classOfYear(0.2, false, 0.7, 0.1)).toBe(1);
    expect(classOfYear(0.3, true, 0.7, 0.1)).toBe(2); // rho 0.333
    expect(classOfYear(0.4, true, 0.7, 0.1)).toBe(3); // rho 0.5 exactly: recovering
    expect(classOfYear(0.57, true, 0.7, 0.1)).toBe(3); // rho 0.783
    expect(classOfYear(0.58, true, 0.7, 0.1)).toBe(4); // rho 0.8 exactly: restored
    expect(classOfYear(Number.NaN, true, 0.7, 0.1)).toBe(0);
  });

  it("a pixel whose former cover was within 0.05 of bare ground stays disturbed", () => {
    expect(classOfYear(0.9, true, 0.15, 0.1)).toBe(2);
    expect(classOfYear(0.9, true, Number.NaN, 0.1)).toBe(2);
  });

  it("NDVI_pre is the mean of the finite values before the onset", () => {
    expect(preDisturbanceMean([0.6, Number.NaN, 0.8, 0.1], [2000, 2001, 2002, 2003], 2003)).toBeCloseTo(0.7, 12);
    expect(preDisturbanceMean([0.6, 0.8], [2000, 2001], 2000)).toBeNaN();
  });

  it("bare level: lower order statistic of every stride-th pixel inside the mask", () => {
    const a = Float32Array.from([0.5, 9, 9, 0.25, 9, 9]);
    const b = Float32Array.from([0.75, 9, 9, Number.NaN, 9, 9]);
    // sampled: pixels 0 and 3 of both years -> [0.25, 0.5, 0.75]; q = 0.5 -> index floor(0.5 * 2) = 1
    expect(bareLevel([a, b], Uint8Array.from([1, 1, 1, 1, 1, 1]), 0.5)).toBe(0.5);
    expect(bareLevel([a], Uint8Array.from([0, 1, 1, 0, 1, 1]))).toBe(0);
  });
});
