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
import { type CogOptions, CogWriter, Inflight } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { assetFor } from "./scene-item.ts";
import type { PendingItem } from "./site-composites.ts";
import type { Observation } from "./site-observations.ts";

/** The scenes of a year as the stacks need them: the scene order is the band order. */
export type StackScene = Pick<Observation, "sceneId" | "datetime" | "simulated" | "inputs">;

/** One strip of a scene: its bands and valid mask, and its sensor (for the index formulas). */
export type StackStrip = Pick<Observation, "bands" | "valid" | "sensor">;

/** Writes a year's stacks strip by strip (full-width row ranges of the site grid, in order). */
export class ObservationStackWriter {
  private readonly clamped: Record<string, number> = {};

  private constructor(
    private readonly site: Site,
    private readonly grid: Grid,
    private readonly year: number,
    private readonly dir: string,
    private readonly scenes: StackScene[],
    private readonly writers: Map<string, CogWriter>,
  ) {
    for (const name of writers.keys()) this.clamped[name] = 0;
  }

  /** null without scenes (no stacks to write). */
  static async open(site: Site, grid: Grid, year: number, scenes: StackScene[], names: string[], outDir: string): Promise<ObservationStackWriter | null> {
    if (!scenes.length) return null;
    const dir = join(outDir, "observations", String(year));
    await mkdir(dir, { recursive: true });
    const writers = new Map<string, CogWriter>();
    const inflight = new Inflight();
    try {
      for (const name of names)
        writers.set(
          name,
          await CogWriter.create(join(dir, `${name}.tif`), grid, "int16", scenes.length, { ...stackOptions(site, year, scenes, name), inflight }),
        );
    } catch (err) {
      for (const w of writers.values()) await w.abort();
      throw err;
    }
    return new ObservationStackWriter(site, grid, year, dir, scenes, writers);
  }

  /** Rows starting at y0: one strip per scene, in the year's scene order. */
  async addStrip(y0: number, strips: StackStrip[]): Promise<void> {
    for (const [name, w] of this.writers) {
      const def = indexByName(name);
      const bands = strips.map((o) => {
        const q = new Int16Array(o.valid.length);
        this.clamped[name]! += quantizeInto(computeIndex(def, o.bands, o.valid, o.sensor), q);
        return q;
      });
      await w.writeRows(y0, bands);
    }
  }

  /** Closes the stacks (with their clamped counts) and returns their item for the catalog stage. */
  async finish(): Promise<PendingItem> {
    const { dir, scenes } = this;
    const dates = scenes.map((o) => o.datetime);
    const assets: Record<string, CogAsset> = {};
    for (const [name, w] of this.writers) {
      await w.finish({ REEWATCH_CLAMPED_PIXELS: String(this.clamped[name]) });
      const def = indexByName(name);
      const asset = await assetFor(
        dir,
        { name, title: `${def.title}: every observation of ${this.year}`, range: def.range, colormap: def.colormap, dataType: "int16", unit: def.unit },
        undefined,
      );
      const rasterBands = dates.map((d) => int16RasterBand({ description: d }));
      assets[name] = { ...asset, extra: { "raster:bands": rasterBands } };
    }
    return stackItem(this.site, this.grid, this.year, scenes, assets, this.clamped);
  }

  async abort(): Promise<void> {
    for (const w of this.writers.values()) await w.abort();
  }
}

/** A stack's COG options; its clamped count is filled in when it is finished. */
function stackOptions(site: Site, year: number, scenes: StackScene[], name: string): CogOptions {
  return {
    nodata: INT16_NODATA,
    scale: scenes.map(() => INT16_SCALE),
    offset: scenes.map(() => 0),
    bandDescriptions: scenes.map((o) => o.datetime),
    metadata: {
      REEWATCH_SITE: site.key,
      REEWATCH_YEAR: String(year),
      REEWATCH_PRODUCT: name,
      REEWATCH_SCENES: scenes.map((o) => o.sceneId).join(" "),
      REEWATCH_CLAMPED_PIXELS: "0",
      ...(scenes.some((o) => o.simulated) ? { SIMULATED: "true" } : {}),
    },
  };
}

function stackItem(
  site: Site,
  grid: Grid,
  year: number,
  obs: StackScene[],
  assets: Record<string, CogAsset>,
  clampedPerIndex: Record<string, number>,
): PendingItem {
  const simulated = obs.some((o) => o.simulated);
  const dates = obs.map((o) => o.datetime);
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
