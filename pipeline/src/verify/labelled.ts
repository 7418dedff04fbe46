/**
 * A claim judged on a reviewer's labels: the run's filled sheet (estimate/labels.csv) and its design
 * (estimate/strata.json) restricted to the claim's zone. The sample is a stratified random sample
 * of the whole run's class map, so the points that fall inside the zone are a random sample of
 * each stratum's part of the zone (a domain of the design): the Olofsson et al. (2014) estimator
 * applies with W_h and N_h = the stratum's pixels inside the zone and n_h = its labelled points
 * there (docs/science.md: Areas with confidence intervals).
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { BadParameter } from "../errors.ts";
import { checkLabelClasses, estimateFromLabels, type LabelEstimate } from "../estimate/labels-estimate.ts";
import { type LabelRow, readLabelSheet } from "../estimate/labels-sheet.ts";
import { readStrata, type Strata } from "../estimate/sample-sheet.ts";
import type { Grid } from "../raster.ts";
import type { RunData } from "./run-data.ts";

export const LABELS_FILE = "estimate/labels.csv";

/** A labelled point inside the zone, where the report's sample map draws it. */
export interface ZonePoint {
  id: number;
  pixel: number;
  stratum: string;
  reference: string | null;
}

export interface ZoneLabels {
  /** The sheet, relative to the run directory. */
  file: string;
  strata: Strata;
  /** The design restricted to the zone: pixels, area and points of each class inside it. */
  zoneStrata: Strata;
  rows: LabelRow[];
  points: ZonePoint[];
  /** Rows of the sheet outside the zone (they describe the rest of the map). */
  outside: number;
}

/** The run's labels inside `zone`, or null when the run has no labels.csv. */
export async function zoneLabels(run: RunData, zone: Uint8Array): Promise<ZoneLabels | null> {
  const path = join(run.dir, LABELS_FILE);
  if (
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return null;
  const [sheet, strata] = await Promise.all([readLabelSheet(path), readStrata(join(run.dir, "estimate", "strata.json"))]);
  if (!strata.map) throw new BadParameter(`${join(run.dir, "estimate", "strata.json")}: names no class map, so the labels cannot be placed in a claim's zone`);
  checkLabelClasses(sheet.rows, strata);
  const map = await run.raster(strata.map);
  const points: ZonePoint[] = [];
  const rows: LabelRow[] = [];
  for (const r of sheet.rows) {
    const pixel = pixelOf(r, run.grid, LABELS_FILE);
    const code = strata.classes.find((c) => c.name === r.stratum)?.code;
    if (code !== undefined && map[pixel] !== code)
      throw new BadParameter(
        `${LABELS_FILE} row ${r.row}: stratum "${r.stratum}" but ${strata.map} has class ${map[pixel]} there: is the sheet of this run's sample?`,
      );
    if (!zone[pixel]) continue;
    rows.push(r);
    points.push({ id: r.id, pixel, stratum: r.stratum, reference: r.referenceClass });
  }
  return { file: LABELS_FILE, strata, zoneStrata: restrict(strata, map, zone, rows), rows, points, outside: sheet.rows.length - rows.length };
}

/** The pixel index of a row's map coordinates; BadParameter when it has none or lies off the grid. */
function pixelOf(r: LabelRow, grid: Grid, file: string): number {
  if (r.x === null || r.y === null) throw new BadParameter(`${file} row ${r.row}: no x, y map coordinates, so the point cannot be placed on the map`);
  const [a, , c, , e, f] = grid.transform;
  const col = Math.floor((r.x - c) / a);
  const row = Math.floor((r.y - f) / e);
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height)
    throw new BadParameter(`${file} row ${r.row}: x ${r.x}, y ${r.y} lies outside the run's grid`);
  return row * grid.width + col;
}

/** strata.json with every class's pixels, area and points counted inside the zone. */
function restrict(strata: Strata, map: Float32Array, zone: Uint8Array, rows: LabelRow[]): Strata {
  const pixels = new Map<number, number>();
  for (let i = 0; i < zone.length; i++) if (zone[i]) pixels.set(map[i]!, (pixels.get(map[i]!) ?? 0) + 1);
  return {
    ...strata,
    classes: strata.classes.map((c) => {
      const n = pixels.get(c.code) ?? 0;
      return { ...c, pixels: n, areaKm2: n * strata.pixelAreaKm2, sampled: rows.filter((r) => r.stratum === c.name).length };
    }),
  };
}

/** The Olofsson estimate inside the zone, or the reason there is none (too few labelled points). */
export function zoneEstimate(z: ZoneLabels): LabelEstimate | { reason: string } {
  if (!z.zoneStrata.classes.some((c) => c.pixels > 0)) return { reason: "the zone has no mapped pixels" };
  try {
    return estimateFromLabels(z.rows, z.zoneStrata);
  } catch (e) {
    if (e instanceof BadParameter) return { reason: `inside the zone, ${e.message.replace(/^[^:]*: /, "")}` };
    throw e;
  }
}
