/**
 * Stage: the stratified sample of the last year's class map (strata = map classes) as
 * estimate/sample.csv + strata.json, and the Olofsson et al. (2014) area estimate of each class
 * when reference labels exist (for SIMULATED sites, the planted truth plays the interpreter).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { estimateFromLabels, type LabelEstimate } from "../estimate/labels-estimate.ts";
import type { LabelRow } from "../estimate/labels-sheet.ts";
import { DESIGN_SIZE, drawSample, type SampleDesign, writeSample } from "../estimate/sample-sheet.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { CLASS_NAMES } from "./site-change.ts";
import type { TruthLabels } from "./truth-labels.ts";

/** The sample's points labelled by the planted truth of `year` (unlabelled where the truth has no class). */
export function truthLabelRows(design: SampleDesign, truth: TruthLabels, year: number): LabelRow[] {
  const names = Object.fromEntries(design.strata.classes.map((c) => [c.code, c.name]));
  return design.points.map((p) => ({
    sheet: "SIMULATED truth",
    row: p.id + 1,
    id: p.id,
    lon: p.lon,
    lat: p.lat,
    x: p.x,
    y: p.y,
    stratum: names[p.mapClass]!,
    referenceClass: names[truth.classAt(p.pixel, year)] ?? null,
    labeller: "SIMULATED truth",
    confidence: null,
    note: "",
    stratumShown: false,
  }));
}

/** The class maps to sample, the reference that labels them, and where the estimate goes. */
export interface EstimateClassesOptions {
  site: Site;
  grid: Grid;
  /** The class map to sample (the last year's) and its year. */
  classes: Uint8Array;
  year: number;
  aoi: Uint8Array;
  truth: TruthLabels | null;
  outDir: string;
  seed: number;
}

export async function estimateClasses(o: EstimateClassesOptions): Promise<void> {
  const { site, grid, classes, year, aoi, truth, outDir, seed } = o;
  const dir = join(outDir, "estimate");
  await mkdir(dir, { recursive: true });
  const values = Uint8Array.from(classes, (v, i) => (aoi[i] ? v : 0));
  const design = drawSample({ values, grid, classes: CLASS_NAMES, path: `change/class_${year}.tif`, year }, DESIGN_SIZE.annual, seed);
  await writeSample(dir, design);
  // Every class is a reference column, mapped or not: a class the map misses still has true area
  // (its stratum is empty, W = 0). Strata are finite (pixels): a class smaller than the
  // per-stratum minimum is sampled in full and then adds no variance.
  const estimate: LabelEstimate | null = truth && design.points.length ? estimateFromLabels(truthLabelRows(design, truth, year), design.strata) : null;
  const doc = {
    site: site.key,
    year,
    method: "stratified random sample of the map classes (Olofsson et al. 2014), 95 % CI = +-1.96 SE",
    sample: { sheet: "sample.csv", strata: "strata.json", points: design.points.length, seed },
    labels: truth
      ? "SIMULATED truth rasters (planted by reewatch simulate) at the sample points"
      : "none yet: label the points of sample.csv into labels.csv (same columns plus stratum_shown), then run `reewatch estimate --labels <run>/estimate/labels.csv`",
    estimate,
  };
  await writeFileAtomic(join(dir, "estimate.json"), `${JSON.stringify(doc, null, 1)}\n`);
}
