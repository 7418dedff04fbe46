/**
 * Recovery rules and model choice of a LandTrendr segmentation (Kennedy et al. 2010; the IDL
 * tbcd_v2 routines take_out_weakest2, check_slopes and pick_best_model6). Loss is positive, so a
 * recovery is a segment with a negative slope.
 * - Recovery rate: a recovery segment whose slope per year exceeds recoveryThreshold times the
 *   range of the fitted values (a recovery of the full range in under 1/recoveryThreshold years)
 *   disallows the model. The limit does not depend on the length of the series.
 * - One-year recovery (preventOneYearRecovery): applied where the reference applies it, in the
 *   vertex search (segment-vertices.ts). As a rule on whole models (any one-year recovery segment
 *   disallows the model, reewatch before issue 8) it is kept only for measurement: it rejects a
 *   true step whose one-year pre-disturbance segment dips by noise (bench/segmentation.ts).
 * - Simplification: the next simpler model drops the later vertex of the fastest recovery segment
 *   that breaks the rate rule (when that vertex is the last one, the weakest vertex goes instead);
 *   without a violation the weakest vertex goes. The IDL also overwrites the dropped observation
 *   with its neighbours' interpolation (the last one with the previous value) for every later
 *   model; simplerVertices does so on the array it is given, and segment-models.ts gives it a copy
 *   unless that behaviour is asked for (docs/change-rules.md).
 * - Choice: with p_min the lowest p-value of the models, the most complex model whose
 *   p <= (2 - bestModelProportion) * p_min; a chosen model that breaks a recovery rule gets p = 1
 *   and the choice is made again.
 */
import type { SegmentParams } from "./segment.ts";
import { type Trace, weakestVertex } from "./segment-fit.ts";

function rangeOf(a: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]!);
    hi = Math.max(hi, a[i]!);
  }
  return hi - lo;
}

/** The recovery segment with the highest rate relative to the fitted range, or -1 when none breaks `threshold`. */
export function fastestRecovery(trace: Trace, threshold: number): number {
  const range = rangeOf(trace.fit);
  let worst = -1;
  let rate = threshold;
  trace.slopes.forEach((s, k) => {
    if (s < 0 && range > 0 && -s / range > rate) {
      rate = -s / range;
      worst = k;
    }
  });
  return worst;
}

/** True when no segment breaks the recovery-rate rule (nor, with `oneYearModels`, the one-year-recovery rule). */
export function recoveryAllowed(t: ArrayLike<number>, v: number[], trace: Trace, prm: SegmentParams, oneYearModels = false): boolean {
  if (fastestRecovery(trace, prm.recoveryThreshold) >= 0) return false;
  if (!prm.preventOneYearRecovery || !oneYearModels) return true;
  return trace.slopes.every((s, k) => !(s < 0 && t[v[k + 1]!]! - t[v[k]!]! <= 1));
}

/**
 * The vertices of the next simpler model (see the file comment). May change `y` (the working
 * series) at the observation it gives up.
 */
export function simplerVertices(t: ArrayLike<number>, y: Float64Array, v: number[], trace: Trace, recoveryThreshold: number): number[] {
  const bad = fastestRecovery(trace, recoveryThreshold);
  const vv = trace.vertexValues.slice();
  let drop: number;
  if (bad >= 0 && bad + 2 < v.length) {
    drop = bad + 1;
    const i = v[drop]!;
    y[i] = y[i - 1]! + ((y[i + 1]! - y[i - 1]!) * (t[i]! - t[i - 1]!)) / (t[i + 1]! - t[i - 1]!);
  } else {
    if (bad >= 0) {
      const last = v.at(-1)!;
      y[last] = y[last - 1]!;
      vv[vv.length - 1] = y[last]!;
    }
    drop = weakestVertex(t, y, v, vv);
  }
  return v.filter((_, k) => k !== drop);
}

/**
 * The chosen model among `p` (most complex first): its index and its p-value after the recovery
 * rules (1 when every model tried broke them).
 */
export function chooseModel(p: number[], allowed: (k: number) => boolean, bestModelProportion: number): { index: number; p: number } {
  const q = p.slice();
  let index = 0;
  for (let tries = 0; tries <= q.length; tries++) {
    const limit = (2 - bestModelProportion) * Math.min(...q);
    index = q.findIndex((x) => x <= limit);
    if (allowed(index)) return { index, p: q[index]! };
    q[index] = 1;
  }
  return { index, p: 1 };
}
