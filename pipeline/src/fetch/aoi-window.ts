/**
 * The part of a scene to fetch: the (buffered) AOI's bounds in the scene's CRS, snapped outward to
 * the coarsest band's pixel grid, so the 10 m, 20 m and 60 m windows of one item cover exactly the
 * same ground and line up pixel for pixel, as the full tiles do.
 */
import { type Aoi, projectAoi, rasterizeRings, ringsBounds } from "../aoi/aoi.ts";
import { type Bounds, pixelToWorld, resolution, windowForBounds } from "../grid.ts";
import type { Grid, Window } from "../raster.ts";

/**
 * World bounds of whole coarse pixels covering the AOI's bounds grown by `marginM` metres, clipped
 * to the coarse grid; null when disjoint. The margin is added in the scene's own CRS, where a
 * metre is a metre (UTM); for a geographic CRS it is turned into degrees of latitude.
 */
export function snappedBounds(aoi: Aoi, coarse: Grid, marginM = 0): Bounds | null {
  const [x0a, y0a, x1a, y1a] = ringsBounds(projectAoi(aoi, coarse.crs));
  const m = isGeographic(coarse) ? marginM / 111_320 : marginM;
  const win = windowForBounds(coarse, [x0a - m, y0a - m, x1a + m, y1a + m]);
  if (!win) return null;
  const [x0, y0] = pixelToWorld(coarse.transform, win.x, win.y);
  const [x1, y1] = pixelToWorld(coarse.transform, win.x + win.width, win.y + win.height);
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}

/** The grid with the largest pixels (the window is snapped to it). */
export function coarsestGrid(grids: Grid[]): Grid {
  return grids.reduce((a, b) => (resolution(b)[0] > resolution(a)[0] ? b : a));
}

/** A band's window for the snapped bounds; null when the band does not reach them. */
export function bandWindow(grid: Grid, bounds: Bounds): Window | null {
  // Shrink by a hair so bounds on pixel edges do not pull in a neighbouring pixel.
  const [rx, ry] = resolution(grid);
  const e = 1e-6 * Math.min(rx, ry);
  return windowForBounds(grid, [bounds[0] + e, bounds[1] + e, bounds[2] - e, bounds[3] - e]);
}

/** 1 where the pixel centre is inside the AOI, for `win` of `grid`. */
export function aoiMask(aoi: Aoi, grid: Grid, win: Window): Uint8Array {
  return rasterizeRings(projectAoi(aoi, grid.crs), grid, win);
}

/** A lon/lat grid: pixel sizes far below a metre are degrees. */
function isGeographic(grid: Grid): boolean {
  return resolution(grid)[0] < 0.1;
}
