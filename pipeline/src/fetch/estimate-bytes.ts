/**
 * `--dry-run`'s volume: the compressed bytes of the tiles under the AOI window of each asset of
 * one item, read from the COG headers alone (TileByteCounts), plus the headers themselves.
 */
import type { Aoi } from "../aoi/aoi.ts";
import type { Window } from "../raster.ts";
import { openGeoTiff } from "../read/geotiff.ts";
import type { TiffImage } from "../read/tiff.ts";
import { HttpSource } from "../source/http.ts";
import type { HttpOptions } from "../source/http-request.ts";
import { bandWindow, coarsestGrid, snappedBounds } from "./aoi-window.ts";
import type { RemoteItem } from "./local-item.ts";
import { profileForItem } from "./profiles.ts";

const HEADER_BYTES = 65536;

export async function estimateSceneBytes(item: RemoteItem, collection: string, aoi: Aoi, marginM: number, http: HttpOptions): Promise<number> {
  const p = profileForItem(collection, item.assets);
  const keys = [p.mask.key, ...p.bands].filter((k) => item.assets[k]?.href);
  const tiffs = await Promise.all(keys.map((k) => openGeoTiff(new HttpSource(item.assets[k]!.href, http))));
  try {
    const bounds = snappedBounds(aoi, coarsestGrid(tiffs.map((t) => t.grid!)), marginM);
    if (!bounds) return 0;
    let total = 0;
    for (const t of tiffs) {
      const win = bandWindow(t.grid!, bounds);
      if (win) total += HEADER_BYTES + tileBytes(t.image, win);
    }
    return total;
  } finally {
    await Promise.all(tiffs.map((t) => t.close()));
  }
}

/** Sum of the stored sizes of the blocks a window touches (first plane only). */
export function tileBytes(img: TiffImage, win: Window): number {
  const across = Math.ceil(img.width / img.blockWidth);
  let sum = 0;
  for (let by = Math.floor(win.y / img.blockHeight); by * img.blockHeight < win.y + win.height; by++)
    for (let bx = Math.floor(win.x / img.blockWidth); bx * img.blockWidth < win.x + win.width; bx++) sum += img.counts[by * across + bx] ?? 0;
  return sum;
}
