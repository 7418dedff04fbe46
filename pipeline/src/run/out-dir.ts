/** The output directory of a run: created up front so an unwritable place fails before any work. */
import { access, constants, mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { BadParameter } from "../errors.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { stacCatalog } from "../write/stac.ts";
import { finishCatalogAt } from "../write/stac-tree.ts";

export async function ensureOutDir(dir: string, flag = "--out"): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new BadParameter(`${flag} ${dir}: not a writable directory (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Item files directly one level down: `<dir>/<id>/<id>.json`, sorted for byte-stable catalogs. */
export async function listItems(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || e.name.startsWith(".")) continue;
    const item = join(e.name, `${e.name}.json`);
    const ok = await readFile(join(dir, item), "utf8").then(
      (t) => JSON.parse(t).type === "Feature",
      () => false,
    );
    if (ok) out.push(`./${item}`);
  }
  return out;
}

/** (Re)writes `<dir>/catalog.json` linking every item found in the directory. */
export async function writeItemCatalog(dir: string, id: string, description: string, extra?: Record<string, unknown>): Promise<void> {
  const items = await listItems(dir);
  const cat = stacCatalog({ id, description, items, ...(extra ? { extra } : {}) });
  await writeFileAtomic(join(dir, "catalog.json"), `${JSON.stringify(cat, null, 2)}\n`);
  await finishCatalogAt(dir, "Derived from the input scenes listed in run.json; their sources' terms apply.");
}
