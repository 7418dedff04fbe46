/**
 * Fitting a LandTrendr model (a continuous broken line through fixed vertex positions) and scoring
 * it, after the IDL tbcd_v2 and calc_fitting_stats3 routines (Kennedy et al. 2010).
 * - anchoredTrace: left to right, the first segment is the better (lower SSE) of the straight line
 *   between its vertex observations and its own least-squares line; every later segment starts at
 *   the previous segment's end value and is the better of the line to its end observation and the
 *   least-squares line anchored at that start value.
 * - leastSquaresTrace: the vertex values that minimise the SSE of the whole broken line (a linear
 *   least-squares problem; the reference reaches the same optimum with Levenberg-Marquardt). Used
 *   when no anchored model passes the p-value threshold.
 * - fTest: F = (SST - SSE)/k / (SSE/(n - k - 1)) against the mean, with k = 2V - 2 parameters for
 *   V vertices as the reference counts them (a value per vertex, a year per interior vertex);
 *   p = 1 when n - k - 1 <= 0.
 * - weakestVertex: the interior vertex whose removal costs least: SSE of the straight line between
 *   its neighbours' fitted values over the observations they span, per year spanned.
 */
import { olsLine } from "./segment-vertices.ts";
import { fSurvival } from "./stats-dist.ts";

/** A fitted broken line: the value at each vertex, the fit at each observation, each segment's slope per year. */
export interface Trace {
  vertexValues: number[];
  fit: Float64Array;
  slopes: number[];
}

/** Straight line from (t[a], ya) with slope s over observations a..b: SSE and the fit written into `out`. */
function lineInto(t: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number, ya: number, s: number, out?: Float64Array): number {
  let sse = 0;
  for (let i = a; i <= b; i++) {
    const f = ya + s * (t[i]! - t[a]!);
    if (out) out[i] = f;
    sse += (y[i]! - f) ** 2;
  }
  return sse;
}

/** The anchored left-to-right trace through vertices v (see the file comment). */
export function anchoredTrace(t: ArrayLike<number>, y: ArrayLike<number>, v: number[]): Trace {
  const vv = v.map((i) => y[i]!);
  const fit = new Float64Array(t.length);
  const slopes: number[] = [];
  for (let s = 0; s + 1 < v.length; s++) {
    const [a, b] = [v[s]!, v[s + 1]!];
    const dotSlope = (vv[s + 1]! - vv[s]!) / (t[b]! - t[a]!);
    let start = vv[s]!;
    let slope = dotSlope;
    if (s === 0) {
      const ols = olsLine(t, y, a, b);
      if (lineInto(t, y, a, b, start, slope) > ols.sse) [start, slope] = [ols.at, ols.slope];
    } else {
      let num = 0;
      let den = 0;
      for (let i = a; i <= b; i++) {
        num += (t[i]! - t[a]!) * (y[i]! - start);
        den += (t[i]! - t[a]!) ** 2;
      }
      if (lineInto(t, y, a, b, start, slope) > lineInto(t, y, a, b, start, num / den)) slope = num / den;
    }
    lineInto(t, y, a, b, start, slope, fit);
    vv[s] = start;
    vv[s + 1] = start + slope * (t[b]! - t[a]!);
    slopes.push(slope);
  }
  return { vertexValues: vv, fit, slopes };
}

/** Fills the broken line through (t[v[k]], vv[k]) at every observation. */
export function traceFrom(t: ArrayLike<number>, v: number[], vv: number[]): Trace {
  const fit = new Float64Array(t.length);
  const slopes: number[] = [];
  for (let s = 0; s + 1 < v.length; s++) {
    const [a, b] = [v[s]!, v[s + 1]!];
    const slope = (vv[s + 1]! - vv[s]!) / (t[b]! - t[a]!);
    for (let i = a; i <= b; i++) fit[i] = vv[s]! + slope * (t[i]! - t[a]!);
    slopes.push(slope);
  }
  return { vertexValues: vv.slice(), fit, slopes };
}

/** The least-squares vertex values for vertices v (normal equations of the hat-function basis). */
export function leastSquaresTrace(t: ArrayLike<number>, y: ArrayLike<number>, v: number[]): Trace {
  const m = v.length;
  const a = Array.from({ length: m }, () => new Float64Array(m + 1));
  for (let s = 0; s + 1 < m; s++) {
    const [i0, i1] = [v[s]!, v[s + 1]!];
    for (let i = s === 0 ? i0 : i0 + 1; i <= i1; i++) {
      const u = (t[i]! - t[i0]!) / (t[i1]! - t[i0]!);
      const w = [1 - u, u];
      for (let p = 0; p < 2; p++) {
        for (let q = 0; q < 2; q++) a[s + p]![s + q] = a[s + p]![s + q]! + w[p]! * w[q]!;
        a[s + p]![m] = a[s + p]![m]! + w[p]! * y[i]!;
      }
    }
  }
  return traceFrom(t, v, solve(a));
}

/** Gaussian elimination with partial pivoting on an augmented m x (m + 1) system. */
function solve(a: Float64Array[]): number[] {
  const m = a.length;
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    for (let r = c + 1; r < m; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= m; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = a[r]![m]!;
    for (let k = r + 1; k < m; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** F-test of a fit with k parameters against the series mean. */
export function fTest(y: ArrayLike<number>, fit: ArrayLike<number>, k: number): { f: number; p: number } {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]! / n;
  let sst = 0;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    sst += (y[i]! - mean) ** 2;
    sse += (y[i]! - fit[i]!) ** 2;
  }
  sse = Math.min(sse, sst);
  const dfErr = n - k - 1;
  if (dfErr <= 0 || !(sst > 0) || k <= 0) return { f: 0, p: 1 };
  if (sse <= 1e-15 * sst) return { f: Infinity, p: 0 };
  const f = (sst - sse) / k / (sse / dfErr);
  return { f, p: fSurvival(f, k, dfErr) };
}

/** Index (into v) of the interior vertex whose removal costs least, given the vertex values vv. */
export function weakestVertex(t: ArrayLike<number>, y: ArrayLike<number>, v: number[], vv: number[]): number {
  let best = 1;
  let low = Infinity;
  for (let k = 1; k + 1 < v.length; k++) {
    const [a, b] = [v[k - 1]!, v[k + 1]!];
    const slope = (vv[k + 1]! - vv[k - 1]!) / (t[b]! - t[a]!);
    const cost = lineInto(t, y, a, b, vv[k - 1]!, slope) / (t[b]! - t[a]!);
    if (cost < low) {
      low = cost;
      best = k;
    }
  }
  return best;
}
