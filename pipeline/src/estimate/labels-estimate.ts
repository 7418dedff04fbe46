/**
 * The Olofsson et al. (2014) estimate from a filled label sheet and its strata (docs/science.md:
 * Areas with confidence intervals): strata = the map classes of strata.json, W_i = area share, n_ij = points of stratum
 * i labelled j, the finite population correction with N_i = the stratum's pixels. Unlabelled
 * points (empty reference_class, or rows missing from the sheet) are counted and reported; the
 * estimate uses the labelled ones, so it assumes the unlabelled are missing at random.
 */
import { BadParameter } from "../errors.ts";
import type { LabelRow } from "./labels-sheet.ts";
import { type ClassEstimate, type OlofssonResult, olofsson } from "./olofsson.ts";
import type { Strata } from "./sample-sheet.ts";

export interface LabelClassEstimate extends ClassEstimate {
  /** Stratum size (pixels), points drawn (strata.json) and points labelled. */
  pixels: number;
  sampled: number;
  labelled: number;
}

export interface LabelEstimate extends OlofssonResult {
  method: string;
  unit: "km2";
  classes: LabelClassEstimate[];
  /** Rows = map class, columns = reference class, both in `classes` order. */
  errorMatrix: { classes: string[]; counts: number[][]; proportions: number[][] };
  labelled: number;
  /** Points drawn but not labelled: empty reference_class, or missing from the sheet. */
  unlabelled: number;
  /** Ids of the unlabelled rows present in the sheet. */
  unlabelledIds: number[];
  /** Who labelled how many points (name null: the sheet does not say). */
  labellers: { name: string | null; labelled: number }[];
  /** Of the labelled points: the map class shown to the labeller, hidden, or not recorded. */
  stratumShown: { shown: number; hidden: number; unrecorded: number; blind: boolean | null };
}

export const LABEL_ESTIMATE_METHOD =
  "Olofsson et al. 2014 stratified estimator (strata = map classes), finite population correction with N_h = the stratum's pixels, 95 % CI = +-1.96 SE; unlabelled points left out (assumed missing at random)";

/** BadParameter naming the row if a stratum or reference_class is not a class of the map. */
export function checkLabelClasses(rows: LabelRow[], strata: Strata): void {
  const names = strata.classes.map((c) => c.name);
  const listed = `(${names.join(", ")})`;
  for (const r of rows) {
    if (!names.includes(r.stratum)) throw new BadParameter(`${r.sheet} row ${r.row}: stratum "${r.stratum}" is not a class of the map ${listed}`);
    if (r.referenceClass !== null && !names.includes(r.referenceClass))
      throw new BadParameter(`${r.sheet} row ${r.row}: reference_class "${r.referenceClass}" is not a class of the map ${listed}`);
  }
}

export function estimateFromLabels(rows: LabelRow[], strata: Strata): LabelEstimate {
  checkLabelClasses(rows, strata);
  const names = strata.classes.map((c) => c.name);
  const counts = names.map(() => names.map(() => 0));
  const rowsIn = names.map(() => 0);
  const unlabelledIds: number[] = [];
  for (const r of rows) {
    const i = names.indexOf(r.stratum);
    rowsIn[i]!++;
    if (r.referenceClass === null) unlabelledIds.push(r.id);
    else counts[i]![names.indexOf(r.referenceClass)]!++;
  }
  const labelledIn = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const labelled = labelledIn.reduce((a, b) => a + b, 0);
  checkSampleSizes(rows, strata, rowsIn, labelledIn);
  const mappedAreas = strata.classes.map((c) => c.areaKm2);
  const e = olofsson({ classes: names, counts, mappedAreas, stratumSizes: strata.classes.map((c) => c.pixels) });
  const A = e.totalArea;
  const proportions = counts.map((r, i) => r.map((n) => (labelledIn[i]! > 0 ? (mappedAreas[i]! / A) * (n / labelledIn[i]!) : 0)));
  const sampledTotal = strata.classes.reduce((s, c) => s + c.sampled, 0);
  const labelledRows = rows.filter((r) => r.referenceClass !== null);
  return {
    method: LABEL_ESTIMATE_METHOD,
    unit: "km2",
    ...e,
    classes: e.classes.map((c, i) => ({ ...c, pixels: strata.classes[i]!.pixels, sampled: strata.classes[i]!.sampled, labelled: labelledIn[i]! })),
    errorMatrix: { classes: names, counts, proportions },
    labelled,
    unlabelled: sampledTotal - labelled,
    unlabelledIds,
    labellers: labellers(labelledRows),
    stratumShown: shownSummary(labelledRows),
  };
}

/** Enough labels to estimate, and no more rows per stratum than strata.json says were drawn. */
function checkSampleSizes(rows: LabelRow[], strata: Strata, rowsIn: number[], labelledIn: number[]): void {
  const sheet = rows[0]?.sheet ?? "the label sheet";
  if (labelledIn.every((n) => n === 0)) throw new BadParameter(`${sheet}: none of its ${rows.length} rows has a reference_class: nothing to estimate yet`);
  strata.classes.forEach((c, i) => {
    if (rowsIn[i]! > c.sampled)
      throw new BadParameter(
        `${sheet}: ${rowsIn[i]} rows in stratum "${c.name}" but the strata file says ${c.sampled} points were drawn: is it the sheet of this sample?`,
      );
    if (c.pixels > 0 && labelledIn[i]! < 2 && labelledIn[i]! < c.pixels)
      throw new BadParameter(
        `${sheet}: stratum "${c.name}" has ${labelledIn[i]} labelled point(s) of ${c.sampled} drawn; at least 2 are needed for a variance`,
      );
  });
}

/** Who labelled how many of the labelled `rows`, most first. */
export function labellers(rows: LabelRow[]): LabelEstimate["labellers"] {
  const by = new Map<string | null, number>();
  for (const r of rows) by.set(r.labeller, (by.get(r.labeller) ?? 0) + 1);
  return [...by.entries()]
    .map(([name, labelled]) => ({ name, labelled }))
    .sort((a, b) => b.labelled - a.labelled || String(a.name).localeCompare(String(b.name)));
}

/** Of the labelled `rows`: the map class shown, hidden, or not recorded, and whether that makes the labelling blind. */
export function shownSummary(rows: LabelRow[]): LabelEstimate["stratumShown"] {
  const shown = rows.filter((r) => r.stratumShown === true).length;
  const hidden = rows.filter((r) => r.stratumShown === false).length;
  const unrecorded = rows.length - shown - hidden;
  return { shown, hidden, unrecorded, blind: shown > 0 ? false : unrecorded > 0 ? null : true };
}
