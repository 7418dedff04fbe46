/**
 * Overview building blocks: the pyramid's level sizes and the 2x2 reduction of a pair of rows.
 * At the right edge of an odd width (and on the last row of an odd height) the window holds the
 * edge pixels twice, which changes neither a mean nor a mode.
 */
import type { SampleArray } from "./cog-tile.ts";

export type Resampling = "average" | "nearest" | "mode";

/** Level sizes: full resolution, then halves (rounded up) until the level fits in one tile. */
export function pyramidSizes(width: number, height: number, tile: number): [number, number][] {
  const out: [number, number][] = [[width, height]];
  while (out.at(-1)![0] > tile || out.at(-1)![1] > tile) {
    const [w, h] = out.at(-1)!;
    out.push([Math.ceil(w / 2), Math.ceil(h / 2)]);
  }
  return out;
}

/**
 * Rows `a` and `b` (width `w`; pass the same row twice for a last odd row) -> `out` (width
 * ceil(w / 2)). "average" skips NaN and `nodata` and gives `nodata` when all four are missing
 * (integers round half up); "nearest" takes the top-left pixel; "mode" the most frequent valid
 * value, the first seen on ties.
 */
export function downsampleRows(a: SampleArray, b: SampleArray, w: number, out: SampleArray, resampling: Resampling, nodata: number): void {
  const w2 = (w + 1) >> 1;
  if (resampling === "nearest") {
    for (let x = 0; x < w2; x++) out[x] = a[2 * x]!;
  } else if (resampling === "mode") {
    modeRows(a, b, w, out, nodata);
  } else if (out instanceof Float32Array) {
    averageRows(a, b, w, out, nodata, false);
  } else {
    averageRows(a, b, w, out, nodata, true);
  }
}

function averageRows(a: SampleArray, b: SampleArray, w: number, out: SampleArray, nd: number, round: boolean): void {
  const w2 = (w + 1) >> 1;
  for (let x = 0; x < w2; x++) {
    const i = 2 * x;
    const j = i + 1 < w ? i + 1 : i;
    let s = 0;
    let k = 0;
    let v = a[i]!;
    if (v === v && v !== nd) {
      s += v;
      k++;
    }
    v = a[j]!;
    if (v === v && v !== nd) {
      s += v;
      k++;
    }
    v = b[i]!;
    if (v === v && v !== nd) {
      s += v;
      k++;
    }
    v = b[j]!;
    if (v === v && v !== nd) {
      s += v;
      k++;
    }
    out[x] = k === 0 ? nd : round ? Math.floor(s / k + 0.5) : s / k;
  }
}

function modeRows(a: SampleArray, b: SampleArray, w: number, out: SampleArray, nd: number): void {
  const w2 = (w + 1) >> 1;
  const vals = [0, 0, 0, 0];
  for (let x = 0; x < w2; x++) {
    const i = 2 * x;
    const j = i + 1 < w ? i + 1 : i;
    vals[0] = a[i]!;
    vals[1] = a[j]!;
    vals[2] = b[i]!;
    vals[3] = b[j]!;
    let best = nd;
    let bestCount = 0;
    for (let p = 0; p < 4; p++) {
      const v = vals[p]!;
      if (v !== v || v === nd) continue;
      let c = 0;
      for (let q = 0; q < 4; q++) if (vals[q] === v) c++;
      if (c > bestCount) {
        best = v;
        bestCount = c;
      }
    }
    out[x] = best;
  }
}
