/** Open COGs and whole rasters of run directories, cached (the server reads the same files often). */
import { join } from "node:path";
import { sampleValue } from "../../common/sample-value.ts";
import type { Grid } from "../../pipeline/src/index.ts";
import { BlockCache, type GeoTiff, openGeoTiff } from "../../pipeline/src/index.ts";
import { HttpError } from "./http-errors.ts";
import { Lru } from "./lru.ts";

/** Open files, each with a block cache of BLOCK_CACHE bytes: at most 32 x 16 MiB of decoded blocks. */
const BLOCK_CACHE = 16 << 20;
const tiffs = new Lru<string, Promise<GeoTiff>>(32, (p) => void p.then((t) => t.close()).catch(() => {}));
/** Whole rasters (zonal statistics), bounded in bytes as well as in count. */
const rasters = new Lru<string, Promise<Float32Array>>(48, undefined, 256 << 20);

export function cog(dir: string, rel: string): Promise<GeoTiff> {
  const path = join(dir, rel);
  let p = tiffs.get(path);
  if (!p) {
    p = openGeoTiff(path).then((t) => {
      t.file.blockCache = new BlockCache(BLOCK_CACHE);
      return t;
    });
    tiffs.set(path, p);
    // A failed open is not cached: the next request tries again.
    p.catch(() => tiffs.delete(path));
  }
  return p.catch(() => {
    throw new HttpError(404, `${rel}: not found in the run`);
  });
}

export async function wholeRaster(dir: string, rel: string): Promise<Float32Array> {
  const key = join(dir, rel);
  let p = rasters.get(key);
  if (!p) {
    p = cog(dir, rel).then(async (t) => {
      const a = (await t.read({ x: 0, y: 0, width: t.image.width, height: t.image.height }))[0]!;
      return a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>);
    });
    rasters.set(key, p);
    p.then(
      (a) => rasters.resize(key, a.byteLength),
      () => rasters.delete(key),
    );
  }
  return p;
}

export async function pixelValue(dir: string, rel: string, grid: Grid, col: number, row: number): Promise<number | null> {
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return null;
  const t = await cog(dir, rel);
  const v = (await t.read({ x: col, y: row, width: 1, height: 1 }))[0]![0]!;
  return sampleValue(v, t.nodata);
}

/**
 * Every band of one pixel of a multi-band COG (observation stacks: band = scene), scaled by the
 * file's scale/offset, no-data -> null, each with its band description (the scene's datetime).
 * A run without the file (older runs, pairs) has no observations: [].
 */
export async function pixelBands(dir: string, rel: string, grid: Grid, col: number, row: number): Promise<{ date: string; value: number | null }[]> {
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return [];
  const t = await cog(dir, rel).catch(() => null);
  if (!t) return [];
  const bands = Array.from({ length: t.bandCount }, (_, i) => i);
  const values = await t.read({ x: col, y: row, width: 1, height: 1 }, bands);
  return values.map((v, i) => ({ date: t.descriptions[i] ?? "", value: sampleValue(v[0]!, t.nodata, t.scales[i], t.offsets[i]) }));
}
