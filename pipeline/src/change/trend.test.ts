import { describe, expect, it } from "vitest";
import { fSurvival, phi } from "./stats-dist.ts";
import { theilSenMannKendall } from "./trend.ts";

describe("Theil-Sen and Mann-Kendall, by hand", () => {
  it("n = 5 with one outlier: slope is the median pairwise slope", () => {
    // x = 1, 2, 3, 4, 50 at t = 0..4. Pairwise slopes: 1,1,1,49/... ; all 10 pair differences positive -> S = 10.
    // Slopes: (0,1)1 (0,2)1 (0,3)1 (0,4)12.25 (1,2)1 (1,3)1 (1,4)16 (2,3)1 (2,4)23.5 (3,4)46 -> sorted median of 10 = 1.
    // Var(S) = 5*4*15/18 = 16.6667; Z = (10-1)/4.0825 = 2.2045; p = 2(1 - Phi(2.2045)) = 0.02749.
    const r = theilSenMannKendall([0, 1, 2, 3, 4], [1, 2, 3, 4, 50]);
    expect(r.slope).toBe(1);
    expect(r.s).toBe(10);
    expect(r.z).toBeCloseTo(9 / Math.sqrt(50 / 3), 6);
    expect(r.p).toBeCloseTo(0.02749, 4);
  });

  it("handles ties in the variance (Kendall's correction)", () => {
    // x = 1, 1, 2, 2, 3: S counts: pairs (1,1) 0; vs 2s: 4 positive; vs 3: 2; (2,2) 0; 2s vs 3: 2 -> S = 8.
    // Tie groups: two of size 2 -> sum t(t-1)(2t+5) = 2*(2*1*9) = 36; Var = (5*4*15 - 36)/18 = 14.6667.
    const r = theilSenMannKendall([1, 2, 3, 4, 5], [1, 1, 2, 2, 3]);
    expect(r.s).toBe(8);
    expect(r.z).toBeCloseTo(7 / Math.sqrt(264 / 18), 6);
    expect(r.slope).toBe(0.5); // pairwise slopes sorted: 0,0,1/3,0.5,0.5,0.5,0.5,2/3,1,1 -> median 0.5
  });

  it("copes with tiny and flat samples and skips NaN", () => {
    expect(theilSenMannKendall([0, 1], [2, 4])).toMatchObject({ slope: 2, s: 1, n: 2 });
    const flat = theilSenMannKendall([0, 1, 2, 3], [5, 5, 5, 5]);
    expect(flat.slope).toBe(0);
    expect(flat.z).toBe(0);
    expect(flat.p).toBeCloseTo(1, 6);
    expect(theilSenMannKendall([0, 1, 2], [Number.NaN, 1, 3]).n).toBe(2);
    expect(theilSenMannKendall([0], [1]).slope).toBeNaN();
  });
});

describe("distribution functions", () => {
  it("match tabulated values", () => {
    expect(phi(1.96)).toBeCloseTo(0.975002, 5);
    expect(phi(-1)).toBeCloseTo(0.158655, 5);
    // F(2, 10): the 0.05 critical value is 4.1028 (standard F tables).
    expect(fSurvival(4.1028, 2, 10)).toBeCloseTo(0.05, 4);
    // F(1, 5) critical value at 0.01 is 16.258.
    expect(fSurvival(16.258, 1, 5)).toBeCloseTo(0.01, 4);
  });
});
