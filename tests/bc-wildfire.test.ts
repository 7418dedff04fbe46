/**
 * Real annual composites around the 2006 British Columbia wildfire (samples/landsat-annual-bc-
 * wildfire-2002-2011): the mean NBR of the restoration site read by our reader must match the
 * figures in SOURCE.txt, and the segmentation must date the loss to the fire.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rasterizeRings } from "../pipeline/src/aoi/aoi.ts";
import { greatestDisturbance, segment } from "../pipeline/src/change/segment.ts";
import { theilSenMannKendall } from "../pipeline/src/change/trend.ts";
import { openGeoTiff, readWhole } from "../pipeline/src/read/geotiff.ts";

const DIR = "samples/landsat-annual-bc-wildfire-2002-2011";
const YEARS = [2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011];

/** Mean NBR per year over the restoration-site polygon, or over the whole clip. */
async function meanNbr(where: "site" | "clip"): Promise<number[]> {
  const t = await openGeoTiff(`${DIR}/2002.tif`);
  const grid = t.grid!;
  await t.close();
  // The polygon is in the rasters' own CRS (EPSG:26910): rasterise it directly.
  const fc = JSON.parse(readFileSync(`${DIR}/bc06_wildfire_restoration_site.geojson`, "utf8"));
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const mask = where === "site" ? rasterizeRings(fc.features[0].geometry.coordinates, grid, all) : new Uint8Array(grid.width * grid.height).fill(1);
  const out: number[] = [];
  for (const y of YEARS) {
    const [nir, swir2] = await readWhole(`${DIR}/${y}.tif`, [3, 5]);
    let s = 0;
    let n = 0;
    for (let i = 0; i < mask.length; i++) {
      const v = (nir![i]! - swir2![i]!) / (nir![i]! + swir2![i]!);
      if (mask[i] && Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    out.push(s / n);
  }
  return out;
}

describe("BC 2006 wildfire, real annual composites", () => {
  it("reads the clip's mean NBR the source documents (0.65 in 2002, 0.57 in 2005, 0.51 in 2007, 0.59 in 2009)", async () => {
    const nbr = await meanNbr("clip");
    expect(nbr[0]).toBeCloseTo(0.65, 2);
    expect(nbr[3]).toBeCloseTo(0.57, 2);
    expect(nbr[5]).toBeCloseTo(0.51, 2);
    expect(nbr[7]).toBeCloseTo(0.59, 2);
  });

  it("dates the restoration site's greatest loss to the fire and finds the recovery after it", async () => {
    const nbr = await meanNbr("site");
    const s = segment(
      YEARS,
      nbr.map((v) => -v),
    )!;
    const d = greatestDisturbance(s, 0.03)!;
    expect(d.year).toBeGreaterThanOrEqual(2005);
    expect(d.year).toBeLessThanOrEqual(2007);
    const after = theilSenMannKendall(YEARS.slice(5, 9), nbr.slice(5, 9));
    expect(after.slope).toBeGreaterThan(0);
  });
});
