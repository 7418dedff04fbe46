/**
 * Selection-adjusted significance of a segmentation (a departure from LandTrendr, documented in
 * docs/change-rules.md). LandTrendr's F-test treats the vertices as fixed in advance, but they
 * were picked to fit this very series, after despiking, and the best of several models is kept:
 * of series of independent Gaussian noise, 28, 31 and 23 % pass p <= 0.05 with the IDL's rules at
 * 9, 20 and 35 years, and 24, 33 and 33 % with the pipeline's other choices (2000 series each).
 * Every step is unchanged by shifting or scaling the values, so under such noise the distribution
 * of the procedure's best p-value, p* = min(p of the anchored choice, p of the least-squares
 * choice), depends only on the years. We simulate it: NULL_SERIES series of standard normal noise
 * at n consecutive years, seeded by n, cached per n, parameters and variant (about 0.15 s each).
 * The adjusted p-value of a series is the Monte Carlo p-value of its p*,
 * (1 + #{null p* <= p*}) / (NULL_SERIES + 1), so that p_adj <= pvalThreshold happens on pure noise
 * at the rate pvalThreshold says. Gaps in a pixel's years are not simulated (n alone is the key).
 */
import { mulberry32 } from "../random.ts";
import type { SegmentParams, SegmentVariant } from "./segment.ts";
import { evaluate } from "./segment-models.ts";

export const NULL_SERIES = 2000;
const NULL_SEED = 0x5e6;

const cache = new Map<string, Float64Array>();

/** Sorted p* of NULL_SERIES pure-noise series of length n. */
export function nullPValues(n: number, prm: SegmentParams, variant: SegmentVariant): Float64Array {
  const key = JSON.stringify([n, prm, variant]);
  let out = cache.get(key);
  if (out) return out;
  const rand = mulberry32(NULL_SEED + n);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const years = Array.from({ length: n }, (_, i) => i);
  out = new Float64Array(NULL_SERIES);
  for (let r = 0; r < NULL_SERIES; r++) {
    const ev = evaluate(years, years.map(normal), prm, variant);
    out[r] = Math.min(ev.anchored.p, ev.leastSquares().p);
  }
  out.sort();
  cache.set(key, out);
  return out;
}

/** Monte Carlo p-value of p against the sorted null sample. */
export function adjustedP(p: number, sortedNull: Float64Array): number {
  let lo = 0;
  let hi = sortedNull.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedNull[mid]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return (1 + lo) / (sortedNull.length + 1);
}
