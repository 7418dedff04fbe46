/**
 * Agreement between two labellers of the same sample: Cohen's (1960) kappa over the points both
 * labelled, the list of disagreements, and the rows an estimate uses under a named rule.
 *
 * kappa = (p_o - p_e) / (1 - p_e), p_o = share of points given the same class, p_e = sum over
 * classes k of (a_k / n)(b_k / n), a_k and b_k = points each labeller put in class k.
 */
import { BadParameter } from "../errors.ts";
import type { Confidence, LabelRow } from "./labels-sheet.ts";

export interface Kappa {
  /** Points compared (labelled by both). */
  n: number;
  observed: number;
  expected: number;
  /** NaN when undefined (no point compared, or p_e = 1: both gave one and the same class throughout). */
  kappa: number;
}

/** Cohen's kappa of paired labels `pairs[k] = [first, second]`. */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): Kappa {
  const n = pairs.length;
  if (n === 0) return { n, observed: Number.NaN, expected: Number.NaN, kappa: Number.NaN };
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let same = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) same++;
  }
  const observed = same / n;
  let expected = 0;
  for (const [k, ak] of a) expected += (ak / n) * ((b.get(k) ?? 0) / n);
  return { n, observed, expected, kappa: expected === 1 ? Number.NaN : (observed - expected) / (1 - expected) };
}

/** Which labels an estimate uses when two sheets exist. */
export const AGREEMENT_RULES = ["agreed", "first", "second"] as const;
export type AgreementRule = (typeof AGREEMENT_RULES)[number];

export interface Agreement extends Kappa {
  sheets: [string, string];
  /** Points both labelled with the same class. */
  agreed: number;
  disagreements: { id: number; first: string; second: string }[];
  /** Ids labelled in one sheet only. */
  onlyFirst: number[];
  onlySecond: number[];
}

/** Pairs the rows of two sheets of one sample by id; BadParameter if a point differs between them. */
export function compareLabels(first: LabelRow[], second: LabelRow[]): Agreement {
  const byId = new Map(second.map((r) => [r.id, r]));
  const pairs: [string, string][] = [];
  const disagreements: Agreement["disagreements"] = [];
  const onlyFirst: number[] = [];
  for (const r of first) {
    const s = byId.get(r.id);
    if (s) samePoint(r, s);
    const [x, y] = [r.referenceClass, s?.referenceClass ?? null];
    if (x !== null && y !== null) {
      pairs.push([x, y]);
      if (x !== y) disagreements.push({ id: r.id, first: x, second: y });
    } else if (x !== null) onlyFirst.push(r.id);
  }
  const firstIds = new Map(first.map((r) => [r.id, r]));
  const onlySecond = second.filter((s) => s.referenceClass !== null && firstIds.get(s.id)?.referenceClass == null).map((s) => s.id);
  return {
    sheets: [first[0]?.sheet ?? "first", second[0]?.sheet ?? "second"],
    ...cohensKappa(pairs),
    agreed: pairs.length - disagreements.length,
    disagreements,
    onlyFirst,
    onlySecond,
  };
}

function samePoint(a: LabelRow, b: LabelRow): void {
  const near = (u: number | null, v: number | null) => u === null || v === null || Math.abs(u - v) < 0.005;
  if (a.stratum !== b.stratum || !near(a.x, b.x) || !near(a.y, b.y))
    throw new BadParameter(
      `${b.sheet} row ${b.row}: id ${b.id} is (${b.x}, ${b.y}) in stratum "${b.stratum}" but ${a.sheet} row ${a.row} has it at (${a.x}, ${a.y}) in "${a.stratum}": the two sheets are not of the same sample`,
    );
}

const CONFIDENCE_ORDER: Confidence[] = ["low", "medium", "high"];

/**
 * The rows an estimate uses: `first` or `second` = that sheet's rows as they are; `agreed` = every
 * point of the first sheet, labelled where both sheets give the same class and unlabelled where
 * they differ or one of them has no label (so disagreements are counted as unlabelled, not
 * dropped). Rows the second sheet holds and the first lacks are added, unlabelled.
 */
export function labelsByRule(first: LabelRow[], second: LabelRow[], rule: AgreementRule): LabelRow[] {
  if (rule === "first") return first;
  if (rule === "second") return second;
  const byId = new Map(second.map((r) => [r.id, r]));
  const ids = new Set(first.map((r) => r.id));
  const merged = first.map((r): LabelRow => {
    const s = byId.get(r.id);
    const agree = s !== undefined && r.referenceClass !== null && r.referenceClass === s.referenceClass;
    const names = [...new Set([r.labeller, s?.labeller].filter((x): x is string => !!x))];
    const conf = [r.confidence, s?.confidence].filter((c): c is Confidence => !!c);
    return {
      ...r,
      referenceClass: agree ? r.referenceClass : null,
      labeller: names.length ? names.join(" + ") : null,
      confidence: conf.length ? CONFIDENCE_ORDER[Math.min(...conf.map((c) => CONFIDENCE_ORDER.indexOf(c)))]! : null,
      note: [r.note, s?.note].filter((x) => x).join(" | "),
      stratumShown: r.stratumShown === true || s?.stratumShown === true ? true : r.stratumShown === false && s?.stratumShown === false ? false : null,
    };
  });
  return [...merged, ...second.filter((s) => !ids.has(s.id)).map((s) => ({ ...s, referenceClass: null }))];
}
