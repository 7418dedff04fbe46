import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Grid } from "../raster.ts";
import { loadSite } from "../site/site.ts";
import { compositeYear } from "./site-composites.ts";
import type { Observation } from "./site-observations.ts";

const out = mkdtempSync(join(tmpdir(), "reewatch-composite-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const grid: Grid = { crs: "EPSG:32650", transform: [30, 0, 500000, 0, -30, 2750000], width: 8, height: 8 };

/** A Landsat 8 observation: a vegetated west half, a bare east half; warmer where bare. */
function observation(day: number, thermal: boolean): Observation {
  const n = 64;
  const band = (veg: number, bare: number) => Float32Array.from({ length: n }, (_, i) => (i % 8 < 4 ? veg : bare) + 0.001 * (i % 3));
  const bands: Record<string, Float32Array> = {
    B: band(0.03, 0.12),
    G: band(0.06, 0.15),
    R: band(0.04, 0.2),
    N: band(0.35, 0.25),
    S1: band(0.18, 0.32),
    S2: band(0.09, 0.28),
  };
  if (thermal) bands.T = Float32Array.from({ length: n }, (_, i) => (i % 8 < 4 ? 295 : 310) + (i % 5) * 0.2);
  return {
    sceneId: `LC08_${day}`,
    sensor: "landsat-8",
    datetime: `2020-07-${String(day).padStart(2, "0")}T03:00:00Z`,
    simulated: true,
    bands,
    valid: new Uint8Array(n).fill(1),
    maskedFraction: 0,
    inputs: [],
    nirBand: "SR_B5",
    harmonization: "none",
  };
}

describe("RSEI heat from Landsat surface temperature", () => {
  it("uses LST when every observation of the year has a thermal band, and loads it negatively", async () => {
    const site = await loadSite("ganzhou");
    const { item } = await compositeYear({
      site,
      grid,
      year: 2020,
      obs: [1, 9, 17].map((d) => observation(d, true)),
      outDir: join(out, "t"),
      extraIndices: [],
      sensor: "landsat-8",
    });
    expect(item.path).toBe("composites/2020/2020.json");
    const rsei = (item.doc.properties as Record<string, { label: string; components: string[]; loadings: number[] }>)["reewatch:rsei"]!;
    expect(rsei.label).toBe("RSEI (NDVI, wetness, NDBSI, LST)");
    expect(rsei.components).toContain("lst");
    expect(rsei.loadings[rsei.components.indexOf("lst")]).toBeLessThan(0);
  });

  it("says so when a year has no thermal band", async () => {
    const site = await loadSite("ganzhou");
    const { item } = await compositeYear({
      site,
      grid,
      year: 2020,
      obs: [observation(1, true), observation(9, false)],
      outDir: join(out, "s"),
      extraIndices: [],
      sensor: "landsat-8",
    });
    const props = item.doc.properties as Record<string, { label: string }>;
    expect(props["reewatch:rsei"]!.label).toMatch(/without LST/);
  });
});
