import { describe, expect, it } from "vitest";
import { stratifiedShare } from "./stratified-share.ts";

describe("stratified share of a reference class", () => {
  it("weights each stratum's hit rate and sums the variance terms (by hand)", () => {
    // W = 0.2, 0.8; hit rates 45/50 = 0.9 and 5/100 = 0.05.
    const s = stratifiedShare([
      { weight: 0.2, n: 50, hits: 45 },
      { weight: 0.8, n: 100, hits: 5 },
    ]);
    expect(s.p).toBeCloseTo(0.2 * 0.9 + 0.8 * 0.05, 12);
    const v = (0.04 * 0.9 * 0.1) / 49 + (0.64 * 0.05 * 0.95) / 99;
    expect(s.se).toBeCloseTo(Math.sqrt(v), 12);
    // Kish: 1 / (0.04 / 50 + 0.64 / 100) = 138.888...
    expect(s.nEff).toBeCloseTo(1 / (0.04 / 50 + 0.64 / 100), 9);
  });

  it("gives the pooled count as the effective size under proportional allocation", () => {
    const s = stratifiedShare([
      { weight: 0.25, n: 25, hits: 25 },
      { weight: 0.75, n: 75, hits: 75 },
    ]);
    expect(s.p).toBe(1);
    expect(s.se).toBe(0);
    expect(s.nEff).toBeCloseTo(100, 9);
  });

  it("a census stratum (fpc 0) adds no variance", () => {
    const s = stratifiedShare([
      { weight: 0.5, n: 4, hits: 2, fpc: 0 },
      { weight: 0.5, n: 10, hits: 5 },
    ]);
    expect(s.se).toBeCloseTo(Math.sqrt((0.25 * 0.25) / 9), 12);
  });
});
