/**
 * LandTrendr's spike dampening ("desawtooth", Kennedy et al. 2010; the IDL desawtooth routine).
 * For an interior observation i with neighbours a = y[i-1] and b = y[i+1]:
 *   spike proportion  s_i = 1 - |a - b| / max(|y_i - a|, |y_i - b|)   (0 when y_i equals both)
 *   correction        c_i = s_i * ((a + b) / 2 - y_i)
 * s_i is 1 for a pure one-year spike (the neighbours agree) and falls towards 0 (or below, to -1)
 * as the step through the point explains more of the change. Each pass finds the largest s_i (the
 * earliest on ties); when it exceeds the threshold, y_i moves by c_i (a partial correction, by the
 * spike's own proportion) and the pass repeats on the corrected series; otherwise it stops. The
 * end points are never corrected. A threshold of 1 leaves the series as it is.
 * One departure: the IDL loop applies the correction it has just computed before testing the
 * threshold, so it always makes one last correction at or below the threshold; we stop before
 * it, as the parameter's documented meaning says (docs/change-rules.md; its effect is measured in
 * bench/segmentation.ts).
 */

/** One correction made by desawtooth, in the order made. */
export interface SpikeCorrection {
  index: number;
  proportion: number;
  correction: number;
}

/** Spike proportion s_i of interior observation i (see the file comment). */
export function spikeProportion(y: ArrayLike<number>, i: number): number {
  const a = y[i - 1]!;
  const b = y[i + 1]!;
  const m = Math.max(Math.abs(y[i]! - a), Math.abs(y[i]! - b));
  return m > 0 ? 1 - Math.abs(a - b) / m : 0;
}

/**
 * Dampens spikes, largest first, while the largest spike proportion exceeds `threshold`.
 * Returns a new array; `log`, when given, receives each correction. `finalStep` reproduces the
 * IDL loop's extra sub-threshold correction (for measurement only).
 */
export function desawtooth(values: ArrayLike<number>, threshold: number, log?: SpikeCorrection[], finalStep = false): Float64Array {
  const y = Float64Array.from(values);
  const n = y.length;
  if (n < 3 || !(threshold < 1)) return y;
  // Each correction shrinks the spike it fixes; the cap only guards against pathological input.
  for (let pass = 0; pass < 100 * n; pass++) {
    let best = 1;
    let prop = spikeProportion(y, 1);
    for (let i = 2; i < n - 1; i++) {
      const s = spikeProportion(y, i);
      if (s > prop) {
        prop = s;
        best = i;
      }
    }
    const stop = !(prop > threshold);
    if (stop && !finalStep) break;
    const correction = prop * (0.5 * (y[best - 1]! + y[best + 1]!) - y[best]!);
    y[best] = y[best]! + correction;
    log?.push({ index: best, proportion: prop, correction });
    if (stop) break;
  }
  return y;
}
