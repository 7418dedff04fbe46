/** One entry point for every scene form: it looks at the path and hands it to the right reader. */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { ReewatchError, UnsupportedFormat } from "../errors.ts";
import { openLandsatFolder, openLandsatStac, openLandsatStack, openLandsatTarball } from "./landsat.ts";
import type { OpenSceneOptions, SceneReader } from "./scene.ts";
import { openSentinel2Folder, openSentinel2Item } from "./sentinel2.ts";

export async function openScene(location: string, opts: OpenSceneOptions = {}): Promise<SceneReader> {
  if (/^https?:\/\//i.test(location)) return openSentinel2Item(location, opts);
  const st = await stat(location).catch(() => {
    throw new ReewatchError(`${location}: no such file or folder`);
  });
  if (st.isDirectory()) {
    const names = await readdir(location);
    if (names.some((n) => /_MTL\.txt$/i.test(n))) return openLandsatFolder(location, opts);
    if (names.some((n) => /\.json$/i.test(n))) return openSentinel2Folder(location, opts);
    throw new UnsupportedFormat(`${location}: unknown sensor (folder has neither a Landsat MTL nor a STAC item)`);
  }
  const name = basename(location);
  if (/\.(tar|tar\.gz|tgz)$/i.test(name)) return openLandsatTarball(location, opts);
  if (/\.json$/i.test(name)) {
    const text = await readFile(location, "utf8");
    if (/"LANDSAT_\d"|landsat:|"landsat-\d"/i.test(text) && !/"sentinel-2/i.test(text)) return openLandsatStac(location, opts);
    return openSentinel2Item(location, opts);
  }
  if (/\.tiff?$/i.test(name)) return openLandsatStack(location, opts);
  throw new UnsupportedFormat(`${location}: not a scene reewatch reads (STAC item .json, scene folder, Landsat .tar/.tar.gz, or a multiband .tif stack)`);
}
