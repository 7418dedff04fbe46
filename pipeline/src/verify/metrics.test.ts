/**
 * Claim metrics on a small in-memory run whose strata are all sampled in full (a census), so the
 * stratified estimate must equal the reference count exactly, with no sampling error.
 */
import { describe, expect, it } from "vitest";
import type { Grid } from "../raster.ts";
import type { TruthLabels } from "../run/truth-labels.ts";
import type { Site } from "../site/site.ts";
import type { Claim } from "./claim.ts";
import { measure } from "./metrics.ts";
import type { RunData } from "./run-data.ts";

// 10 x 20 px of 100 m: 0.01 km2 a pixel.
const grid: Grid = { crs: "EPSG:32650", transform: [100, 0, 500000, 0, -100, 2750000], width: 10, height: 20 };
const n = 200;
// Map: rows 0-4 disturbed in 2019 (50 px), rows 5-11 in 2010 (70 px), rows 12-19 never (80 px).
const dy = Float32Array.from({ length: n }, (_, i) => (i < 50 ? 2019 : i < 120 ? 2010 : 0));
// Truth: 30 of the first 50, 7 of the next 70 and 8 of the last 80 were disturbed in 2019.
const eventYear = Int16Array.from({ length: n }, (_, i) => (i < 30 || (i >= 50 && i < 57) || (i >= 120 && i < 128) ? 2019 : 0));

function run(): RunData {
  const truth: TruthLabels = { eventYear, veg: new Map(), classAt: () => 1 };
  return {
    dir: "memory",
    site: { changeIndex: "nbr", minMagnitude: 0.08 } as Site,
    grid,
    years: [2016, 2024],
    dates: [],
    maskedFraction: {},
    zonal: [],
    runJson: {},
    truth,
    file: (ref) => ("change" in ref ? `change/${ref.change}.tif` : `composites/${ref.composite}/${ref.product}.tif`),
    raster: async (rel) => {
      if (rel === "change/disturbance_year.tif") return dy;
      throw new Error(`no ${rel}`);
    },
    bands: async () => [],
  };
}

describe("claim metrics", () => {
  it("a disturbed area sampled in full is the reference count, with no sampling error (finite population correction)", async () => {
    const zone = new Uint8Array(n).fill(1);
    const m = await measure({ metric: "disturbed_area_km2" } as Claim, run(), zone, 2018, 2020, 1);
    // 30 + 7 + 8 = 45 px of 0.01 km2 in the reference; 50 px mapped.
    expect(m.measured.value).toBeCloseTo(0.45, 10);
    expect(m.measured.ci95[0]).toBeCloseTo(0.45, 10);
    expect(m.measured.ci95[1]).toBeCloseTo(0.45, 10);
    expect(m.mappedValue).toBeCloseTo(0.5, 10);
    expect(m.validCount).toBe(200);
  });

  it("only the zone's pixels count", async () => {
    // The zone is the first 100 pixels: 50 mapped in the period (30 true) and 50 of the 2010 stratum (7 true).
    const zone = Uint8Array.from({ length: n }, (_, i) => (i < 100 ? 1 : 0));
    const m = await measure({ metric: "disturbed_area_km2" } as Claim, run(), zone, 2018, 2020, 1);
    expect(m.measured.value).toBeCloseTo(0.37, 10);
    expect(m.mappedValue).toBeCloseTo(0.5, 10);
  });
});
