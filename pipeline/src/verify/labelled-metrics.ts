/**
 * Claim metrics measured on the reviewer's labels (labelled.ts): which metrics the labels answer,
 * the measurement, and the labels' record for the report. Labels classify one map (strata.json:
 * the last year's class map of an annual run, the disturbed map of a pair), so they answer:
 * - pairs: disturbed_area_km2 (reference class "disturbed");
 * - annual runs, when the claim's end year is the map's year: restored_area_km2 (reference class
 *   "restored") and restored_fraction (reference recovering or restored among disturbed,
 *   recovering or restored: the ratio of metrics.ts on the labelled points).
 * Anything else is measured as before (metrics.ts), with a note saying why the labels were not used.
 */
import { type LabelEstimate, labellers, shownSummary } from "../estimate/labels-estimate.ts";
import type { Strata } from "../estimate/sample-sheet.ts";
import type { Claim } from "./claim.ts";
import { type ZoneLabels, zoneEstimate, zoneLabels } from "./labelled.ts";
import { type Measurement, restoredAreaDefinition, restoredFractionDefinition, shareArea, stratifiedRatio } from "./metrics.ts";
import type { RunData } from "./run-data.ts";

const MIN_LABELLED = 30;
const nullCi: [number, number] = [Number.NaN, Number.NaN];

/** The labels as report.json records them (camelCase, as every JSON document reewatch writes). */
export interface LabelsRecord {
  file: string;
  map: string | null;
  mapYear: number | string | null;
  pointsInZone: number;
  labelled: number;
  unlabelled: number;
  outsideZone: number;
  labellers: { name: string | null; labelled: number }[];
  /** true: no labeller saw the map class; false: some did; null: the sheet does not say. */
  blind: boolean | null;
  stratumShown: { shown: number; hidden: number; unrecorded: number };
  classes: { class: string; mappedKm2: number; estimatedKm2: number; ci95: [number, number]; usersAccuracy: number; producersAccuracy: number }[];
  errorMatrix: { classes: string[]; counts: number[][]; proportions: number[][] } | null;
  overallAccuracy: number | null;
  /** Why there is no estimate inside the zone, when there is none. */
  noEstimate: string | null;
}

export type LabelledResult =
  | { kind: "measured"; measurement: Measurement; record: LabelsRecord; labels: ZoneLabels }
  | { kind: "not-applicable"; note: string }
  | { kind: "none" };

/** What the labels say about the claim, if the run has labels and they answer its metric. */
export async function measureFromLabels(claim: Claim, run: RunData, zone: Uint8Array, y1: number, seed: number): Promise<LabelledResult> {
  const z = await zoneLabels(run, zone);
  if (!z) return { kind: "none" };
  const pair = run.site.mode === "pair";
  const why = notAnswered(claim, z.strata, pair, y1);
  if (why) return { kind: "not-applicable", note: `${z.file} labels the ${z.strata.year} map ${z.strata.map}; ${why}` };
  const e = zoneEstimate(z);
  const record = labelsRecord(z, e);
  if ("reason" in e) return { kind: "measured", measurement: unmeasured(claim, z, e.reason, y1, pair), record, labels: z };
  const m =
    claim.metric === "restored_fraction"
      ? fraction(z, e, y1, seed)
      : area(z, e, pair ? "disturbed" : "restored", pair ? pairDefinition() : restoredAreaDefinition(y1));
  return { kind: "measured", measurement: m, record, labels: z };
}

function notAnswered(claim: Claim, strata: Strata, pair: boolean, y1: number): string | null {
  if (pair) return claim.metric === "disturbed_area_km2" ? null : `they do not answer ${claim.metric}`;
  if (claim.metric === "disturbed_area_km2" || claim.metric === "mean_index_change")
    return `${claim.metric} is not a class of that map, so it is measured without them`;
  if (Number(strata.year) !== y1) return `the claim ends in ${y1}, so it is measured without them`;
  return null;
}

const pairDefinition = () => 'Area (km2) inside the zone disturbed between the two dates (reference class "disturbed").';

const labelledNote = (z: ZoneLabels, e: LabelEstimate) =>
  `Judged on the reviewer's labels (${z.file}): ${e.labelled} of the ${z.rows.length} sample points inside the zone labelled, by ${e.labellers.map((l) => `${l.name ?? "unnamed"} (${l.labelled})`).join(", ")}; ${blindText(e.stratumShown.blind)}.`;

function blindText(blind: boolean | null): string {
  if (blind === true) return "blind labelling (the map class was hidden)";
  if (blind === false) return "NOT blind: the map class was shown for some points";
  return "whether the map class was shown is not recorded";
}

/** Area of `cls` from the labelled estimate, CI kept within 0 and the zone's area (Wilson when unanimous). */
function area(z: ZoneLabels, e: LabelEstimate, cls: string, definition: string): Measurement {
  const j = e.errorMatrix.classes.indexOf(cls);
  const total = z.zoneStrata.classes.reduce((s, c) => s + c.pixels, 0);
  const tallies = z.zoneStrata.classes.map((c, i) => {
    const n = e.errorMatrix.counts[i]!.reduce((a, b) => a + b, 0);
    return { weight: c.pixels / total, n, hits: e.errorMatrix.counts[i]![j]!, fpc: c.pixels > 0 ? 1 - n / c.pixels : 1 };
  });
  const s = shareArea(tallies, e.totalArea);
  const mapped = e.classes[j]!.mappedArea;
  return {
    measured: { value: s.value, ci95: s.ci95, unit: "km2" },
    definition: `${definition} Estimated with Olofsson et al. (2014) from the labelled sample points inside the zone (strata = the classes of ${z.strata.map}), not the pixel count${s.unanimous ? `; the labels were unanimous, so the CI is Wilson's score interval at the design's effective sample size (${s.nEff.toFixed(1)} points)` : ""}.`,
    validCount: e.labelled,
    minValid: MIN_LABELLED,
    mappedValue: mapped,
    notes: [labelledNote(z, e), mappedVersusEstimated(mapped, s.value, e, j)],
  };
}

/** Why the map's area differs from the estimate: its commission and omission errors for the class. */
function mappedVersusEstimated(mapped: number, estimated: number, e: LabelEstimate, j: number): string {
  const c = e.classes[j]!;
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)} %` : "n/a");
  return `The map shows ${mapped.toFixed(3)} km2 of "${c.class}" in the zone; the labels estimate ${estimated.toFixed(3)} km2. They differ by the map's errors: of the points mapped "${c.class}", ${pct(c.usersAccuracy)} were labelled so (user's accuracy; the rest is commission), and the map caught ${pct(c.producersAccuracy)} of the estimated "${c.class}" area (producer's accuracy; the rest is omission).`;
}

/** restored_fraction on the labelled points: reference classes as codes of the class map. */
function fraction(z: ZoneLabels, e: LabelEstimate, y1: number, seed: number): Measurement {
  const code = new Map(z.strata.classes.map((c) => [c.name, c.code]));
  const W = new Map(z.zoneStrata.classes.filter((c) => c.pixels > 0).map((c) => [c.code, c.pixels]));
  const byStratum = new Map<number, number[]>();
  for (const p of z.points) {
    if (p.reference === null) continue;
    const h = code.get(p.stratum)!;
    (byStratum.get(h) ?? byStratum.set(h, []).get(h)!).push(code.get(p.reference)!);
  }
  const r = stratifiedRatio(byStratum, W, seed);
  return {
    measured: { value: r.value, ci95: r.ci95, unit: "fraction" },
    definition: `${restoredFractionDefinition(y1)} Ratio of two stratified estimates from the labelled sample points inside the zone (strata = the classes of ${z.strata.map}), 95 % CI from a stratified bootstrap (2000 resamples)${r.unanimous ? `; every labelled point in the denominator agreed, so the CI is Wilson's score interval at their stratified effective size (${r.nEff.toFixed(1)} points)` : ""}.`,
    validCount: r.inDenominator,
    minValid: MIN_LABELLED,
    mappedValue: mappedOf(z, "fraction"),
    notes: [labelledNote(z, e)],
  };
}

/** Labels exist for the metric but cannot give an estimate inside the zone: inconclusive, with the reason. */
function unmeasured(claim: Claim, z: ZoneLabels, reason: string, y1: number, pair: boolean): Measurement {
  const definition = pair ? pairDefinition() : claim.metric === "restored_fraction" ? restoredFractionDefinition(y1) : restoredAreaDefinition(y1);
  return {
    measured: { value: Number.NaN, ci95: nullCi, unit: claim.metric === "restored_fraction" ? "fraction" : "km2" },
    definition: `${definition} To be estimated from the reviewer's labels (${z.file}), which give no estimate inside this zone.`,
    validCount: 0,
    minValid: MIN_LABELLED,
    mappedValue: mappedOf(z, claim.metric === "restored_fraction" ? "fraction" : pair ? "disturbed" : "restored"),
    notes: [`No estimate from ${z.file}: ${reason}.`],
  };
}

/** The map's own value in the zone: a class's area, or the mapped restored fraction. */
function mappedOf(z: ZoneLabels, what: "fraction" | string): number {
  const px = (f: (code: number, name: string) => boolean) => z.zoneStrata.classes.filter((c) => f(c.code, c.name)).reduce((s, c) => s + c.pixels, 0);
  if (what !== "fraction") return px((_, name) => name === what) * z.strata.pixelAreaKm2;
  const disturbed = px((code) => code >= 2);
  return disturbed ? px((code) => code >= 3) / disturbed : Number.NaN;
}

function labelsRecord(z: ZoneLabels, e: LabelEstimate | { reason: string }): LabelsRecord {
  const base = { file: z.file, map: z.strata.map, mapYear: z.strata.year, pointsInZone: z.rows.length, outsideZone: z.outside };
  if ("reason" in e) {
    const labelled = z.rows.filter((r) => r.referenceClass !== null);
    const { blind, ...shown } = shownSummary(labelled);
    return {
      ...base,
      labelled: labelled.length,
      unlabelled: z.rows.length - labelled.length,
      labellers: labellers(labelled),
      blind,
      stratumShown: shown,
      classes: [],
      errorMatrix: null,
      overallAccuracy: null,
      noEstimate: e.reason,
    };
  }
  const { blind, ...shown } = e.stratumShown;
  return {
    ...base,
    labelled: e.labelled,
    unlabelled: e.unlabelled,
    labellers: e.labellers,
    blind,
    stratumShown: shown,
    classes: e.classes.map((c) => ({
      class: c.class,
      mappedKm2: c.mappedArea,
      estimatedKm2: c.area,
      ci95: [Math.max(0, c.areaCi95[0]), Math.min(e.totalArea, c.areaCi95[1])],
      usersAccuracy: c.usersAccuracy,
      producersAccuracy: c.producersAccuracy,
    })),
    errorMatrix: e.errorMatrix,
    overallAccuracy: e.overallAccuracy,
    noEstimate: null,
  };
}
