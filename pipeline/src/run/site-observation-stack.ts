/**
 * Stage: the raw observations behind a year's composite. Per index, one multi-band COG
 * `observations/<year>/<index>.tif`: band k holds the index of the year's k-th scene in
 * (datetime, id) order (band description = the scene's datetime), computed from the scene's
 * masked, harmonised reflectance exactly as the composite's inputs; masked pixels are no-data.
 * A pixel's chart reads one tile per year to show every observation, masked ones as gaps.
 *
 * Stored as int16 with scale 1e-4 and no-data -32768 (indices/scaled-int16.ts); clamped values are
 * counted in the file's metadata and the item.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { computeIndex } from "../indices/compute.ts";
import { INT16_NODATA, INT16_SCALE, int16RasterBand, quantizeInto } from "../indices/scaled-int16.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { assetFor } from "./scene-item.ts";
import type { PendingItem } from "./site-composites.ts";
import type { Observation } from "./site-observations.ts";

/** Writes the year's stacks; returns their item for the catalog stage to write (null without observations). */
export async function writeObservationStacks(
  site: Site,
  grid: Grid,
  year: number,
  obs: Observation[],
  names: string[],
  outDir: string,
): Promise<PendingItem | null> {
  if (!obs.length) return null;
  const dir = join(outDir, "observations", String(year));
  await mkdir(dir, { recursive: true });
  const simulated = obs.some((o) => o.simulated);
  const dates = obs.map((o) => o.datetime);
  const assets: Record<string, CogAsset> = {};
  const clampedPerIndex: Record<string, number> = {};
  for (const name of names) {
    const def = indexByName(name);
    let clamped = 0;
    const bands = obs.map((o) => {
      const q = new Int16Array(grid.width * grid.height);
      clamped += quantizeInto(computeIndex(def, o.bands, o.valid, o.sensor), q);
      return q;
    });
    clampedPerIndex[name] = clamped;
    await writeCog(join(dir, `${name}.tif`), grid, bands, {
      nodata: INT16_NODATA,
      scale: bands.map(() => INT16_SCALE),
      offset: bands.map(() => 0),
      bandDescriptions: dates,
      metadata: {
        REEWATCH_SITE: site.key,
        REEWATCH_YEAR: String(year),
        REEWATCH_PRODUCT: name,
        REEWATCH_SCENES: obs.map((o) => o.sceneId).join(" "),
        REEWATCH_CLAMPED_PIXELS: String(clamped),
        ...(simulated ? { SIMULATED: "true" } : {}),
      },
    });
    const asset = await assetFor(
      dir,
      { name, title: `${def.title}: every observation of ${year}`, range: def.range, colormap: def.colormap, dataType: "int16", unit: def.unit },
      undefined,
    );
    const rasterBands = dates.map((d) => int16RasterBand({ description: d }));
    assets[name] = { ...asset, extra: { "raster:bands": rasterBands } };
  }
  const item = stacItem({
    id: `${site.key}-${year}-observations`,
    grid,
    start: dates[0]!,
    end: dates.at(-1)!,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} ${year}: index values of every scene (band = scene)`,
    assets,
    software: SOFTWARE_VERSION,
    derivedFrom: obs.map((o) => o.inputs[0]!),
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:year": year,
      "reewatch:scenes": obs.map((o) => ({ id: o.sceneId, datetime: o.datetime })),
      "reewatch:clamped_pixels": clampedPerIndex,
    },
  });
  return { path: `observations/${year}/${year}.json`, doc: item };
}
