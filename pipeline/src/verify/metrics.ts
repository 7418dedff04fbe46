/**
 * The measured value of a claim with its 95 % CI, and the operational definition in words.
 * Areas: a stratified random sample inside the zone (strata = map classes), labelled from the
 * reference data the run carries (the planted truth for SIMULATED sites), Olofsson et al. (2014)
 * estimator; ratios: the same sample with a stratified bootstrap; index changes: the per-pixel
 * change with a spatial block bootstrap. Without reference labels an area is reported as mapped,
 * with no CI, and the verdict can only be inconclusive.
 */
import { join } from "node:path";
import { type SamplePoint, stratifiedSample } from "../estimate/sample.ts";
import { type StratumTally, stratifiedShare } from "../estimate/stratified-share.ts";
import { mulberry32 } from "../random.ts";
import { blockBootstrapMean, quantileSorted, wilsonInterval } from "./bootstrap.ts";
import type { Claim } from "./claim.ts";
import type { RunData } from "./run-data.ts";
import type { Measured } from "./verdict.ts";

export interface Measurement {
  measured: Measured;
  definition: string;
  validCount: number;
  minValid: number;
  mappedValue: number;
  notes: string[];
}

export const SAMPLE_PER_STRATUM = 100;
const MIN_VALID = 30;
const nullCi: [number, number] = [Number.NaN, Number.NaN];

export async function measure(claim: Claim, run: RunData, zone: Uint8Array, y0: number, y1: number, seed: number): Promise<Measurement> {
  const pxKm2 = Math.abs(run.grid.transform[0] * run.grid.transform[4]) / 1e6;
  switch (claim.metric) {
    case "mean_index_change":
      return indexChange(claim, run, zone, y0, y1);
    case "disturbed_area_km2": {
      const dy = await run.raster(run.file({ change: "disturbance_year" }));
      // Strata: 1 disturbed in the period, 2 disturbed at another time, 3 never disturbed.
      const stratum = (i: number) => (dy[i]! >= y0 && dy[i]! <= y1 ? 1 : dy[i]! > 0 ? 2 : 3);
      const ref = run.truth ? (i: number) => (run.truth!.eventYear[i]! >= y0 && run.truth!.eventYear[i]! <= y1 ? 1 : 0) : undefined;
      return binaryArea({
        zone,
        stratumOf: stratum,
        inClass: (h) => h === 1,
        ref,
        pxKm2,
        seed,
        run,
        definition: `Area (km2) inside the zone whose year of greatest disturbance (LandTrendr-style segmentation of ${run.site.changeIndex.toUpperCase()}, loss >= ${run.site.minMagnitude}) falls in ${y0}-${y1}.`,
      });
    }
    case "restored_area_km2": {
      const cls = await run.raster(run.file({ change: `class_${y1}` }));
      const ref = run.truth ? (i: number) => (run.truth!.classAt(i, y1) === 4 ? 1 : 0) : undefined;
      return binaryArea({
        zone,
        stratumOf: (i) => cls[i]!,
        inClass: (h) => h === 4,
        ref,
        pxKm2,
        seed,
        run,
        definition: restoredAreaDefinition(y1),
      });
    }
    case "restored_fraction":
      return restoredFraction(run, zone, y1, seed);
  }
}

export const restoredAreaDefinition = (y1: number) =>
  `Area (km2) inside the zone classed "restored" in ${y1}: after a detected disturbance, NDVI regained at least 80 % of its pre-disturbance level above bare ground (rho >= 0.8).`;

export const restoredFractionDefinition = (y1: number) =>
  `Share of the zone's disturbed area (a detected disturbance up to ${y1}) that is at least partially restored in ${y1}: NDVI back to >= 50 % of its pre-disturbance level above bare ground (rho >= 0.5, i.e. R80P >= 0.625; classes "recovering" or "restored").`;

async function indexChange(claim: Claim, run: RunData, zone: Uint8Array, y0: number, y1: number): Promise<Measurement> {
  const a = await run.raster(run.file({ composite: String(y0), product: claim.index }));
  const b = await run.raster(run.file({ composite: String(y1), product: claim.index }));
  const d = new Float32Array(zone.length).fill(Number.NaN);
  for (let i = 0; i < zone.length; i++) if (zone[i]) d[i] = b[i]! - a[i]!;
  const r = blockBootstrapMean(d, run.grid.width, run.grid.height, 8, 2000, 1);
  return {
    measured: { value: r.mean, ci95: r.ci95, unit: `${claim.index.toUpperCase()} units` },
    definition: `Mean over the zone's pixels of ${claim.index.toUpperCase()}(${y1} composite) - ${claim.index.toUpperCase()}(${y0} composite), pixels valid in both years; 95 % CI from a spatial block bootstrap (8 x 8 pixel blocks, 2000 resamples).`,
    validCount: r.validCount,
    minValid: MIN_VALID,
    mappedValue: r.mean,
    notes: [`${r.blocks} blocks of 8 x 8 pixels resampled.`],
  };
}

/**
 * Area A * p of a reference class from per-stratum tallies, with its 95 % CI kept within 0 and A.
 * No sample unit (or every one) in the class gives a variance estimate of 0, which no sample of
 * this size can show: the share is then bounded by Wilson's score interval at the design's
 * effective sample size (strata weighted as in the estimate, not pooled).
 */
export function shareArea(tallies: StratumTally[], A: number) {
  const { p, se, nEff } = stratifiedShare(tallies);
  const value = A * p;
  const unanimous = p === 0 || p === 1;
  const ci95: [number, number] = unanimous
    ? (wilsonInterval(p, nEff).map((f) => A * f) as [number, number])
    : [Math.max(0, value - 1.96 * A * se), Math.min(A, value + 1.96 * A * se)];
  return { value, ci95, unanimous, nEff, p };
}

/** The zone, its strata and the class to measure, with the reference that labels the sample. */
interface BinaryAreaOptions {
  zone: Uint8Array;
  stratumOf: (i: number) => number;
  inClass: (stratum: number) => boolean;
  /** 1 where the reference puts pixel i in the class; undefined without reference labels. */
  ref: ((i: number) => number) | undefined;
  pxKm2: number;
  seed: number;
  run: RunData;
  definition: string;
}

/**
 * Area of a reference class from a stratified random sample (Olofsson et al. 2014, eqs. 9-10
 * with a binary reference): strata = map classes inside the zone; area = A * sum_h W_h p_h,
 * SE = A * sqrt(sum_h W_h^2 p_h (1 - p_h) / (n_h - 1)).
 */
async function binaryArea(o: BinaryAreaOptions): Promise<Measurement> {
  const { zone, stratumOf, inClass, ref, pxKm2, seed, run, definition } = o;
  const strata = Uint8Array.from(zone, (z, i) => (z ? stratumOf(i) : 0));
  const N = new Map<number, number>();
  for (const h of strata) if (h) N.set(h, (N.get(h) ?? 0) + 1);
  let mapped = 0;
  for (const [h, n] of N) if (inClass(h)) mapped += n * pxKm2;
  if (!ref) return noLabels(mapped, "km2", definition);
  const pts = stratifiedSample(strata, run.grid, N.size * SAMPLE_PER_STRATUM, SAMPLE_PER_STRATUM, seed);
  const total = [...N.values()].reduce((a, b) => a + b, 0);
  const A = total * pxKm2;
  const tallies = [...N].map(([h, Nh]) => {
    const sample = pts.filter((q) => q.mapClass === h);
    return { weight: Nh / total, n: sample.length, hits: sample.filter((q) => ref(q.pixel) === 1).length, fpc: 1 - sample.length / Nh };
  });
  const { value, ci95, unanimous, nEff, p } = shareArea(tallies, A);
  return {
    measured: { value, ci95, unit: "km2" },
    definition: `${definition} Estimated from a stratified random sample (strata = map classes in the zone, Olofsson et al. 2014), not the pixel count${unanimous ? `; ${p === 0 ? "none" : "every one"} of the ${pts.length} sample units fell in the class, so the CI is Wilson's score interval at the stratified design's effective sample size (${nEff.toFixed(1)} units) times the zone's area instead of the zero-width stratified one` : ""}.`,
    validCount: pts.length,
    minValid: MIN_VALID,
    mappedValue: mapped,
    notes: sampleNote(pts.length, run),
  };
}

async function restoredFraction(run: RunData, zone: Uint8Array, y1: number, seed: number): Promise<Measurement> {
  const cls = await run.raster(run.file({ change: `class_${y1}` }));
  const definition = restoredFractionDefinition(y1);
  const strata = Uint8Array.from(cls, (c, i) => (zone[i] ? c : 0));
  let dist = 0;
  let rest = 0;
  for (const c of strata)
    if (c >= 2) {
      dist++;
      if (c >= 3) rest++;
    }
  const mapped = dist ? rest / dist : Number.NaN;
  if (!run.truth) return noLabels(mapped, "fraction", definition);
  const pts = stratifiedSample(strata, run.grid, 4 * SAMPLE_PER_STRATUM, SAMPLE_PER_STRATUM, seed);
  const W = new Map<number, number>();
  for (const c of strata) if (c) W.set(c, (W.get(c) ?? 0) + 1);
  const byStratum = new Map<number, number[]>();
  for (const p of pts) (byStratum.get(p.mapClass) ?? byStratum.set(p.mapClass, []).get(p.mapClass)!).push(run.truth.classAt(p.pixel, y1));
  const { value, ci95, unanimous, nEff, inDenominator } = stratifiedRatio(byStratum, W, seed);
  return {
    measured: { value, ci95, unit: "fraction" },
    definition: `${definition} Ratio of two stratified estimates from one random sample (strata = map classes), 95 % CI from a stratified bootstrap (2000 resamples)${unanimous ? `; every one of the ${inDenominator} sample units in the denominator agreed, so the bootstrap has no spread and the CI is Wilson's score interval at their stratified effective size (${nEff.toFixed(1)} units) instead` : ""}.`,
    validCount: inDenominator,
    minValid: MIN_VALID,
    mappedValue: mapped,
    notes: sampleNote(pts.length, run),
  };
}

/**
 * The share of disturbed units (reference class >= 2) that are at least partially restored (>= 3),
 * a ratio of two stratified estimates (strata = map classes, weights W = stratum pixel counts,
 * byStratum = the reference classes of each stratum's sample units), with a stratified bootstrap
 * 95 % CI (2000 resamples). When every sampled unit agrees (0 or 1) the bootstrap has no spread:
 * the CI is then Wilson's score interval at the denominator's stratified effective size.
 */
export function stratifiedRatio(byStratum: Map<number, number[]>, W: Map<number, number>, seed: number) {
  const ratio = (groups: Map<number, number[]>) => {
    let num = 0;
    let den = 0;
    for (const [c, refs] of groups) {
      const w = W.get(c)! / refs.length;
      num += w * refs.filter((r) => r >= 3).length;
      den += w * refs.filter((r) => r >= 2).length;
    }
    return den > 0 ? num / den : Number.NaN;
  };
  const value = ratio(byStratum);
  const rand = mulberry32(seed);
  const boots = new Float64Array(2000);
  for (let b = 0; b < boots.length; b++) {
    const g = new Map<number, number[]>();
    for (const [c, refs] of byStratum)
      g.set(
        c,
        refs.map(() => refs[Math.floor(rand() * refs.length)]!),
      );
    boots[b] = ratio(g);
  }
  const sorted = boots.filter(Number.isFinite).sort();
  const inDenominator = [...byStratum.values()].flat().filter((r) => r >= 2).length;
  const unanimous = (value === 0 || value === 1) && sorted.length > 0 && sorted[0] === sorted.at(-1);
  const nEff = denominatorEffectiveSize(byStratum, W);
  const ci95: [number, number] = unanimous ? wilsonInterval(value, nEff) : [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
  return { value, ci95, unanimous, nEff, inDenominator };
}

/**
 * Kish's effective size of the ratio's denominator units: stratum c contributes a_c = W_c d_c / n_c
 * to the estimated denominator (d_c of its n_c units are in it), so n_eff = (sum a_c)^2 / sum a_c^2 / d_c;
 * equal to the pooled count d when the allocation is proportional.
 */
export function denominatorEffectiveSize(byStratum: Map<number, number[]>, W: Map<number, number>): number {
  let sum = 0;
  let sq = 0;
  for (const [c, refs] of byStratum) {
    const d = refs.filter((r) => r >= 2).length;
    if (!d) continue;
    const a = (W.get(c)! * d) / refs.length;
    sum += a;
    sq += (a * a) / d;
  }
  return sq > 0 ? (sum * sum) / sq : 0;
}

export const pairAreaDefinition = (rule: string) => `Area (km2) inside the zone disturbed between the two dates; the map: ${rule}.`;

/** A before/after pair: the disturbed area as mapped; a CI needs the interpreted label sheet. */
export async function measurePair(claim: Claim, run: RunData, zone: Uint8Array): Promise<Measurement> {
  const { PAIR_RULE, pairEstimate, readLabels } = await import("../run/site-pair.ts");
  const d = await run.raster(run.file({ change: "disturbed" }));
  const pxKm2 = Math.abs(run.grid.transform[0] * run.grid.transform[4]) / 1e6;
  let mapped = 0;
  for (let i = 0; i < zone.length; i++) if (zone[i] && d[i] === 2) mapped++;
  if (claim.metric !== "disturbed_area_km2") return noLabels(Number.NaN, "", `Metric ${claim.metric} is not defined for a before/after pair.`);
  const definition = pairAreaDefinition(PAIR_RULE.text);
  const labelsFile = join(run.dir, "estimate", "reference-labels.csv");
  const labels = await readLabels(labelsFile).catch(() => []);
  if (!labels.length) return noLabels(mapped * pxKm2, "km2", definition);
  const e = pairEstimate(d, zone, run.grid, labels);
  return {
    measured: { value: e.estimate.area, ci95: e.estimate.areaCi95, unit: "km2" },
    definition: `${definition} Estimated with Olofsson et al. (2014) from ${e.sampleSize} labelled sample points (strata: mapped disturbed / undisturbed), not the pixel count.`,
    validCount: e.sampleSize,
    minValid: MIN_VALID,
    mappedValue: mapped * pxKm2,
    notes: [
      `Reference labels: ${labelsFile} (visual interpretation of the same Landsat pair; see its header). Confusion counts [map][reference] = ${JSON.stringify(e.counts)}.`,
    ],
  };
}

function noLabels(mapped: number, unit: string, definition: string): Measurement {
  return {
    measured: { value: mapped, ci95: nullCi, unit },
    definition: `${definition} No reference labels exist for this run, so the value is the mapped one, without a confidence interval.`,
    validCount: 0,
    minValid: MIN_VALID,
    mappedValue: mapped,
    notes: [
      "No reference labels: label the run's sample (estimate/sample.csv) into estimate/labels.csv, in the viewer (`reewatch serve --labels`) or by hand, and verify again: the claim is then judged on the labelled estimate with a CI.",
    ],
  };
}

function sampleNote(n: number, run: RunData): string[] {
  return [`${n} sample points; reference labels from ${run.site.simulated ? "the SIMULATED planted truth" : "the run's reference data"}.`];
}

export type { SamplePoint };
