/**
 * LandTrendr temporal segmentation of one annual series (Kennedy et al. 2010; the reference is the
 * original IDL code, tbcd_v2 and its helpers, and LT-GEE's parameters), with the parameters of
 * docs/science.md, Compositing and time series. The series is oriented so that vegetation LOSS is positive.
 * 1. Dampen spikes (desawtooth.ts): the largest spike first, corrected by its spike proportion,
 *    while that proportion exceeds spikeThreshold.
 * 2. Find up to maxSegments + 1 + vertexCountOvershoot candidate vertices and cull them by angle
 *    down to maxSegments + 1 (segment-vertices.ts).
 * 3. From that most complex model down to one segment: fit the anchored trace, F-test it, and drop
 *    a vertex (a recovery-rule violator first, else the weakest) (segment-fit.ts, segment-select.ts).
 * 4. Choose the most complex model with p <= (2 - bestModelProportion) * p_min among those that
 *    keep the recovery rules; when it fails pvalThreshold, repeat 3-4 with least-squares vertex
 *    values; when that fails too, the pixel gets a flat line at its mean: no change.
 * 5. "Fails pvalThreshold" is judged on the selection-adjusted p-value (segment-null.ts): the share
 *    of pure-noise series of the same length whose best model is at least as significant, so that
 *    pvalThreshold is the rate at which no-change pixels get a change model. LandTrendr's own
 *    F-test p passes 23-31 % of pure-noise series at 0.05 (9 to 35 years).
 * Per-segment losses: disturbanceSegments; the greatest one: greatestDisturbance.
 * Departures from the reference, each with its reason and measured effect: docs/change-rules.md
 * and the ablation of bench/segmentation.ts.
 */

import { traceFrom } from "./segment-fit.ts";
import { evaluate } from "./segment-models.ts";
import { adjustedP, nullPValues } from "./segment-null.ts";
import type { CullScore } from "./segment-vertices.ts";

export interface SegmentParams {
  maxSegments: number;
  spikeThreshold: number;
  vertexCountOvershoot: number;
  recoveryThreshold: number;
  pvalThreshold: number;
  bestModelProportion: number;
  minObservationsNeeded: number;
  preventOneYearRecovery: boolean;
}

export const LANDTRENDR_DEFAULTS: SegmentParams = {
  maxSegments: 6,
  spikeThreshold: 0.9,
  vertexCountOvershoot: 3,
  recoveryThreshold: 0.25,
  pvalThreshold: 0.05,
  bestModelProportion: 0.75,
  minObservationsNeeded: 6,
  preventOneYearRecovery: true,
};

/**
 * Where the pipeline departs from the reference: each switch exists so that bench/segmentation.ts
 * can measure the choice (docs/change-rules.md gives the figures); the pipeline uses
 * PIPELINE_VARIANT.
 */
export interface SegmentVariant {
  /** F-test parameters for V vertices: 2V - 2 as the IDL counts them, 2V - 3, or V - 1 (the vertex values alone). */
  fTestDf: "reference" | "breakpoints" | "vertices";
  /** Vertex cull score: "reference" (IDL angle_diff) or "turn" (change of angle). */
  cullScore: CullScore;
  /** Make the IDL desawtooth's last, sub-threshold correction. */
  despikeFinalStep: boolean;
  /** Keep the IDL's interpolation of a dropped recovery-rule violator's observation for all later models. */
  interpolateViolators: boolean;
  /** Disallow any model with a one-year recovery segment (reewatch before issue 8). */
  oneYearRecoveryModels: boolean;
  /** Test the selection-adjusted p-value (segment-null.ts) instead of the F-test p. */
  adjustP: boolean;
  /** Move each vertex to its least-SSE position between its neighbours (segment-refine.ts). */
  refineVertices: boolean;
}

export const PIPELINE_VARIANT: SegmentVariant = {
  fTestDf: "vertices",
  cullScore: "reference",
  despikeFinalStep: false,
  interpolateViolators: false,
  oneYearRecoveryModels: false,
  adjustP: true,
  refineVertices: false,
};

/** LandTrendr as the IDL code does it, for comparison. */
export const REFERENCE_VARIANT: SegmentVariant = {
  fTestDf: "reference",
  cullScore: "reference",
  despikeFinalStep: true,
  interpolateViolators: true,
  oneYearRecoveryModels: false,
  adjustP: false,
  refineVertices: false,
};

export interface Segmentation {
  /** Years of the vertices (the first and last observation are always vertices). */
  vertexYears: number[];
  /** Fitted value at each vertex. */
  vertexValues: number[];
  /** Fitted value at each observation. */
  fitted: Float64Array;
  /** Root mean square of the despiked series about the fit. */
  rmse: number;
  /** p-value the significance decision used: selection-adjusted (segment-null.ts) in the pipeline. */
  p: number;
  /** LandTrendr's F-test p-value of the chosen model (the last one tried when none passed). */
  pModel: number;
  /** False when no model passed pvalThreshold and the recovery rules: the fit is the flat line at the series mean. */
  significant: boolean;
  /** The series after spike dampening, as the models saw it. */
  despiked: Float64Array;
}

export function segment(
  years: number[],
  values: number[],
  prm: SegmentParams = LANDTRENDR_DEFAULTS,
  variant: SegmentVariant = PIPELINE_VARIANT,
): Segmentation | null {
  const n = years.length;
  if (n < prm.minObservationsNeeded || n < 3) return null;
  checkSeries(years, values);
  const ev = evaluate(years, values, prm, variant);
  const nul = variant.adjustP ? nullPValues(n, prm, variant) : null;
  const test = (p: number) => (nul ? adjustedP(p, nul) : p);
  let best = ev.anchored;
  let p = test(best.p);
  if (p > prm.pvalThreshold) {
    const ls = ev.leastSquares();
    p = test(Math.min(best.p, ls.p));
    best = ls;
  }
  const significant = p <= prm.pvalThreshold;
  const v = significant ? best.v : [0, n - 1];
  const mean = ev.y.reduce((a, b) => a + b, 0) / n;
  const trace = significant ? best.trace : traceFrom(years, v, [mean, mean]);
  return {
    vertexYears: v.map((i) => years[i]!),
    vertexValues: trace.vertexValues,
    fitted: trace.fit,
    rmse: Math.sqrt(ev.despiked.reduce((a, d, i) => a + (d - trace.fit[i]!) ** 2, 0) / n),
    p,
    pModel: best.p,
    significant,
    despiked: ev.despiked,
  };
}

/** Finite values, strictly increasing years; a RangeError names the first offender. */
function checkSeries(years: number[], values: number[]): void {
  if (values.length !== years.length) throw new RangeError(`segment: ${values.length} values for ${years.length} years`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`segment: values[${i}] = ${v}; expected finite values (drop missing years first)`);
  });
  years.forEach((y, i) => {
    if (!Number.isFinite(y)) throw new RangeError(`segment: years[${i}] = ${y}; expected finite years`);
    if (i > 0 && !(y > years[i - 1]!)) throw new RangeError(`segment: years[${i}] = ${y} after ${years[i - 1]}; expected strictly increasing years`);
  });
}

export interface Disturbance {
  year: number;
  magnitude: number;
  duration: number;
  preValue: number;
  /** Rate of the following recovery segment, in index units per year (positive = recovering), or 0. */
  recoveryRate: number;
  /** Year the recovery segment starts (end of the disturbance), or NaN. */
  recoveryStart: number;
}

/**
 * Every loss segment with magnitude >= minMagnitude (and > 0), in time order: at most
 * maxSegments. Its onset year is the first year after the start vertex.
 */
export function disturbanceSegments(s: Segmentation, minMagnitude = 0): Disturbance[] {
  const out: Disturbance[] = [];
  const vy = s.vertexYears;
  const vv = s.vertexValues;
  for (let k = 0; k + 1 < vy.length; k++) {
    const mag = vv[k + 1]! - vv[k]!;
    if (!(mag > 0 && mag >= minMagnitude)) continue;
    const next = k + 2 < vy.length ? k + 1 : -1;
    const rate = next >= 0 ? -(vv[next + 1]! - vv[next]!) / (vy[next + 1]! - vy[next]!) : 0;
    out.push({
      year: vy[k]! + 1,
      magnitude: mag,
      duration: vy[k + 1]! - vy[k]!,
      preValue: vv[k]!,
      recoveryRate: Math.max(0, rate),
      recoveryStart: vy[k + 1]!,
    });
  }
  return out;
}

/** The loss segment of greatest magnitude (the later one on a tie), or null when none reaches minMagnitude. */
export function greatestDisturbance(s: Segmentation, minMagnitude: number): Disturbance | null {
  let best: Disturbance | null = null;
  for (const d of disturbanceSegments(s, minMagnitude)) if (!best || d.magnitude >= best.magnitude) best = d;
  return best;
}
