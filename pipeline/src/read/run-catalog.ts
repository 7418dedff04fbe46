/**
 * A run directory read through its catalog.json, as docs/outputs.md promises ("found through
 * catalog.json, never by guessing"): the catalog's child collections (composites, observations,
 * change) and their items, each with its date key and the path of its JSON file. Every reader of
 * a run (verify, the tile server) takes the run's layout from here.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { BadParameter, oneLine } from "../errors.ts";
import type { StacDoc, StacItemDoc } from "../write/stac-doc.ts";

export interface RunItem {
  /** The item's date key: its file name without ".json" ("2020", or a pair's "2019-01-14"). */
  key: string;
  /** The item file, absolute. */
  file: string;
  item: StacItemDoc;
}

export interface RunCatalog {
  dir: string;
  catalog: StacDoc;
  /** Annual (or pair-date) composites, sorted by key. */
  composites: RunItem[];
  /** Per-scene observation stacks by year, sorted by key. */
  observations: RunItem[];
  /** The change item, when the run has one. */
  change: RunItem | null;
}

/** The role of a child collection, from its id ("<site>-composites" ...) or its folder name. */
const ROLES = ["composites", "observations", "change"] as const;
type Role = (typeof ROLES)[number];

/** A path for a message: as is, or JSON-quoted when a link gave it newlines, tabs or double spaces. */
const pathText = (file: string) => (/[^\S ]| {2}/.test(file) ? oneLine(JSON.stringify(file)) : file);

/** A STAC document of the run, taken to be what reewatch wrote (its readers check what they rely on). */
async function readDoc<D extends StacDoc>(file: string, what: string): Promise<D> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new BadParameter(`${pathText(file)}: ${what} is missing or not valid JSON (${(e as NodeJS.ErrnoException).code ?? oneLine(e)})`);
  }
  // Readers take links as an array of objects: anything else is a damaged run, named here.
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new BadParameter(`${pathText(file)}: ${what} is not a JSON object`);
  const links = (doc as { links?: unknown }).links;
  if (links !== undefined && !Array.isArray(links)) throw new BadParameter(`${pathText(file)}: ${what} has "links" that is not an array`);
  return doc as D;
}

/** The files a STAC document (at `file`) links with relation `rel`, resolved from its own location. */
export const linkedFiles = (doc: StacDoc, file: string, rel: string): string[] =>
  (doc.links ?? []).filter((l) => l?.rel === rel && typeof l.href === "string").map((l) => resolve(dirname(file), l.href));

function roleOf(coll: StacDoc, file: string): Role | null {
  return ROLES.find((r) => String(coll.id ?? "").endsWith(`-${r}`) || basename(dirname(file)) === r) ?? null;
}

export async function readRunCatalog(dir: string): Promise<RunCatalog> {
  const rootFile = join(resolve(dir), "catalog.json");
  const catalog = await readDoc(rootFile, "the run's catalog");
  const out: RunCatalog = { dir: resolve(dir), catalog, composites: [], observations: [], change: null };
  for (const child of linkedFiles(catalog, rootFile, "child")) {
    const coll = await readDoc(child, "a collection the catalog links");
    const role = roleOf(coll, child);
    if (!role) continue;
    const items = await Promise.all(
      linkedFiles(coll, child, "item").map(async (file) => ({
        key: basename(file, ".json"),
        file,
        item: await readDoc<StacItemDoc>(file, "an item its collection links"),
      })),
    );
    items.sort((a, b) => a.key.localeCompare(b.key));
    if (role === "change") out.change = items[0] ?? null;
    else out[role] = items;
  }
  return out;
}
