/**
 * Pair mode (a before/after pair such as the Brumadinho dam collapse): both scenes on the site
 * grid, index products per date, the NDVI difference and a disturbed map:
 * disturbed where NDVI(after) - NDVI(before) <= -0.15 inside the AOI and valid on both dates.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { estimateFromLabels, LABEL_ESTIMATE_METHOD } from "../estimate/labels-estimate.ts";
import { alignToSample, type LabelRow, labelsCsv, readLabelSheet } from "../estimate/labels-sheet.ts";
import * as OLOFSSON from "../estimate/olofsson.ts";
import { DESIGN_SIZE, drawSample, PAIR_CLASSES, type SampleDesign, writeSample } from "../estimate/sample-sheet.ts";
import { computeIndex } from "../indices/compute.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { assetFor, writeTrueColor } from "./scene-item.ts";
import type { Observation } from "./site-observations.ts";

export const PAIR_RULE = {
  dNdvi: -0.2,
  ndviAfter: 0.35,
  text: "disturbed where NDVI(after) - NDVI(before) <= -0.2 and NDVI(after) < 0.35, inside the AOI, on pixels clear on both dates; without a QA band, clear = blue reflectance < 0.1 (not cloud or haze) and NIR > 0.08 (not cloud shadow or water), a spectral screen that misses thin cloud",
};

/** Spectral cloud/shadow screen for scenes without a QA band (heuristic, stated in PAIR_RULE). */
function clearSky(o: Observation, i: number): boolean {
  return o.bands.B![i]! < 0.1 && o.bands.N![i]! > 0.08;
}

export interface PairResult {
  before: string;
  after: string;
  disturbed: Uint8Array;
  dNdvi: Float32Array;
  mappedKm2: number;
}

export async function runPair(site: Site, grid: Grid, before: Observation, after: Observation, aoi: Uint8Array, outDir: string): Promise<PairResult> {
  const ndvi: Float32Array[] = [];
  for (const o of [before, after]) ndvi.push(...(await writeDate(site, grid, o, outDir)));
  const { dNdvi, disturbed, count } = disturbedMap(grid, before, after, aoi, ndvi);
  const pxKm2 = Math.abs(grid.transform[0] * grid.transform[4]) / 1e6;
  const pair = { before: before.datetime, after: after.datetime, disturbed, dNdvi, mappedKm2: count * pxKm2 };
  await writePairChange(site, grid, pair, outDir);
  return pair;
}

/**
 * One date's index COGs, true colour and STAC item under composites/<date>/. Returns the date's
 * NDVI, once for each time the site lists it among its indices.
 */
async function writeDate(site: Site, grid: Grid, o: Observation, outDir: string): Promise<Float32Array[]> {
  const ndvi: Float32Array[] = [];
  const date = o.datetime.slice(0, 10);
  const dir = join(outDir, "composites", date);
  await mkdir(dir, { recursive: true });
  const assets: Record<string, CogAsset> = {};
  for (const name of site.indices) {
    const def = indexByName(name);
    const v = computeIndex(def, o.bands, o.valid, o.sensor);
    if (name === "ndvi") ndvi.push(v);
    await writeCog(join(dir, `${name}.tif`), grid, [v], {
      metadata: { REEWATCH_SITE: site.key, REEWATCH_DATE: date },
      bandDescriptions: [name],
    });
    assets[name] = await assetFor(dir, { name, title: def.title, range: def.range, colormap: def.colormap, description: def.description }, undefined);
  }
  const tc = await writeTrueColor(dir, grid, o.bands);
  assets.truecolor = tc.asset;
  const item = stacItem({
    otherAssets: { thumbnail: tc.thumbnail },
    id: `${site.key}-${date}`,
    grid,
    datetime: o.datetime,
    title: `${site.name.en} ${date} (${o.sceneId})`,
    assets,
    software: SOFTWARE_VERSION,
    derivedFrom: o.inputs,
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": o.simulated,
      "reewatch:masked_fraction": Math.round(o.maskedFraction * 1e6) / 1e6,
    },
  });
  await writeFileAtomic(join(dir, `${date}.json`), `${JSON.stringify(item, null, 1)}\n`);
  return ndvi;
}

/** The NDVI difference and the disturbed map (PAIR_RULE) over the AOI; `ndvi` = [before, after]. */
function disturbedMap(grid: Grid, before: Observation, after: Observation, aoi: Uint8Array, ndvi: Float32Array[]) {
  const n = grid.width * grid.height;
  const dNdvi = new Float32Array(n).fill(Number.NaN);
  const disturbed = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!aoi[i]) continue;
    const d = ndvi[1]![i]! - ndvi[0]![i]!;
    if (!Number.isFinite(d) || !clearSky(before, i) || !clearSky(after, i)) continue;
    dNdvi[i] = d;
    disturbed[i] = d <= PAIR_RULE.dNdvi && ndvi[1]![i]! < PAIR_RULE.ndviAfter ? 2 : 1;
    if (disturbed[i] === 2) count++;
  }
  return { dNdvi, disturbed, count };
}

/** change/: dndvi.tif, disturbed.tif and their STAC item. */
async function writePairChange(site: Site, grid: Grid, pair: PairResult, outDir: string): Promise<void> {
  const dir = join(outDir, "change");
  await mkdir(dir, { recursive: true });
  await writeCog(join(dir, "dndvi.tif"), grid, [pair.dNdvi], {
    bandDescriptions: ["NDVI after - before"],
    metadata: { REEWATCH_RULE: PAIR_RULE.text },
  });
  await writeCog(join(dir, "disturbed.tif"), grid, [pair.disturbed], {
    nodata: 0,
    overviewResampling: "mode",
    bandDescriptions: ["1 undisturbed, 2 disturbed"],
    metadata: { REEWATCH_RULE: PAIR_RULE.text },
  });
  const assets = {
    dndvi: await assetFor(dir, { name: "dndvi", title: "NDVI change (after - before)", range: [-0.8, 0.8], colormap: "change" }, undefined),
    disturbed: await assetFor(
      dir,
      {
        name: "disturbed",
        title: "Disturbed between the two dates",
        range: [0, 2],
        colormap: "classes",
        dataType: "uint8",
      },
      undefined,
    ),
  };
  const item = stacItem({
    id: `${site.key}-change`,
    grid,
    start: pair.before,
    end: pair.after,
    title: `${site.name.en} change ${pair.before.slice(0, 10)} to ${pair.after.slice(0, 10)}`,
    assets,
    software: SOFTWARE_VERSION,
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": false,
      "reewatch:rules": PAIR_RULE.text,
      "reewatch:mapped_disturbed_km2": pair.mappedKm2,
    },
  });
  await writeFileAtomic(join(dir, "change.json"), `${JSON.stringify(item, null, 1)}\n`);
}

/**
 * Labelled points of a filled label sheet (labels.csv, or a legacy sheet such as
 * samples/labels/brumadinho-labels.csv; see estimate/labels-sheet.ts): x, y and whether the
 * reference class is "disturbed". Unlabelled rows and rows without coordinates are left out.
 */
export async function readLabels(path: string): Promise<{ x: number; y: number; disturbed: boolean }[]> {
  const sheet = await readLabelSheet(path);
  return sheet.rows
    .filter((r) => r.referenceClass !== null && r.x !== null && r.y !== null)
    .map((r) => ({ x: r.x!, y: r.y!, disturbed: r.referenceClass === "disturbed" }));
}

/**
 * Olofsson et al. (2014) estimate of the disturbed area inside `zone` from labelled points of a
 * sheet made for another sample, post-stratified by the current map (1 undisturbed, 2 disturbed)
 * at each point's pixel, with the finite population correction.
 */
export function pairEstimate(disturbed: ArrayLike<number>, zone: Uint8Array, grid: Grid, labels: { x: number; y: number; disturbed: boolean }[]) {
  const { olofsson } = OLOFSSON;
  const pxKm2 = Math.abs(grid.transform[0] * grid.transform[4]) / 1e6;
  const n = [
    [0, 0],
    [0, 0],
  ];
  for (const l of labels) {
    const c = Math.floor((l.x - grid.transform[2]) / grid.transform[0]);
    const r = Math.floor((l.y - grid.transform[5]) / grid.transform[4]);
    if (c < 0 || r < 0 || c >= grid.width || r >= grid.height) continue;
    const i = r * grid.width + c;
    if (!zone[i] || !disturbed[i]) continue;
    n[disturbed[i]! - 1]![l.disturbed ? 1 : 0]!++;
  }
  const pixels = [0, 0];
  for (let i = 0; i < zone.length; i++) if (zone[i] && disturbed[i]) pixels[disturbed[i]! - 1]!++;
  const areas = pixels.map((p) => p * pxKm2);
  // Strata are finite (the zone's mapped pixels), as in every other estimate of the project.
  const e = olofsson({ classes: ["undisturbed", "disturbed"], counts: n, mappedAreas: areas, stratumSizes: pixels });
  return {
    estimate: e.classes[1]!,
    counts: n,
    mappedAreas: areas,
    overall: e.overallAccuracy,
    sampleSize: e.sampleSize,
  };
}

/**
 * The stratified sample of the pair's disturbed map (estimate/sample.csv, strata.json). The site's
 * reference labels, when it has them, are copied (reference-labels.csv) and, when they were made
 * for this very sample (same ids, points and strata), written as the filled sheet labels.csv and
 * estimated from it; a sheet of another sample is post-stratified by the map at its points.
 */
export async function pairSample(site: Site, grid: Grid, pair: PairResult, outDir: string, seed: number): Promise<void> {
  const dir = join(outDir, "estimate");
  await mkdir(dir, { recursive: true });
  const map = { values: pair.disturbed, grid, classes: PAIR_CLASSES, path: "change/disturbed.tif", year: pair.after.slice(0, 10) };
  const design = drawSample(map, DESIGN_SIZE.pair, seed);
  await writeSample(dir, design);
  const labelsPath = site.referenceLabels ? resolve(dirname(site.path), site.referenceLabels) : undefined;
  const sheet = labelsPath ? await readLabelSheet(labelsPath) : null;
  if (labelsPath) await copyFile(labelsPath, join(dir, "reference-labels.csv"));
  const aligned = sheet ? alignToSample(sheet, design.points, PAIR_CLASSES) : null;
  if (aligned && "rows" in aligned) await writeFileAtomic(join(dir, "labels.csv"), labelsCsv(aligned.rows));
  const doc = {
    site: site.key,
    before: pair.before,
    after: pair.after,
    rule: PAIR_RULE.text,
    mappedDisturbedKm2: pair.mappedKm2,
    sample: { sheet: "sample.csv", strata: "strata.json", points: design.points.length, seed },
    labels: sheet ? labelsText(sheet.comments, aligned!) : "none",
    estimate: aligned ? ("rows" in aligned ? sheetEstimate(aligned.rows, design) : postStratified(pair, grid, await readLabels(labelsPath!))) : null,
  };
  await writeFileAtomic(join(dir, "estimate.json"), `${JSON.stringify(doc, null, 1)}\n`);
}

function labelsText(provenance: string[], aligned: { rows: LabelRow[] } | { mismatch: string }): string {
  const which =
    "rows" in aligned
      ? "labels.csv (converted from reference-labels.csv, a copy of the site's referenceLabels, made for this sample)"
      : `reference-labels.csv (a copy of the site's referenceLabels, not of this sample: ${aligned.mismatch})`;
  return `${which}; provenance: ${provenance.join(" ")}`;
}

/** The disturbed-area summary of the estimate from a filled sheet of the sample. */
function sheetEstimate(rows: LabelRow[], design: SampleDesign) {
  const e = estimateFromLabels(rows, design.strata);
  const d = e.classes.find((c) => c.class === "disturbed")!;
  return {
    method: LABEL_ESTIMATE_METHOD,
    disturbedKm2: d.area,
    ci95: d.areaCi95,
    usersAccuracy: d.usersAccuracy,
    producersAccuracy: d.producersAccuracy,
    overallAccuracy: e.overallAccuracy,
    counts: e.errorMatrix.counts,
    mappedAreasKm2: e.classes.map((c) => c.mappedArea),
    labelled: e.labelled,
    unlabelled: e.unlabelled,
  };
}

/** Labels of another sample: post-stratified by the map at each labelled point (no finite population correction). */
function postStratified(pair: PairResult, grid: Grid, labels: { x: number; y: number; disturbed: boolean }[]) {
  if (!labels.length) return null;
  const est = pairEstimate(pair.disturbed, new Uint8Array(pair.disturbed.length).fill(1), grid, labels);
  return {
    method: "Olofsson et al. 2014, post-stratified by the map",
    disturbedKm2: est.estimate.area,
    ci95: est.estimate.areaCi95,
    usersAccuracy: est.estimate.usersAccuracy,
    producersAccuracy: est.estimate.producersAccuracy,
    overallAccuracy: est.overall,
    counts: est.counts,
    mappedAreasKm2: est.mappedAreas,
  };
}
