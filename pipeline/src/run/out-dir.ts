/** The output directory of a run: created up front so an unwritable place fails before any work. */
import { access, constants, mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { BadParameter } from "../errors.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { stacCatalog } from "../write/stac.ts";
import { finishCatalogAt } from "../write/stac-tree.ts";

export async function ensureOutDir(dir: string, flag = "--out"): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new BadParameter(`${flag} ${dir}: cannot create the directory (${await whyNotCreated(dir, err)})`);
  }
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new BadParameter(`${flag} ${dir}: not a writable directory (${(err as NodeJS.ErrnoException).code})`);
  }
}

/**
 * The cause of a failed recursive mkdir: Node reports ENOENT when a parent cannot be made, so the
 * nearest existing ancestor's own writability is asked (EROFS on a read-only filesystem).
 */
async function whyNotCreated(dir: string, err: unknown): Promise<string> {
  let parent = dirname(dir);
  while (
    parent !== dirname(parent) &&
    !(await access(parent).then(
      () => true,
      () => false,
    ))
  )
    parent = dirname(parent);
  const code = await access(parent, constants.W_OK).then(
    () => null,
    (e: NodeJS.ErrnoException) => e.code,
  );
  return code ? `${parent} is not writable: ${code}` : ((err as NodeJS.ErrnoException).code ?? String(err));
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
