/**
 * Candidate vertices of a LandTrendr segmentation (Kennedy et al. 2010; the IDL find_vertices and
 * vet_verts3 routines). Vertices are indices into the series; the first and last observation are
 * always vertices.
 * - Search: repeatedly take the segment whose own least-squares line leaves the largest mean
 *   squared residual, and split it at the observation farthest from that line. With the
 *   one-year-recovery rule, the second-to-last observation of the last segment may only become a
 *   vertex when the last value is higher (a loss), so the series cannot end in a one-year recovery.
 * - Cull: with values rescaled so that their range equals the span of years (a square plot), each
 *   interior vertex scores max(|angle in|, |angle out|) times (1 + max(0, 2 * rise out / range)),
 *   which favours vertices before a loss; the lowest-scoring vertex goes until `keep` remain. On a
 *   tie (a vertex inside a straight run scores like the corner ending it) the smaller change of
 *   angle goes first: a tie-break of ours, which only noise-free series meet.
 *   The "turn" score (the change of angle, |angle out - angle in|, same weight) is kept only to
 *   measure the choice (bench/segmentation.ts); the reference code computes it and then
 *   overwrites it with the max-angle score.
 */

export type CullScore = "reference" | "turn";

/** Least-squares line through observations a..b (inclusive): its value at t[a], its slope, its SSE. */
export function olsLine(t: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number): { at: number; slope: number; sse: number } {
  const m = b - a + 1;
  let st = 0;
  let sy = 0;
  for (let i = a; i <= b; i++) {
    st += t[i]! - t[a]!;
    sy += y[i]!;
  }
  const mt = st / m;
  const my = sy / m;
  let stt = 0;
  let sty = 0;
  for (let i = a; i <= b; i++) {
    const dt = t[i]! - t[a]! - mt;
    stt += dt * dt;
    sty += dt * (y[i]! - my);
  }
  const slope = stt > 0 ? sty / stt : 0;
  const at = my - slope * mt;
  let sse = 0;
  for (let i = a; i <= b; i++) sse += (y[i]! - at - slope * (t[i]! - t[a]!)) ** 2;
  return { at, slope, sse };
}

/** Mean squared residual of a segment's own least-squares line; 0 for two points or a constant run. */
function segmentScore(t: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number): number {
  if (b - a + 1 <= 2) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = a; i <= b; i++) {
    lo = Math.min(lo, y[i]!);
    hi = Math.max(hi, y[i]!);
  }
  return hi > lo ? olsLine(t, y, a, b).sse / (b - a + 1) : 0;
}

/** The interior observation of a..b farthest from the segment's least-squares line, or -1. */
function splitPoint(t: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number, lastSegment: boolean, oneYearRule: boolean): number {
  const line = olsLine(t, y, a, b);
  let best = -1;
  let dev = 0;
  for (let i = a + 1; i < b; i++) {
    let d = Math.abs(y[i]! - line.at - line.slope * (t[i]! - t[a]!));
    if (oneYearRule && lastSegment && i === b - 1 && !(y[b]! > y[b - 1]!)) d = 0;
    if (d > dev) {
      dev = d;
      best = i;
    }
  }
  return best;
}

/** Up to min(maxCount, n - 2) vertices found by splitting the worst-fitting segment. */
export function candidateVertices(t: ArrayLike<number>, y: ArrayLike<number>, maxCount: number, oneYearRule: boolean): number[] {
  const n = t.length;
  const v = [0, n - 1];
  const m = Math.min(maxCount, n - 2);
  while (v.length < m) {
    const score = v.slice(0, -1).map((a, k) => segmentScore(t, y, a, v[k + 1]!));
    let split = -1;
    let seg = -1;
    while (split < 0) {
      seg = score.indexOf(Math.max(...score));
      if (!(score[seg]! > 0)) return v;
      split = splitPoint(t, y, v[seg]!, v[seg + 1]!, seg === v.length - 2, oneYearRule);
      if (split < 0) score[seg] = 0;
    }
    v.splice(seg + 1, 0, split);
  }
  return v;
}

/** Cull score of vertex v[k] against its neighbours on the square-scaled plot: [score, change of angle]. */
export function cullScore(t: ArrayLike<number>, ys: ArrayLike<number>, v: number[], k: number, span: number, kind: CullScore): [number, number] {
  const [a, b, c] = [v[k - 1]!, v[k]!, v[k + 1]!];
  const inAngle = Math.atan((ys[b]! - ys[a]!) / (t[b]! - t[a]!));
  const outAngle = Math.atan((ys[c]! - ys[b]!) / (t[c]! - t[b]!));
  const weight = 1 + Math.max(0, (2 * (ys[c]! - ys[b]!)) / span);
  const turn = Math.abs(outAngle - inAngle);
  return [(kind === "reference" ? Math.max(Math.abs(inAngle), Math.abs(outAngle)) : turn) * weight, turn];
}

/** Removes the lowest-scoring interior vertex until `keep` vertices remain. */
export function cullVertices(t: ArrayLike<number>, y: ArrayLike<number>, vertices: number[], keep: number, kind: CullScore = "reference"): number[] {
  const n = t.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, y[i]!);
    hi = Math.max(hi, y[i]!);
  }
  const span = t[n - 1]! - t[0]!;
  const ys = Array.from({ length: n }, (_, i) => (hi > lo ? ((y[i]! - lo) / (hi - lo)) * span : 0));
  const v = vertices.slice();
  while (v.length > Math.max(2, keep)) {
    let worst = 1;
    let low: [number, number] = [Infinity, Infinity];
    for (let k = 1; k + 1 < v.length; k++) {
      const s = cullScore(t, ys, v, k, span, kind);
      // Ties (a vertex in the middle of a straight run scores like the corner that ends it) go to the smaller turn.
      const tie = Math.abs(s[0] - low[0]) <= 1e-9 * Math.max(1, low[0]);
      if (tie ? s[1] < low[1] : s[0] < low[0]) {
        low = s;
        worst = k;
      }
    }
    v.splice(worst, 1);
  }
  return v;
}
