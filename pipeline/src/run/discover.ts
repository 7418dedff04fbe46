/** Finding the scenes of a run: every scene-like entry directly inside a folder, or explicit paths. */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { BadParameter } from "../errors.ts";

const SCENE_FILE = /\.(tar|tar\.gz|tgz|tif|tiff|json)$/i;
const NOT_SCENES = /^(catalog|collection|run|truth|site|fetch|README|SOURCE)/i;

/** Scene paths (folders, tarballs, stacks, STAC items) directly inside `dir`, sorted by name. */
export async function discoverScenes(dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new BadParameter(`--scenes ${dir}: cannot list (${(err as NodeJS.ErrnoException).code})`);
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".") || NOT_SCENES.test(e.name)) continue;
    if (e.isDirectory() || (e.isFile() && SCENE_FILE.test(e.name))) out.push(join(dir, e.name));
  }
  if (out.length === 0) throw new BadParameter(`--scenes ${dir}: no scenes found (folders, .tar.gz, .tif or STAC .json)`);
  return out;
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
