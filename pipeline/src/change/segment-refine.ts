/**
 * Breakpoint refinement (a departure from LandTrendr, measured in bench/segmentation.ts and
 * documented in docs/change-rules.md). LandTrendr's vertices are where its greedy search split a
 * segment and its angle cull left them; on noisy series the vertex before an abrupt loss often
 * lands a year early (on a noise dip) or is culled in favour of a noise wiggle. As segmented
 * regression does (Bai and Perron 1998 optimise breakpoints by the residual sum of squares), each
 * interior vertex in turn moves to the observation between its neighbours where the model's
 * fitted trace leaves the smallest SSE, until a pass moves none (at most MAX_PASSES passes).
 */
import type { Trace } from "./segment-fit.ts";

const MAX_PASSES = 4;

function sse(y: ArrayLike<number>, fit: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - fit[i]!) ** 2;
  return s;
}

/** Vertices v moved, one at a time, to their least-SSE positions under `fitTrace`. */
export function refineVertices(y: ArrayLike<number>, v: number[], fitTrace: (v: number[]) => Trace): number[] {
  const out = v.slice();
  let best = sse(y, fitTrace(out).fit);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let moved = false;
    for (let k = 1; k + 1 < out.length; k++) {
      const home = out[k]!;
      let at = home;
      for (let i = out[k - 1]! + 1; i < out[k + 1]!; i++) {
        if (i === home) continue;
        out[k] = i;
        const s = sse(y, fitTrace(out).fit);
        if (s < best - 1e-12) {
          best = s;
          at = i;
        }
      }
      out[k] = at;
      moved ||= at !== home;
    }
    if (!moved) break;
  }
  return out;
}
