import { describe, expect, it } from "vitest";
import { classAreasKm2, zoneStats } from "./zonal.ts";

describe("zoneStats", () => {
  it("computes mean and numpy-style percentiles inside the zone only", () => {
    const values = new Float32Array([1, 2, 3, 4, 5, 100, Number.NaN, 7]);
    const zone = new Uint8Array([1, 1, 1, 1, 1, 0, 1, 0]);
    // In zone: 1..5 valid, one NaN. mean 3; numpy.percentile([1,2,3,4,5],[10,50,90]) = [1.4, 3, 4.6]
    expect(zoneStats(values, zone)).toEqual({
      mean: 3,
      p10: 1.4,
      p50: 3,
      p90: 4.6,
      count: 5,
      validFraction: 0.833333,
    });
  });

  it("reports an empty zone as nulls with zero count", () => {
    expect(zoneStats(new Float32Array([Number.NaN]), new Uint8Array([1]))).toEqual({
      mean: null,
      p10: null,
      p50: null,
      p90: null,
      count: 0,
      validFraction: 0,
    });
  });
});

describe("classAreasKm2", () => {
  it("turns pixel counts into km2 (20 m pixels: 400 m2 each)", () => {
    const classes = new Uint8Array([1, 1, 2, 4, 4, 4, 0, 3]);
    const zone = new Uint8Array([1, 1, 1, 1, 1, 0, 1, 1]);
    const a = classAreasKm2(classes, zone, 400, {
      1: "stable",
      2: "disturbed",
      3: "recovering",
      4: "restored",
    });
    expect(a).toEqual({ stable: 0.0008, disturbed: 0.0004, recovering: 0.0004, restored: 0.0008 });
  });
});
