/**
 * One entry point for every scene form: a Sentinel-2 or Landsat STAC item (path or URL), a folder
 * (Landsat MTL + bands, or band COGs + an item), a Landsat .tar/.tar.gz, or a multiband Landsat
 * stack. It looks at the input and hands it to the reader for that form.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { ReewatchError, UnsupportedFormat } from "../errors.ts";
import { parseLandsatId } from "../sensors/landsat.ts";
import { openLandsatFolder, openLandsatStac, openLandsatTarball } from "./landsat.ts";
import { openLandsatStack } from "./landsat-stack.ts";
import type { OpenSceneOptions, SceneReader } from "./scene.ts";
import { openSentinel2Folder, openSentinel2Item } from "./sentinel2.ts";
import { isUrl, itemSensor, loadItem } from "./stac-item.ts";

export async function openScene(pathOrUrl: string, opts: OpenSceneOptions = {}): Promise<SceneReader> {
  if (isUrl(pathOrUrl)) return openItem(pathOrUrl, opts);
  const st = await stat(pathOrUrl).catch(() => {
    throw new ReewatchError(`${pathOrUrl}: no such file or folder`);
  });
  if (st.isDirectory()) return openFolder(pathOrUrl, opts);
  const name = basename(pathOrUrl);
  if (/\.(tar|tar\.gz|tgz)$/i.test(name)) return openLandsatTarball(pathOrUrl, opts);
  if (/\.json$/i.test(name)) return openItem(pathOrUrl, opts);
  if (/\.tiff?$/i.test(name)) return openLandsatStack(pathOrUrl, opts);
  throw new UnsupportedFormat(`${pathOrUrl}: not a scene reewatch reads (STAC item .json, scene folder, Landsat .tar/.tar.gz, or a multiband .tif stack)`);
}

async function openItem(location: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const item = await loadItem(location);
  const sensor = itemSensor(item);
  if (sensor === "sentinel-2") return openSentinel2Item(location, opts, item);
  if (sensor === "landsat") return openLandsatStac(location, opts, item);
  throw new UnsupportedFormat(`${location}: unknown sensor (item ${item.id} is neither Sentinel-2 nor Landsat)`);
}

async function openFolder(dir: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const names = await readdir(dir);
  if (names.some((n) => /_MTL\.txt$/i.test(n) || (/\.tiff?$/i.test(n) && parseLandsatId(n)))) return openLandsatFolder(dir, opts);
  const items = names.filter((n) => /\.json$/i.test(n)).sort();
  for (const n of items) {
    const item = await loadItem(join(dir, n)).catch(() => undefined);
    if (item && itemSensor(item) === "sentinel-2") return openSentinel2Folder(dir, opts);
    if (item && itemSensor(item) === "landsat") return openLandsatStac(join(dir, n), opts, item);
  }
  throw new UnsupportedFormat(`${dir}: unknown sensor (the folder has no Landsat MTL or band files and no Sentinel-2/Landsat STAC item)`);
}
