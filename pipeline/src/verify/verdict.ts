/**
 * The verdict rule: a claim is supported only when the whole 95 % confidence interval lies on the
 * claimed side of the threshold, not supported when the whole interval lies on the other side,
 * and inconclusive when the interval straddles the threshold or the evidence is too thin.
 */
export type Verdict = "supported" | "not_supported" | "inconclusive";

export interface Measured {
  value: number;
  ci95: [number, number];
  unit: string;
}

export interface VerdictInput {
  measured: Measured;
  comparator: ">=" | "<=";
  threshold: number;
  /** Valid observations behind the measurement, and the minimum the rule demands. */
  validCount: number;
  minValid: number;
}

/** `thinEvidence`: inconclusive because of too few valid observations or no CI, not because of where the CI lies. */
export function decideVerdict(v: VerdictInput): { verdict: Verdict; reason: string; thinEvidence: boolean } {
  const [lo, hi] = v.measured.ci95;
  if (!(v.validCount >= v.minValid) || !Number.isFinite(lo) || !Number.isFinite(hi))
    return {
      verdict: "inconclusive",
      reason: `too few valid observations (${v.validCount} < ${v.minValid})`,
      thinEvidence: true,
    };
  const claimedSide = v.comparator === ">=" ? lo >= v.threshold : hi <= v.threshold;
  const otherSide = v.comparator === ">=" ? hi < v.threshold : lo > v.threshold;
  if (claimedSide)
    return {
      verdict: "supported",
      reason: `the whole 95 % CI [${fmt(lo)}, ${fmt(hi)}] satisfies ${v.comparator} ${fmt(v.threshold)}`,
      thinEvidence: false,
    };
  if (otherSide)
    return {
      verdict: "not_supported",
      reason: `the whole 95 % CI [${fmt(lo)}, ${fmt(hi)}] violates ${v.comparator} ${fmt(v.threshold)}`,
      thinEvidence: false,
    };
  return {
    verdict: "inconclusive",
    reason: `the 95 % CI [${fmt(lo)}, ${fmt(hi)}] straddles the threshold ${fmt(v.threshold)}`,
    thinEvidence: false,
  };
}

export const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3));
