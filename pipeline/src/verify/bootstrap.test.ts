import { describe, expect, it } from "vitest";
import { blockBootstrapMean, quantileSorted, wilsonInterval } from "./bootstrap.ts";

describe("quantileSorted", () => {
  it("matches numpy's default (linear) quantiles", () => {
    // numpy.quantile([1,2,3,4], [0.25, 0.5, 0.975]) = [1.75, 2.5, 3.925]
    const a = new Float64Array([1, 2, 3, 4]);
    expect(quantileSorted(a, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted(a, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantileSorted(a, 0.975)).toBeCloseTo(3.925, 12);
  });
});

describe("blockBootstrapMean", () => {
  it("gives a zero-width interval around a constant field, ignoring NaN", () => {
    const v = new Float32Array(32 * 32).fill(0.25);
    v[5] = Number.NaN;
    const r = blockBootstrapMean(v, 32, 32, 8);
    expect(r.mean).toBeCloseTo(0.25, 7);
    expect(r.ci95[0]).toBeCloseTo(0.25, 7);
    expect(r.ci95[1]).toBeCloseTo(0.25, 7);
    expect(r.validCount).toBe(1023);
    expect(r.blocks).toBe(16);
  });

  it("widens the interval for spatially clustered values (blocks of +1 / -1)", () => {
    // Left half +1, right half -1 in 16x16 blocks: mean 0; with only 4 blocks the interval must be wide.
    const v = new Float32Array(32 * 32).map((_, i) => (i % 32 < 16 ? 1 : -1));
    const r = blockBootstrapMean(v, 32, 32, 16, 4000, 7);
    expect(r.mean).toBe(0);
    expect(r.ci95[0]).toBeLessThanOrEqual(-0.5);
    expect(r.ci95[1]).toBeGreaterThanOrEqual(0.5);
  });

  it("returns NaN bounds with fewer than two valid blocks", () => {
    const r = blockBootstrapMean(new Float32Array([Number.NaN, 2]), 2, 1, 8);
    expect(r.mean).toBe(2);
    expect(Number.isNaN(r.ci95[0])).toBe(true);
  });
});

describe("wilsonInterval", () => {
  it("bounds an all-agreeing sample by hand: n = 100, z^2 = 3.841459", () => {
    const [lo1, hi1] = wilsonInterval(1, 100);
    expect(lo1).toBeCloseTo(100 / 103.841459, 7);
    expect(hi1).toBe(1);
    const [lo0, hi0] = wilsonInterval(0, 100);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(3.841459 / 103.841459, 7);
  });

  it("matches the textbook case p = 0.5, n = 20: 0.2993 to 0.7007", () => {
    const [lo, hi] = wilsonInterval(0.5, 20);
    expect(lo).toBeCloseTo(0.2993, 4);
    expect(hi).toBeCloseTo(0.7007, 4);
  });
});
