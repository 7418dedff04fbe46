/**
 * Bands of files, delivered on any window of a target grid: the native window covering it is
 * read (only that window), nearest-resampled when grids differ (a 20 m Sentinel-2 band on the
 * 10 m grid; a scene in another UTM zone than the site grid), and rescaled to physical units with
 * NaN for no-data.
 */
import { pixelToWorld, resampleNearestInto, sameGrid, windowForBounds, windowGrid } from "../grid.ts";
import type { Grid, Window } from "../raster.ts";
import type { GeoTiff } from "./geotiff.ts";
import type { Samples } from "./tiff-window.ts";
import { pixelMap, samplePixelMap } from "./warp.ts";

export interface BandSource {
  tiff: GeoTiff;
  /** 0-based sample index in the file. */
  band: number;
  grid: Grid;
}

type SamplesCtor = { new (n: number): Samples };

/** Raw samples of `win` (of `target`) from the band, nearest-resampled; `fill` outside the band. */
export async function readOnGrid(src: BandSource, target: Grid, win: Window, fill: number, signal?: AbortSignal): Promise<Samples> {
  return (await readManyOnGrid([src], target, win, fill, signal))[0]!;
}

/**
 * Several bands of one file on one native grid (a multiband stack): one read serves all, so
 * pixel-interleaved tiles are fetched and inflated once.
 */
export async function readManyOnGrid(srcs: BandSource[], target: Grid, win: Window, fill: number, signal?: AbortSignal): Promise<Samples[]> {
  const { tiff, grid } = srcs[0]!;
  const bands = srcs.map((s) => s.band);
  const dstGrid = windowGrid(target, win);
  const n = win.width * win.height;
  if (sameGrid(grid, target)) return tiff.read(win, bands, undefined, signal);
  if (grid.crs !== target.crs) {
    const map = pixelMap(grid, dstGrid);
    const raws = map.window ? await tiff.read(map.window, bands, undefined, signal) : bands.map(() => new Float32Array(0));
    return raws.map((raw) => samplePixelMap(map, raw, new (raw.constructor as SamplesCtor)(n), fill));
  }
  const [x0, y0] = pixelToWorld(dstGrid.transform, 0, 0);
  const [x1, y1] = pixelToWorld(dstGrid.transform, win.width, win.height);
  const native = windowForBounds(grid, [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)]);
  if (!native) return bands.map(() => new Float32Array(n).fill(fill));
  const raws = await tiff.read(native, bands, undefined, signal);
  return raws.map((raw) => {
    const out = new (raw.constructor as SamplesCtor)(n);
    return resampleNearestInto(raw as Float32Array, windowGrid(grid, native), dstGrid, out as Float32Array, fill);
  });
}

/** value = DN * scale + offset; DN == nodata (or NaN) -> NaN. */
export function rescaleInto(raw: Samples, scale: number, offset: number, nodata: number | undefined, out: Float32Array): Float32Array {
  const nd = nodata ?? Number.NaN;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    out[i] = v === nd || v !== v ? Number.NaN : v * scale + offset;
  }
  return out;
}
