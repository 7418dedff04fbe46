/**
 * The last step of every command that writes a STAC catalog: make the tree a self-contained
 * catalog in the STAC best-practice layout, the way pystac's normalize-and-save does, once, here,
 * instead of in each writer:
 * - every item carries `collection` (when a collection lists it) and relative root, parent and
 *   collection links; every collection and child catalog relative root and parent links;
 * - every href (links and assets) is relative to the JSON file that holds it: an absolute path of
 *   the machine that ran it (an input scene's item in `derived_from`) becomes a relative one;
 * - a collection's extent covers its items (a winter season runs into the next year), and its
 *   `item_assets` describe the assets its items carry; `license` is an SPDX identifier.
 * Files are rewritten atomically, only when they change.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { linkedFiles } from "../read/run-catalog.ts";
import { writeFileAtomic } from "./atomic.ts";
import type { StacAsset, StacCollectionDoc, StacDoc, StacItemDoc, StacLink } from "./stac-doc.ts";

/** The licence of reewatch's products: derived data under CC BY 4.0 (the sources' terms in `reewatch:attribution`). */
export const PRODUCT_LICENSE = "CC-BY-4.0";

const HIERARCHY = new Set(["root", "parent", "collection", "self"]);
const JSON_TYPE = "application/json";

async function writeDoc(path: string, doc: StacDoc, before: string): Promise<void> {
  const text = `${JSON.stringify(doc, null, 1)}\n`;
  if (text !== before) await writeFileAtomic(path, text);
}

/** A relative href from the file `from` to the file `to` ("./x.json" style). */
function rel(from: string, to: string): string {
  const r = relative(dirname(from), to).split("\\").join("/");
  return r.startsWith(".") ? r : `./${r}`;
}

/** Links other than the hierarchy's, with absolute filesystem hrefs made relative to `file`. */
function ownLinks(doc: StacDoc, file: string): StacLink[] {
  return (doc.links ?? []).filter((l) => !HIERARCHY.has(l.rel)).map((l) => (isAbsolute(l.href) ? { ...l, href: rel(file, l.href) } : l));
}

/**
 * The document as `file` will hold it: absolute filesystem hrefs (links other than the hierarchy's,
 * and assets) made relative to the file, as the finished catalog has them. For documents kept
 * before they are written (a site run's job records), so they do not depend on where the run is.
 */
export function withRelativeHrefs(doc: StacDoc, file: string): StacDoc {
  const abs = resolve(file);
  const relative = <T extends { href: string }>(x: T): T => (isAbsolute(x.href) ? { ...x, href: rel(abs, x.href) } : x);
  const out: StacDoc = { ...doc, links: (doc.links ?? []).map(relative) };
  const assets = doc.assets as Record<string, StacAsset> | undefined;
  if (assets) out.assets = Object.fromEntries(Object.entries(assets).map(([k, a]) => [k, relative(a)]));
  return out;
}

/** A JSON file's text (to rewrite it only when it changes) and its document. */
async function load<D extends StacDoc>(file: string): Promise<{ text: string; doc: D }> {
  const text = await readFile(file, "utf8");
  const doc: unknown = JSON.parse(text);
  return { text, doc: doc as D };
}

/** Rewrites the tree under the catalog at `rootFile` (see the file comment). */
export async function finishCatalog(rootFile: string, attribution: string): Promise<void> {
  const root = resolve(rootFile);
  const { text, doc } = await load(root);
  for (const child of linkedFiles(doc, root, "child")) await finishNode(child, root, root);
  for (const item of linkedFiles(doc, root, "item")) await finishItem(item, root, root, null);
  doc.links = [{ rel: "root", href: rel(root, root), type: JSON_TYPE }, ...ownLinks(doc, root)];
  doc["reewatch:attribution"] = attribution;
  await writeDoc(root, doc, text);
}

/** A child catalog or collection and everything under it. */
async function finishNode(file: string, parent: string, root: string): Promise<void> {
  const { text, doc } = await load<StacCollectionDoc>(file);
  const items: StacItemDoc[] = [];
  for (const child of linkedFiles(doc, file, "child")) await finishNode(child, file, root);
  for (const item of linkedFiles(doc, file, "item")) items.push(await finishItem(item, root, file, doc.type === "Collection" ? (doc.id ?? null) : null));
  doc.links = [{ rel: "root", href: rel(file, root), type: JSON_TYPE }, { rel: "parent", href: rel(file, parent), type: JSON_TYPE }, ...ownLinks(doc, file)];
  if (doc.type === "Collection") Object.assign(doc, collectionFacts(doc, items));
  await writeDoc(file, doc, text);
}

/** An item: its collection, hierarchy links and relative hrefs. Returns the rewritten item. */
async function finishItem(file: string, root: string, parent: string, collection: string | null): Promise<StacItemDoc> {
  const { text, doc } = await load<StacItemDoc>(file);
  const up = [
    { rel: "root", href: rel(file, root), type: JSON_TYPE },
    { rel: "parent", href: rel(file, parent), type: JSON_TYPE },
    ...(collection ? [{ rel: "collection", href: rel(file, parent), type: JSON_TYPE }] : []),
  ];
  doc.links = [...up, ...ownLinks(doc, file)];
  if (collection) doc.collection = collection;
  else delete doc.collection;
  for (const a of Object.values(doc.assets ?? {})) if (isAbsolute(a.href)) a.href = rel(file, a.href);
  await writeDoc(file, doc, text);
  return doc;
}

/** Extent covering the items, item_assets from their assets, the SPDX licence. */
function collectionFacts(coll: StacCollectionDoc, items: StacItemDoc[]): Record<string, unknown> {
  const starts = items
    .map((i) => i.properties.start_datetime ?? i.properties.datetime)
    .filter(Boolean)
    .sort();
  const ends = items
    .map((i) => i.properties.end_datetime ?? i.properties.datetime)
    .filter(Boolean)
    .sort();
  const boxes = items.map((i) => i.bbox).filter((b): b is number[] => b?.length === 4);
  const union = boxes.length
    ? [Math.min(...boxes.map((b) => b[0]!)), Math.min(...boxes.map((b) => b[1]!)), Math.max(...boxes.map((b) => b[2]!)), Math.max(...boxes.map((b) => b[3]!))]
    : coll.extent?.spatial?.bbox?.[0];
  const itemAssets: Record<string, Pick<StacAsset, "type" | "roles">> = {};
  for (const i of items) for (const [k, a] of Object.entries(i.assets ?? {})) itemAssets[k] ??= { type: a.type, roles: a.roles };
  return {
    license: PRODUCT_LICENSE,
    extent: {
      spatial: { bbox: [union] },
      temporal: { interval: [starts.length ? [starts[0], ends.at(-1)] : (coll.extent?.temporal?.interval?.[0] ?? [null, null])] },
    },
    ...(items.length ? { item_assets: itemAssets } : {}),
  };
}

/** Whose data the products derive from, for `reewatch:attribution`, from the input scenes' ids. */
export function attributionOf(sceneIds: string[], simulated: boolean): string {
  if (simulated) return "SIMULATED scenes made by reewatch simulate: no satellite data.";
  const out: string[] = [];
  if (sceneIds.some((id) => /^S2/i.test(id))) out.push("Contains modified Copernicus Sentinel data (ESA).");
  if (sceneIds.some((id) => /^L[COTE]0\d/i.test(id))) out.push("Landsat data courtesy of the U.S. Geological Survey.");
  return out.length ? out.join(" ") : "Derived from the input scenes listed in run.json.";
}

export const finishCatalogAt = (dir: string, attribution: string) => finishCatalog(join(dir, "catalog.json"), attribution);
