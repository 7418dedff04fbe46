/**
 * Stage: the stratified sample of the last year's class map (strata = map classes), its label
 * sheet, and the Olofsson et al. (2014) area estimate of each class when reference labels exist
 * (for SIMULATED sites, the planted truth plays the interpreter).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type OlofssonResult, olofsson } from "../estimate/olofsson.ts";
import { confusion, labelSheetCsv, stratifiedSample } from "../estimate/sample.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { type ChangeResult, CLASS_NAMES } from "./site-change.ts";
import type { TruthLabels } from "./truth-labels.ts";

export const SAMPLE_TOTAL = 600;
export const SAMPLE_MIN = 75;

/** Olofsson estimate of class areas (km2) inside `zone` for class map `classes`, labels from `truth`. */
export function estimateWithTruth(
  classes: Uint8Array,
  zone: Uint8Array,
  grid: Grid,
  truth: TruthLabels,
  year: number,
  seed: number,
): { estimate: OlofssonResult; sampleSize: number } | null {
  const inZone = Uint8Array.from(classes, (c, i) => (zone[i] ? c : 0));
  if (!inZone.some((c) => c > 0)) return null;
  // Every class is a reference column, mapped or not: a class the map misses still has true area
  // (its stratum is empty, W = 0), and dropping the points labelled with it would bias the rest.
  const codes = [1, 2, 3, 4];
  const points = stratifiedSample(inZone, grid, SAMPLE_TOTAL, SAMPLE_MIN, seed);
  const n = confusion(points, (p) => truth.classAt(p.pixel, year), codes);
  const pxKm2 = Math.abs(grid.transform[0] * grid.transform[4]) / 1e6;
  const pixels = codes.map((c) => inZone.reduce((s, v) => s + (v === c ? 1 : 0), 0));
  // Strata are finite (pixels): a class of fewer pixels than the per-stratum minimum is sampled in
  // full and then adds no variance (finite population correction).
  return {
    estimate: olofsson({ classes: codes.map((c) => CLASS_NAMES[c]!), counts: n, mappedAreas: pixels.map((p) => p * pxKm2), stratumSizes: pixels }),
    sampleSize: points.length,
  };
}

export async function estimateClasses(
  site: Site,
  grid: Grid,
  c: ChangeResult,
  aoi: Uint8Array,
  truth: TruthLabels | null,
  outDir: string,
  seed: number,
): Promise<void> {
  const dir = join(outDir, "estimate");
  await mkdir(dir, { recursive: true });
  const last = c.classes.length - 1;
  const year = c.years[last]!;
  const classes = Uint8Array.from(c.classes[last]!, (v, i) => (aoi[i] ? v : 0));
  const points = stratifiedSample(classes, grid, SAMPLE_TOTAL, SAMPLE_MIN, seed);
  await writeFileAtomic(join(dir, `label-sheet-${year}.csv`), labelSheetCsv(points, CLASS_NAMES));
  const result = truth ? estimateWithTruth(classes, aoi, grid, truth, year, seed) : null;
  const doc = {
    site: site.key,
    year,
    method: "stratified random sample of the map classes (Olofsson et al. 2014), 95 % CI = +-1.96 SE",
    sample: {
      total: points.length,
      perStratumMinimum: SAMPLE_MIN,
      seed,
      labelSheet: `label-sheet-${year}.csv`,
    },
    labels: truth ? "SIMULATED truth rasters (planted by reewatch simulate)" : "none yet: fill reference_class in the label sheet and run `reewatch estimate`",
    estimate: result?.estimate ?? null,
  };
  await writeFileAtomic(join(dir, "estimate.json"), `${JSON.stringify(doc, null, 1)}\n`);
}
