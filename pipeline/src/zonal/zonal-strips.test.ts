import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random.ts";
import type { Grid } from "../raster.ts";
import { classAreasKm2, classAreasOf, zoneStats } from "./zonal.ts";
import { classCountsInStrips, zoneStatsInStrips } from "./zonal-strips.ts";

const grid = (width: number, height: number): Grid => ({ crs: "EPSG:32650", transform: [10, 0, 0, 0, -10, 0], width, height });

/** A strip reader over an in-memory raster, counting the strips it served. */
function stripsOf<T extends Float32Array | Uint8Array>(values: T, width: number) {
  const served = { strips: 0 };
  const read = async (y0: number, rows: number) => {
    served.strips++;
    return values.slice(y0 * width, (y0 + rows) * width) as T;
  };
  return { read, served };
}

describe("zone statistics in strips", () => {
  it("gives numpy's percentiles of a hand-made zone read in 1-row strips", async () => {
    // the zoneStats case: in zone 1..5 and a NaN; numpy.percentile([1,2,3,4,5],[10,50,90]) = [1.4, 3, 4.6]
    const values = new Float32Array([1, 2, 3, 4, 5, 100, Number.NaN, 7]);
    const zone = new Uint8Array([1, 1, 1, 1, 1, 0, 1, 0]);
    const [stats] = await zoneStatsInStrips(stripsOf(values, 2).read, [zone], grid(2, 4), 1);
    expect(stats).toEqual({ mean: 3, p10: 1.4, p50: 3, p90: 4.6, count: 5, validFraction: 0.833333 });
  });

  it("equals the whole-array statistics for any strip height, with ties, signed zeros, NaN and empty zones", async () => {
    const [w, h] = [23, 17];
    const rand = mulberry32(7);
    // values from a small set (many ties, both zeros) and a wide spread (values sharing high bits)
    const values = Float32Array.from({ length: w * h }, (_, i) => {
      const u = rand();
      if (u < 0.05) return Number.NaN;
      if (u < 0.1) return i % 2 ? 0 : -0;
      if (u < 0.4) return Math.round(u * 10) / 10 - 0.25;
      return (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3);
    });
    const zones = [
      Uint8Array.from(values, () => 1),
      Uint8Array.from(values, () => (rand() < 0.3 ? 1 : 0)),
      Uint8Array.from(values, (_, i) => (i === 40 ? 1 : 0)),
      new Uint8Array(w * h),
    ];
    const expected = zones.map((z) => zoneStats(values, z));
    for (const rows of [1, 3, 7, h]) {
      const { read, served } = stripsOf(values, w);
      expect(await zoneStatsInStrips(read, zones, grid(w, h), rows)).toEqual(expected);
      expect(served.strips).toBe(2 * Math.ceil(h / rows)); // two passes over the strips
    }
  });

  it("counts class areas strip by strip as over the whole raster", async () => {
    const [w, h] = [9, 11];
    const rand = mulberry32(3);
    const classes = Uint8Array.from({ length: w * h }, () => Math.floor(rand() * 5));
    const zone = Uint8Array.from(classes, () => (rand() < 0.6 ? 1 : 0));
    const names = { 1: "stable", 2: "disturbed", 3: "recovering", 4: "restored" };
    const [counts] = await classCountsInStrips(stripsOf(classes, w).read, [zone], grid(w, h), 4);
    expect(classAreasOf(counts!, 100, names)).toEqual(classAreasKm2(classes, zone, 100, names));
  });
});
