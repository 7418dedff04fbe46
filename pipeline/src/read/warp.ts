/**
 * Nearest-neighbour sampling across CRSs (a scene in UTM zone 50 read onto a site grid in zone
 * 49: Ganzhou straddles 114 E). Source positions are computed exactly with proj4 on a lattice of
 * every 16th target pixel and interpolated bilinearly in between (far below a millimetre for UTM
 * over 16 pixels); a target pixel takes the source pixel whose area holds its centre.
 */
import { invertAffine, pixelToWorld } from "../grid.ts";
import { transformer } from "../project.ts";
import type { Grid, Window } from "../raster.ts";

const STEP = 16;

export interface PixelMap {
  /** Source column/row per target pixel (row-major), -1 when the centre falls outside the source. */
  cols: Int32Array;
  rows: Int32Array;
  /** The source window holding every mapped pixel; null when none maps. */
  window: Window | null;
}

/** Source pixel of every target pixel centre. */
export function pixelMap(src: Grid, dst: Grid): PixelMap {
  const toSrc = transformer(dst.crs, src.crs);
  const inv = invertAffine(src.transform);
  const nx = Math.ceil((dst.width - 1) / STEP) + 1;
  const ny = Math.ceil((dst.height - 1) / STEP) + 1;
  // Fractional source pixel coordinates at lattice nodes.
  const lat = new Float64Array(nx * ny * 2);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const [wx, wy] = pixelToWorld(dst.transform, Math.min(i * STEP, dst.width - 1) + 0.5, Math.min(j * STEP, dst.height - 1) + 0.5);
      const [sx, sy] = toSrc(wx, wy);
      const q = (j * nx + i) * 2;
      lat[q] = inv[0] * sx + inv[1] * sy + inv[2];
      lat[q + 1] = inv[3] * sx + inv[4] * sy + inv[5];
    }
  const n = dst.width * dst.height;
  const cols = new Int32Array(n);
  const rows = new Int32Array(n);
  let c0 = Number.POSITIVE_INFINITY;
  let r0 = Number.POSITIVE_INFINITY;
  let c1 = -1;
  let r1 = -1;
  const xi = new Int32Array(dst.width);
  const xt = new Float64Array(dst.width);
  for (let x = 0; x < dst.width; x++) [xi[x], xt[x]] = axis(x, nx, dst.width);
  for (let y = 0; y < dst.height; y++) {
    const [j, ty] = axis(y, ny, dst.height);
    const top = j * nx * 2;
    const below = ny > 1 ? top + nx * 2 : top;
    for (let x = 0; x < dst.width; x++) {
      const q = xi[x]! * 2;
      const q1 = nx > 1 ? q + 2 : q;
      const tx = xt[x]!;
      const fc = (lat[top + q]! * (1 - tx) + lat[top + q1]! * tx) * (1 - ty) + (lat[below + q]! * (1 - tx) + lat[below + q1]! * tx) * ty;
      const fr = (lat[top + q + 1]! * (1 - tx) + lat[top + q1 + 1]! * tx) * (1 - ty) + (lat[below + q + 1]! * (1 - tx) + lat[below + q1 + 1]! * tx) * ty;
      const c = Math.floor(fc + 1e-9);
      const r = Math.floor(fr + 1e-9);
      const k = y * dst.width + x;
      if (c < 0 || r < 0 || c >= src.width || r >= src.height) {
        cols[k] = -1;
        rows[k] = -1;
        continue;
      }
      cols[k] = c;
      rows[k] = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
    }
  }
  return { cols, rows, window: c1 < 0 ? null : { x: c0, y: r0, width: c1 - c0 + 1, height: r1 - r0 + 1 } };
}

/** Lattice cell of pixel `p` along an axis of `size` pixels with `n` nodes: [node, weight of the next node]. */
function axis(p: number, n: number, size: number): [number, number] {
  if (n === 1) return [0, 0];
  const i = Math.min(Math.floor(p / STEP), n - 2);
  const a = i * STEP;
  const b = Math.min((i + 1) * STEP, size - 1);
  return [i, (p - a) / (b - a)];
}

/** Samples `raw` (the map's source window) into `out` through the map; `fill` where nothing maps. */
export function samplePixelMap<T extends { [i: number]: number; length: number }>(map: PixelMap, raw: T, out: T, fill: number): T {
  const win = map.window;
  for (let k = 0; k < out.length; k++) {
    const c = map.cols[k]!;
    out[k] = c < 0 || !win ? fill : raw[(map.rows[k]! - win.y) * win.width + (c - win.x)]!;
  }
  return out;
}
