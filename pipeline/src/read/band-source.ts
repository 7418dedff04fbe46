/**
 * One band of one file, delivered on any window of a target grid: the native window covering it
 * is read, nearest-resampled when grids differ (a 20 m Sentinel-2 band on the 10 m grid), and
 * rescaled to physical units with NaN for no-data.
 */
import { pixelToWorld, resampleNearestInto, sameGrid, windowForBounds, windowGrid } from "../grid.ts";
import type { Grid, Window } from "../raster.ts";
import type { GeoTiff } from "./geotiff.ts";
import type { Samples } from "./tiff-window.ts";

export interface BandSource {
  tiff: GeoTiff;
  /** 0-based sample index in the file. */
  band: number;
  grid: Grid;
}

/** Raw samples of `win` (of `target`) from the band, nearest-resampled; `fill` outside the band. */
export async function readOnGrid(src: BandSource, target: Grid, win: Window, fill: number, signal?: AbortSignal): Promise<Samples> {
  const dstGrid = windowGrid(target, win);
  if (sameGrid(src.grid, target)) return (await src.tiff.read(win, [src.band], undefined, signal))[0]!;
  const [x0, y0] = pixelToWorld(dstGrid.transform, 0, 0);
  const [x1, y1] = pixelToWorld(dstGrid.transform, win.width, win.height);
  const native = windowForBounds(src.grid, [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)]);
  const n = win.width * win.height;
  if (!native) {
    const empty = new Float32Array(n);
    empty.fill(fill);
    return empty;
  }
  const raw = (await src.tiff.read(native, [src.band], undefined, signal))[0]!;
  const out = new (raw.constructor as { new (n: number): Samples })(n);
  return resampleNearestInto(raw as Float32Array, windowGrid(src.grid, native), dstGrid, out as Float32Array, fill);
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
