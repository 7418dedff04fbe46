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

export function decideVerdict(v: VerdictInput): { verdict: Verdict; reason: string } {
  const [lo, hi] = v.measured.ci95;
  if (!(v.validCount >= v.minValid) || !Number.isFinite(lo) || !Number.isFinite(hi))
    return {
      verdict: "inconclusive",
      reason: `too few valid observations (${v.validCount} < ${v.minValid})`,
    };
  const claimedSide = v.comparator === ">=" ? lo >= v.threshold : hi <= v.threshold;
  const otherSide = v.comparator === ">=" ? hi < v.threshold : lo > v.threshold;
  if (claimedSide)
    return {
      verdict: "supported",
      reason: `the whole 95 % CI [${fmt(lo)}, ${fmt(hi)}] satisfies ${v.comparator} ${fmt(v.threshold)}`,
    };
  if (otherSide)
    return {
      verdict: "not_supported",
      reason: `the whole 95 % CI [${fmt(lo)}, ${fmt(hi)}] violates ${v.comparator} ${fmt(v.threshold)}`,
    };
  return {
    verdict: "inconclusive",
    reason: `the 95 % CI [${fmt(lo)}, ${fmt(hi)}] straddles the threshold ${fmt(v.threshold)}`,
  };
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3));
