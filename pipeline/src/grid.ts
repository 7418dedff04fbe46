/** Affine transforms, windows and resampling between grids that share a CRS. */
import { OutsideBounds } from "./errors.ts";
import type { Affine, Grid, Window } from "./raster.ts";

export type Bounds = [minX: number, minY: number, maxX: number, maxY: number];

/** World coordinates of a fractional pixel position (col, row measured from the top-left corner). */
export function pixelToWorld(t: Affine, col: number, row: number): [number, number] {
  return [t[0] * col + t[1] * row + t[2], t[3] * col + t[4] * row + t[5]];
}

export function invertAffine(t: Affine): Affine {
  const [a, b, c, d, e, f] = t;
  const det = a * e - b * d;
  if (det === 0) throw new OutsideBounds(`transform [${t.join(", ")}] is not invertible`);
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** Fractional pixel position of a world coordinate. */
export function worldToPixel(t: Affine, x: number, y: number): [number, number] {
  return pixelToWorld(invertAffine(t), x, y);
}

export function resolution(grid: Grid): [number, number] {
  const [a, b, , d, e] = grid.transform;
  return [Math.hypot(a, d), Math.hypot(b, e)];
}

/** Bounds of the whole grid in its CRS (outer pixel edges). */
export function gridBounds(grid: Grid): Bounds {
  const corners = [
    pixelToWorld(grid.transform, 0, 0),
    pixelToWorld(grid.transform, grid.width, 0),
    pixelToWorld(grid.transform, 0, grid.height),
    pixelToWorld(grid.transform, grid.width, grid.height),
  ];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The grid of a window of `grid`. */
export function windowGrid(grid: Grid, win: Window): Grid {
  const [a, b, , d, e] = grid.transform;
  const [c, f] = pixelToWorld(grid.transform, win.x, win.y);
  return { crs: grid.crs, transform: [a, b, c, d, e, f], width: win.width, height: win.height };
}

/** Smallest pixel window covering `bounds` (in the grid's CRS), clipped to the grid; null when disjoint. */
export function windowForBounds(grid: Grid, bounds: Bounds): Window | null {
  const inv = invertAffine(grid.transform);
  const [x0, y0, x1, y1] = bounds;
  const pts = [pixelToWorld(inv, x0, y0), pixelToWorld(inv, x1, y0), pixelToWorld(inv, x0, y1), pixelToWorld(inv, x1, y1)];
  const cols = pts.map((p) => p[0]);
  const rows = pts.map((p) => p[1]);
  const eps = 1e-9;
  const c0 = Math.max(0, Math.floor(Math.min(...cols) + eps));
  const r0 = Math.max(0, Math.floor(Math.min(...rows) + eps));
  const c1 = Math.min(grid.width, Math.ceil(Math.max(...cols) - eps));
  const r1 = Math.min(grid.height, Math.ceil(Math.max(...rows) - eps));
  if (c1 <= c0 || r1 <= r0) return null;
  return { x: c0, y: r0, width: c1 - c0, height: r1 - r0 };
}

/** Split a width x height area into blocks of at most `size` x `size`, row by row. */
export function blocks(width: number, height: number, size = 512): Window[] {
  const out: Window[] = [];
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) {
      out.push({ x, y, width: Math.min(size, width - x), height: Math.min(size, height - y) });
    }
  }
  return out;
}

/** A window cut into full-width strips of `rows` rows (the last may be shorter), top to bottom. */
export function strips(win: Window, rows: number): Window[] {
  const out: Window[] = [];
  for (let y = 0; y < win.height; y += rows) out.push({ x: win.x, y: win.y + y, width: win.width, height: Math.min(rows, win.height - y) });
  return out;
}

/** The whole grid as a window. */
export const wholeWindow = (grid: Grid): Window => ({ x: 0, y: 0, width: grid.width, height: grid.height });

/**
 * Nearest-neighbour resampling from `src` on `srcGrid` to `dst` on `dstGrid` (same CRS, no rotation).
 * Destination pixels whose centre falls outside the source get `fill`.
 */
export function resampleNearestInto<T extends Float32Array | Uint16Array | Uint8Array>(src: T, srcGrid: Grid, dstGrid: Grid, dst: T, fill: number): T {
  const inv = invertAffine(srcGrid.transform);
  const colOf = new Int32Array(dstGrid.width);
  for (let x = 0; x < dstGrid.width; x++) {
    const [wx] = pixelToWorld(dstGrid.transform, x + 0.5, 0.5);
    colOf[x] = Math.floor(inv[0] * wx + inv[2] + 1e-9);
  }
  for (let y = 0; y < dstGrid.height; y++) {
    const [, wy] = pixelToWorld(dstGrid.transform, 0.5, y + 0.5);
    const row = Math.floor(inv[4] * wy + inv[5] + 1e-9);
    const base = y * dstGrid.width;
    if (row < 0 || row >= srcGrid.height) {
      dst.fill(fill, base, base + dstGrid.width);
      continue;
    }
    const srcBase = row * srcGrid.width;
    for (let x = 0; x < dstGrid.width; x++) {
      const col = colOf[x]!;
      dst[base + x] = col >= 0 && col < srcGrid.width ? src[srcBase + col]! : fill;
    }
  }
  return dst;
}

/** True when two grids are the same pixel lattice (same CRS, transform and size). */
export function sameGrid(a: Grid, b: Grid, tol = 1e-6): boolean {
  return (
    a.crs === b.crs &&
    a.width === b.width &&
    a.height === b.height &&
    a.transform.every((v, i) => Math.abs(v - b.transform[i]!) <= tol * Math.max(1, Math.abs(v)))
  );
}
