/**
 * A temporal screen for clouds the quality band missed (docs/science.md, compositing): within one
 * season, an observation whose blue reflectance is far above the pixel's median blue over the
 * season's valid observations is cloud, haze or snow, whatever SCL or QA_PIXEL say. Blue is the
 * band clouds lift most and surfaces vary least in: bare soil, rock, vegetation and water stay
 * within about 0.05 of their seasonal level, an optically thick cloud sits 0.3-0.5 above it. So one
 * missed cloud cannot survive a 4-observation median and flip a pixel's class.
 */

export interface ScreenOptions {
  /** Blue reflectance above the seasonal median that marks an outlier (default 0.1). */
  blueExcess?: number;
  /** Fewest valid observations for a median to be trusted (default 3). */
  minObservations?: number;
}

export interface ScreenResult {
  /** Observations removed, per input observation. */
  removed: number[];
}

/** Clears `valid` where an observation is a bright outlier; returns how many were removed. */
export function screenBrightOutliers(obs: { bands: Record<string, Float32Array>; valid: Uint8Array }[], o: ScreenOptions = {}): ScreenResult {
  const excess = o.blueExcess ?? 0.1;
  const minObs = o.minObservations ?? 3;
  const removed = obs.map(() => 0);
  if (obs.length < minObs) return { removed };
  const n = obs[0]!.valid.length;
  const buf = new Float64Array(obs.length);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (const ob of obs) if (ob.valid[i]) buf[m++] = ob.bands.B![i]!;
    if (m < minObs) continue;
    const limit = medianOf(buf, m) + excess;
    for (const [k, ob] of obs.entries())
      if (ob.valid[i] && ob.bands.B![i]! > limit) {
        ob.valid[i] = 0;
        removed[k]!++;
      }
  }
  return { removed };
}

function medianOf(buf: Float64Array, m: number): number {
  const s = buf.subarray(0, m).sort();
  return m % 2 ? s[(m - 1) / 2]! : (s[m / 2 - 1]! + s[m / 2]!) / 2;
}
