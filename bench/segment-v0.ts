/**
 * FROZEN COPY of pipeline/src/change/segment.ts as it was before issue 8 (git 4746868), kept only
 * so bench/segmentation.ts can print today's rules next to the new ones in the same run. Do not
 * fix or import it from the pipeline. Original header follows.
 *
 * LandTrendr-style temporal segmentation of one annual series (Kennedy et al. 2010), with the
 * parameters of docs/science.md, Compositing and time series. The series is oriented so that vegetation LOSS is positive.
 * Steps: dampen spikes; pick candidate vertices by largest deviation from the current fit, up to
 * maxSegments + 1 + vertexCountOvershoot; cull the flattest vertices down to maxSegments + 1;
 * then, from the most complex model down to one segment, fit (point-to-point through the
 * vertices), score with an F-test, and drop the vertex whose removal costs least. The chosen model
 * is the most complex one whose (1 - p) is within bestModelProportion of the best, among models
 * that pass pvalThreshold and the recovery rules (no recovery faster than 1/recoveryThreshold of
 * the series range per year; no one-year recovery segments when preventOneYearRecovery).
 * A simplification of the original (no anchored regression refit), stated in docs/change-rules.md.
 */
import { fSurvival } from "../pipeline/src/change/stats-dist.ts";

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

export interface Segmentation {
  /** Indices (into the valid observations) of the vertices. */
  vertexYears: number[];
  vertexValues: number[];
  fitted: Float64Array;
  rmse: number;
  p: number;
}

export function segment(years: number[], values: number[], prm: SegmentParams = LANDTRENDR_DEFAULTS): Segmentation | null {
  const n = years.length;
  if (n < prm.minObservationsNeeded) return null;
  const y = despike(values, prm.spikeThreshold);
  const range = Math.max(...y) - Math.min(...y);
  let vertices = candidateVertices(years, y, Math.min(n, prm.maxSegments + 1 + prm.vertexCountOvershoot));
  while (vertices.length > Math.min(n, prm.maxSegments + 1)) vertices = removeFlattest(years, y, vertices);
  const models: { v: number[]; fit: Float64Array; p: number; sse: number }[] = [];
  for (;;) {
    const fit = interpolate(years, y, vertices);
    const sse = sumSq(y, fit);
    models.push({ v: vertices, fit, p: modelP(y, sse, vertices.length), sse });
    if (vertices.length <= 2) break;
    vertices = removeCheapest(years, y, vertices);
  }
  const ok = models.filter((m) => m.p <= prm.pvalThreshold && recoveryOk(years, m.v, m.fit, range, prm));
  const pool = ok.length ? ok : models.filter((m) => m.v.length === 2);
  const best = Math.max(...pool.map((m) => 1 - m.p));
  const chosen = pool.filter((m) => 1 - m.p >= prm.bestModelProportion * best).sort((a, b) => b.v.length - a.v.length)[0]!;
  return {
    vertexYears: chosen.v.map((i) => years[i]!),
    vertexValues: chosen.v.map((i) => chosen.fit[i]!),
    fitted: chosen.fit,
    rmse: Math.sqrt(chosen.sse / n),
    p: chosen.p,
  };
}

/** A one-year spike is replaced by its neighbours' mean when it makes up >= threshold of the local change. */
function despike(v: number[], threshold: number): number[] {
  const y = v.slice();
  for (let i = 1; i < y.length - 1; i++) {
    const mid = 0.5 * (y[i - 1]! + y[i + 1]!);
    const spike = Math.abs(y[i]! - mid);
    const through = Math.abs(y[i + 1]! - y[i - 1]!);
    if (spike > 0 && spike / (spike + through) >= threshold) y[i] = mid;
  }
  return y;
}

function interpolate(t: number[], y: number[], v: number[]): Float64Array {
  const fit = new Float64Array(t.length);
  for (let k = 0; k + 1 < v.length; k++) {
    const a = v[k]!;
    const b = v[k + 1]!;
    for (let i = a; i <= b; i++) fit[i] = y[a]! + ((y[b]! - y[a]!) * (t[i]! - t[a]!)) / (t[b]! - t[a]!);
  }
  return fit;
}

function sumSq(y: number[], fit: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - fit[i]!) ** 2;
  return s;
}

function candidateVertices(t: number[], y: number[], max: number): number[] {
  const v = [0, t.length - 1];
  while (v.length < max) {
    const fit = interpolate(t, y, v);
    let worst = -1;
    let dev = 1e-12;
    for (let i = 1; i < t.length - 1; i++)
      if (!v.includes(i) && Math.abs(y[i]! - fit[i]!) > dev) {
        dev = Math.abs(y[i]! - fit[i]!);
        worst = i;
      }
    if (worst < 0) break;
    v.push(worst);
    v.sort((a, b) => a - b);
  }
  return v;
}

/** Drops the interior vertex with the smallest change of direction. */
function removeFlattest(t: number[], y: number[], v: number[]): number[] {
  let best = 1;
  let bestAngle = Infinity;
  for (let k = 1; k + 1 < v.length; k++) {
    const s1 = (y[v[k]!]! - y[v[k - 1]!]!) / (t[v[k]!]! - t[v[k - 1]!]!);
    const s2 = (y[v[k + 1]!]! - y[v[k]!]!) / (t[v[k + 1]!]! - t[v[k]!]!);
    const angle = Math.abs(Math.atan(s2) - Math.atan(s1));
    if (angle < bestAngle) {
      bestAngle = angle;
      best = k;
    }
  }
  return v.filter((_, k) => k !== best);
}

/** Drops the interior vertex whose removal raises the SSE least. */
function removeCheapest(t: number[], y: number[], v: number[]): number[] {
  let best = 1;
  let bestSse = Infinity;
  for (let k = 1; k + 1 < v.length; k++) {
    const w = v.filter((_, j) => j !== k);
    const sse = sumSq(y, interpolate(t, y, w));
    if (sse < bestSse) {
      bestSse = sse;
      best = k;
    }
  }
  return v.filter((_, k) => k !== best);
}

/** F-test of the model (vertices as parameters) against the mean. */
function modelP(y: number[], sse: number, nVertices: number): number {
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const sst = y.reduce((a, b) => a + (b - mean) ** 2, 0);
  const dfModel = nVertices - 1;
  const dfErr = n - nVertices;
  if (dfErr <= 0) return sse <= 1e-12 * Math.max(sst, 1e-12) && sst > 0 ? 0 : 1;
  if (sst <= 0) return 1;
  if (sse <= 1e-15) return 0;
  const f = (sst - sse) / dfModel / (sse / dfErr);
  return fSurvival(f, dfModel, dfErr);
}

function recoveryOk(t: number[], v: number[], fit: Float64Array, range: number, prm: SegmentParams): boolean {
  for (let k = 0; k + 1 < v.length; k++) {
    const dt = t[v[k + 1]!]! - t[v[k]!]!;
    const dy = fit[v[k + 1]!]! - fit[v[k]!]!;
    if (dy >= 0) continue; // loss or stable (loss is positive)
    if (prm.preventOneYearRecovery && dt <= 1) return false;
    if (range > 0 && -dy / dt > range / prm.recoveryThreshold / Math.max(1, t.length)) return false;
  }
  return true;
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

/** The segment with the greatest loss; its onset year is the first year after the start vertex. */
export function greatestDisturbance(s: Segmentation, minMagnitude: number): Disturbance | null {
  let best = -1;
  let mag = minMagnitude;
  for (let k = 0; k + 1 < s.vertexYears.length; k++) {
    const d = s.vertexValues[k + 1]! - s.vertexValues[k]!;
    if (d >= mag) {
      mag = d;
      best = k;
    }
  }
  if (best < 0) return null;
  const next = best + 2 < s.vertexYears.length ? best + 1 : -1;
  const rate = next >= 0 ? -(s.vertexValues[next + 1]! - s.vertexValues[next]!) / (s.vertexYears[next + 1]! - s.vertexYears[next]!) : 0;
  return {
    year: s.vertexYears[best]! + 1,
    magnitude: mag,
    duration: s.vertexYears[best + 1]! - s.vertexYears[best]!,
    preValue: s.vertexValues[best]!,
    recoveryRate: Math.max(0, rate),
    recoveryStart: s.vertexYears[best + 1]!,
  };
}
