/**
 * A fetched window written as a COG on the source's own pixel grid: same data type, DNs as read,
 * the source's no-data value, band description, GDAL metadata and per-band scale/offset, and the
 * CRS in the GeoKeys, so a fetched band reads exactly like the window of the original file.
 */
import { ReewatchError } from "../errors.ts";
import { windowGrid } from "../grid.ts";
import type { Window } from "../raster.ts";
import type { GeoTiff } from "../read/geotiff.ts";
import { type CogDataType, CogWriter } from "../write/cog.ts";

export async function writeWindowCog(path: string, src: GeoTiff, win: Window, data: ArrayLike<number>, description: string): Promise<void> {
  const grid = windowGrid(src.grid!, win);
  const dataType = cogType(src);
  const keepScale = src.scales[0] !== 1 || src.offsets[0] !== 0;
  const w = await CogWriter.create(path, grid, dataType, 1, {
    ...(src.nodata !== undefined && Number.isFinite(src.nodata) ? { nodata: src.nodata } : {}),
    bandDescriptions: [src.descriptions[0] || description],
    metadata: src.metadata,
    ...(keepScale ? { scale: [src.scales[0]!], offset: [src.offsets[0]!] } : {}),
  });
  try {
    await w.writeRows(0, [data]);
    await w.finish();
  } catch (err) {
    await w.abort();
    throw err;
  }
}

function cogType(src: GeoTiff): CogDataType {
  const { bitsPerSample: bits, sampleFormat: fmt } = src.image;
  if (bits === 8 && fmt === 1) return "uint8";
  if (bits === 16 && fmt === 1) return "uint16";
  if (bits === 16 && fmt === 2) return "int16";
  if (bits === 32 && fmt === 3) return "float32";
  throw new ReewatchError(`${src.url}: ${bits}-bit samples of format ${fmt} cannot be kept as they are (uint8, uint16, int16, float32 can)`);
}
