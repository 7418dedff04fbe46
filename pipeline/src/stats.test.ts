import { describe, expect, it } from "vitest";
import { RunningStats } from "./stats.ts";

describe("RunningStats", () => {
  it("matches the textbook population statistics across blocks, ignoring NaN", () => {
    const s = new RunningStats();
    s.add(new Float32Array([2, 4, Number.NaN]));
    s.add(new Float32Array([4, 4, 5, 5, 7, 9]));
    // 2,4,4,4,5,5,7,9: mean 5, population SD 2 (the classic example); 8 valid of 9.
    expect(s.summary()).toEqual({ minimum: 2, maximum: 9, mean: 5, stddev: 2, valid_percent: 88.888889 });
  });

  it("has no summary when every value is NaN", () => {
    const s = new RunningStats();
    s.add(new Float32Array([Number.NaN, Number.NaN]));
    expect(s.summary()).toBeUndefined();
    expect(s.total).toBe(2);
  });
});
