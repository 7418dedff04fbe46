/**
 * Stage: change and recovery over a site's composites, strip by strip. Two site-wide levels come
 * first, from one pass over the years' NDVI strips: the bare-soil level (a sample of every third
 * pixel: classes.ts) and the control zones' target (from the control pixels only). The second pass
 * reads each strip of every year's NDVI and change index back from the composites' COGs, runs the
 * per-pixel change, classes and recovery (site-change.ts) and feeds the change COGs' writers. So
 * memory holds strips, the AOI's masks and the bare level's sample, not years x AOI arrays.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BareLevelSample } from "../change/classes.ts";
import { referenceTarget } from "../change/recovery-target.ts";
import { strips, wholeWindow } from "../grid.ts";
import type { Grid } from "../raster.ts";
import { type GeoTiff, openForStrips } from "../read/geotiff.ts";
import type { Site } from "../site/site.ts";
import type { CogAsset } from "../write/stac.ts";
import { ProductWriters } from "./product-table.ts";
import { changeOfPixels, type RecoveryTargetInfo, recoveryTargetInfo } from "./site-change.ts";
import { changeRows } from "./site-outputs.ts";

/** What the change item says besides its assets. */
export interface ChangeSummary {
  years: number[];
  bareNdvi: number;
  recoveryTarget: RecoveryTargetInfo;
  assets: Record<string, CogAsset>;
}

export interface ChangeStripsOptions {
  site: Site;
  grid: Grid;
  out: string;
  years: number[];
  aoi: Uint8Array;
  /** The control zones' masks (whole grid). */
  controls: readonly Uint8Array[];
  rows: number;
  metadata: Record<string, string>;
}

/** The years' NDVI and change-index COGs, open for strip reads. */
interface YearStacks {
  ndvi: GeoTiff[];
  chg: GeoTiff[];
}

export async function changeInStrips(o: ChangeStripsOptions): Promise<ChangeSummary> {
  const stacks = await openStacks(o);
  try {
    const levels = await siteLevels(o, stacks);
    return await changePass(o, stacks, levels);
  } finally {
    for (const t of new Set([...stacks.ndvi, ...stacks.chg])) await t.close();
  }
}

async function openStacks(o: ChangeStripsOptions): Promise<YearStacks> {
  const open = (name: string) => Promise.all(o.years.map((y) => openForStrips(join(o.out, "composites", String(y), `${name}.tif`))));
  const ndvi = await open("ndvi");
  return { ndvi, chg: o.site.changeIndex === "ndvi" ? ndvi : await open(o.site.changeIndex) };
}

/** Rows y0 .. y0 + h - 1 of every year of a stack. */
async function readStrip(stack: GeoTiff[], grid: Grid, y0: number, h: number): Promise<Float32Array[]> {
  const win = { x: 0, y: y0, width: grid.width, height: h };
  return Promise.all(stack.map(async (t) => (await t.read(win, [0]))[0] as Float32Array));
}

/** Pass 1: the bare level and the control zones' target (null without a non-empty control zone). */
async function siteLevels(o: ChangeStripsOptions, stacks: YearStacks): Promise<{ bare: number; target: number | null }> {
  const { grid, aoi, years } = o;
  const used = o.controls.filter((m) => m.some((v) => v));
  const bare = new BareLevelSample();
  // the control pixels' NDVI, in pixel order: the target's medians see exactly these (recovery-target.ts)
  const controlNdvi: number[][] = years.map(() => []);
  const controlMasks: number[][] = used.map(() => []);
  for (const { y: y0, height: h } of strips(wholeWindow(grid), o.rows)) {
    const at = y0 * grid.width;
    const ndvi = await readStrip(stacks.ndvi, grid, y0, h);
    const mask = aoi.subarray(at, at + grid.width * h);
    for (const a of ndvi) bare.add(a, mask, at);
    for (let i = 0; i < mask.length; i++) {
      if (!used.some((m) => m[at + i])) continue;
      for (const [k, a] of ndvi.entries()) controlNdvi[k]!.push(a[i]!);
      for (const [c, m] of used.entries()) controlMasks[c]!.push(m[at + i]!);
    }
  }
  const window: [number, number] = [years[0]!, years.at(-1)!];
  const stack = controlNdvi.map((v) => Float32Array.from(v));
  const target = used.length
    ? referenceTarget(
        stack,
        years,
        window,
        controlMasks.map((m) => Uint8Array.from(m)),
      )
    : null;
  return { bare: bare.level(0.01), target };
}

/** Pass 2: per strip, the per-pixel change, classes and recovery, written as they come. */
async function changePass(o: ChangeStripsOptions, stacks: YearStacks, levels: { bare: number; target: number | null }): Promise<ChangeSummary> {
  const { grid, aoi, years, site } = o;
  const dir = join(o.out, "change");
  await mkdir(dir, { recursive: true });
  let writers: ProductWriters | null = null;
  try {
    for (const { y: y0, height: h } of strips(wholeWindow(grid), o.rows)) {
      const at = y0 * grid.width;
      const [ndvi, chg] = [await readStrip(stacks.ndvi, grid, y0, h), await readStrip(stacks.chg, grid, y0, h)];
      const mask = aoi.subarray(at, at + grid.width * h);
      const c = changeOfPixels({ years, ndvi, chg, changeIndex: site.changeIndex, aoi: mask, minMagnitude: site.minMagnitude, ...levels });
      const rows = changeRows(c, site.changeIndex);
      writers ??= await ProductWriters.open(dir, grid, rows, o.metadata);
      await writers.add(y0, rows);
    }
    const assets = await writers!.finish();
    return { years, bareNdvi: levels.bare, recoveryTarget: recoveryTargetInfo(levels.target), assets };
  } catch (err) {
    await writers?.abort();
    throw err;
  }
}
