/**
 * One STAC item to one offline scene folder: open each needed asset's header over HTTP, read the
 * quality band's AOI window first (and stop there when the AOI is mostly cloud or has no data),
 * then read each band's window by range requests and write it as a COG on the source's own pixel
 * grid with its DNs untouched. The folder is written under a temporary dot-name and renamed into
 * place last, so an interrupted fetch never leaves a scene that looks complete.
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Aoi } from "../aoi/aoi.ts";
import { ReewatchError } from "../errors.ts";
import type { Bounds } from "../grid.ts";
import type { Grid, Window } from "../raster.ts";
import { type GeoTiff, openGeoTiff } from "../read/geotiff.ts";
import { HttpSource } from "../source/http.ts";
import type { HttpOptions } from "../source/http-request.ts";
import { tempPathFor } from "../write/atomic.ts";
import { sha256File } from "../write/checksum.ts";
import { aoiCloud } from "./aoi-cloud.ts";
import { aoiMask, bandWindow, coarsestGrid, snappedBounds } from "./aoi-window.ts";
import { type RemoteItem, writeLocalItem } from "./local-item.ts";
import type { FetchedFile, ManifestItem } from "./manifest.ts";
import { type CollectionProfile, profileForItem } from "./profiles.ts";
import { writeWindowCog } from "./window-cog.ts";

export interface SceneFetchContext {
  outDir: string;
  /** The STAC API the items came from (recorded in each local item). */
  api?: string;
  aoi: Aoi;
  /** Metres of margin around the AOI's bounds. */
  marginM: number;
  collection: string;
  http: HttpOptions;
  maxAoiCloud?: number;
  requestKey: string;
  /** Told of each asset's full size (the "bytes read vs full-tile bytes" figure). */
  onFullBytes?: (n: number) => void;
}

interface OpenAsset {
  key: string;
  href: string;
  tiff: GeoTiff;
  grid: Grid;
}

export async function fetchScene(item: RemoteItem, ctx: SceneFetchContext): Promise<ManifestItem> {
  const base = {
    id: item.id,
    datetime: String(item.properties.datetime),
    cloudCover: typeof item.properties["eo:cloud_cover"] === "number" ? (item.properties["eo:cloud_cover"] as number) : null,
    collection: ctx.collection,
    requestKey: ctx.requestKey,
    files: [] as FetchedFile[],
  };
  const profile = profileForItem(ctx.collection, item.assets);
  const missing = [...profile.bands, profile.mask.key].filter((k) => !item.assets[k]?.href);
  if (missing.length) return { ...base, status: "skipped", reason: `item has no asset ${missing.join(", ")}` };
  const [mask] = await openAssets(item, [profile.mask.key], ctx);
  const opened: OpenAsset[] = [mask!];
  try {
    const check = await cloudCheck(mask!, profile, ctx);
    if ("skip" in check) return { ...base, ...check.skip };
    const rest = [...profile.bands, ...profile.optional.filter((k) => item.assets[k]?.href)];
    opened.push(...(await openAssets(item, rest, ctx)));
    const bounds = snappedBounds(ctx.aoi, coarsestGrid(opened.map((a) => a.grid)), ctx.marginM);
    if (!bounds) return { ...base, status: "skipped", reason: "the AOI lies outside the item's rasters" };
    const maskWin = bandWindow(mask!.grid, bounds)!;
    const qa = sameWindow(maskWin, check.win) ? check.qa : (await mask!.tiff.read(maskWin))[0]!;
    const files = await writeFolder(item, opened, bounds, ctx, { key: mask!.key, data: qa, win: maskWin });
    return { ...base, status: "fetched", aoiCloud: check.aoiCloud, files };
  } finally {
    await Promise.all(opened.map((a) => a.tiff.close()));
  }
}

type CloudCheck = { skip: Pick<ManifestItem, "status" | "reason" | "aoiCloud"> } | { qa: ArrayLike<number>; win: Window; aoiCloud: number | null };

/** Reads the quality band's AOI window alone and decides whether the scene is worth its bands. */
async function cloudCheck(mask: OpenAsset, profile: CollectionProfile, ctx: SceneFetchContext): Promise<CloudCheck> {
  const bounds = snappedBounds(ctx.aoi, mask.grid, ctx.marginM);
  if (!bounds) return { skip: { status: "skipped", reason: "the AOI lies outside the item's rasters", aoiCloud: null } };
  const win = bandWindow(mask.grid, bounds)!;
  const [qa] = await mask.tiff.read(win);
  const cloud = aoiCloud(profile.mask.kind, qa!, aoiMask(ctx.aoi, mask.grid, win));
  const pct = Number.isNaN(cloud.percent) ? null : round2(cloud.percent);
  if (cloud.valid === 0) return { skip: { status: "skipped", reason: "no data over the AOI (outside the swath)", aoiCloud: null } };
  if (ctx.maxAoiCloud !== undefined && cloud.percent > ctx.maxAoiCloud)
    return { skip: { status: "skipped", reason: `AOI ${pct} % cloud or shadow > --max-aoi-cloud ${ctx.maxAoiCloud}`, aoiCloud: pct } };
  return { qa: qa!, win, aoiCloud: pct };
}

const sameWindow = (a: Window, b: Window) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

async function openAssets(item: RemoteItem, keys: string[], ctx: SceneFetchContext): Promise<OpenAsset[]> {
  const settled = await Promise.allSettled(
    keys.map(async (key) => {
      const href = item.assets[key]!.href;
      const tiff = await openGeoTiff(new HttpSource(href, ctx.http));
      if (!tiff.grid) {
        await tiff.close();
        throw new ReewatchError(`${href}: asset ${key} of ${item.id} carries no georeferencing`);
      }
      ctx.onFullBytes?.(await tiff.file.source.size());
      return { key, href, tiff, grid: tiff.grid };
    }),
  );
  const opened = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(opened.map((a) => a.tiff.close()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return opened;
}

/** Writes every band window and the item into `<id>.partial`, then renames the folder into place. */
async function writeFolder(
  item: RemoteItem,
  assets: OpenAsset[],
  bounds: Bounds,
  ctx: SceneFetchContext,
  maskRead: { key: string; data: ArrayLike<number>; win: Window },
): Promise<FetchedFile[]> {
  const final = join(ctx.outDir, item.id);
  const tmp = tempPathFor(final);
  await mkdir(tmp, { recursive: true });
  try {
    const files: FetchedFile[] = [];
    for (const a of assets) {
      const win = a.key === maskRead.key ? maskRead.win : bandWindow(a.grid, bounds);
      if (!win) throw new ReewatchError(`${a.href}: asset ${a.key} does not cover the AOI window of the other bands`);
      const data = a.key === maskRead.key ? maskRead.data : (await a.tiff.read(win))[0]!;
      const file = fileNameOf(a.href);
      await writeWindowCog(join(tmp, file), a.tiff, win, data, a.key);
      files.push(await record(tmp, a.key, file, a.href, win));
    }
    const itemFile = `${item.id}.json`;
    await writeLocalItem(join(tmp, itemFile), item, files, assets, { collection: ctx.collection, ...(ctx.api ? { api: ctx.api } : {}) });
    files.push(await record(tmp, "item", itemFile, String(item.links?.find((l) => l.rel === "self")?.href ?? ""), { x: 0, y: 0, width: 0, height: 0 }));
    await replaceFolder(tmp, final);
    return files;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function record(dir: string, asset: string, file: string, source: string, window: Window): Promise<FetchedFile> {
  const path = join(dir, file);
  return { asset, file, bytes: (await stat(path)).size, sha256: await sha256File(path), source, window };
}

async function replaceFolder(tmp: string, final: string): Promise<void> {
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
}

/** The asset's own file name without a query string (Landsat readers identify bands by it). */
export function fileNameOf(href: string): string {
  const name = basename(new URL(href).pathname);
  return /\.tiff?$/i.test(name) ? name : `${name}.tif`;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
