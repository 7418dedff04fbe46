/**
 * Areas of interest: polygons in EPSG:4326 (RFC 7946), reprojected into a scene's CRS, turned into
 * the pixel window to read and a per-pixel inside mask. This file is the layer's door: loading
 * (GeoJSON, KML, zipped shapefiles, GCJ-02/BD-09 datums), validation and buffering live next to it.
 */
import { OutsideBounds } from "../errors.ts";
import { type Bounds, invertAffine, pixelToWorld, windowForBounds } from "../grid.ts";
import { transformer } from "../project.ts";
import type { Grid, Window } from "../raster.ts";
import type { Aoi } from "./parse.ts";

export { bufferAoi } from "./buffer.ts";
export type { AoiCrs } from "./datum.ts";
export { type LoadAoiOptions, loadAoi } from "./load.ts";
export { type Aoi, type AoiConversion, parseAoi } from "./parse.ts";

/** The AOI's rings in `crs`, with each edge densified so curved projected edges stay accurate. */
export function projectAoi(aoi: Aoi, crs: string, densify = 8): number[][][][] {
  return projectRings(aoi.polygons, "EPSG:4326", crs, densify);
}

/** Rings from CRS `from` to `to`, each edge densified `densify` times (curved projected edges stay accurate). */
export function projectRings(polys: number[][][][], from: string, to: string, densify = 8): number[][][][] {
  const fwd = transformer(from, to);
  return polys.map((poly) =>
    poly.map((ring) => {
      const out: number[][] = [];
      for (let i = 0; i < ring.length - 1; i++) {
        const [x0, y0] = ring[i] as [number, number];
        const [x1, y1] = ring[i + 1] as [number, number];
        for (let k = 0; k < densify; k++) out.push(fwd(x0 + ((x1 - x0) * k) / densify, y0 + ((y1 - y0) * k) / densify));
      }
      out.push(out[0]!);
      return out;
    }),
  );
}

export function ringsBounds(polygons: number[][][][]): Bounds {
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygons)
    for (const [x, y] of poly[0]!) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  return b;
}

/** Pixel window of `grid` covering the AOI; OutsideBounds when they do not overlap. */
export function aoiWindow(aoi: Aoi, grid: Grid): Window {
  const win = windowForBounds(grid, ringsBounds(projectAoi(aoi, grid.crs)));
  if (!win) throw new OutsideBounds(`${aoi.label}: AOI does not overlap the scene (${grid.crs}, ${grid.width}x${grid.height} px)`);
  return win;
}

/**
 * 1 where the pixel centre lies inside the AOI (even-odd rule, so holes work), 0 elsewhere,
 * for `win` of `grid`. Scanline fill: per row, sort the edge crossings and fill between pairs.
 */
export function rasterizeAoi(aoi: Aoi, grid: Grid, win: Window): Uint8Array {
  return rasterizeRings(projectAoi(aoi, grid.crs), grid, win);
}

export function rasterizeRings(polygons: number[][][][], grid: Grid, win: Window): Uint8Array {
  const mask = new Uint8Array(win.width * win.height);
  const inv = invertAffine(grid.transform);
  // Rings in fractional pixel coordinates of the grid (no rotation assumed for scanlines).
  const rings = polygons.flat().map((ring) => ring.map(([x, y]) => pixelToWorld(inv, x!, y!)));
  const xs: number[] = [];
  for (let row = 0; row < win.height; row++) {
    const cy = win.y + row + 0.5;
    xs.length = 0;
    for (const ring of rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        const [ax, ay] = ring[i]!;
        const [bx, by] = ring[i + 1]!;
        if (ay <= cy !== by <= cy) xs.push(ax + ((cy - ay) / (by - ay)) * (bx - ax));
      }
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(win.x, Math.ceil(xs[k]! - 0.5));
      const c1 = Math.min(win.x + win.width - 1, Math.ceil(xs[k + 1]! - 0.5) - 1);
      if (c1 >= c0) mask.fill(1, row * win.width + (c0 - win.x), row * win.width + (c1 - win.x) + 1);
    }
  }
  return mask;
}
