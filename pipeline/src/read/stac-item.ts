/**
 * STAC items as scene inputs: loading one (path or URL), telling Sentinel-2 from Landsat, and
 * resolving asset hrefs. Recorded items point at the internet; an asset whose file name exists
 * beside the item is read from there instead, so recorded items work offline.
 */
import { access } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { oneLine, UnsupportedFormat } from "../errors.ts";
import { openSource, readAll } from "../source/source.ts";

export interface StacAsset {
  href: string;
  "raster:bands"?: { scale?: number; offset?: number; nodata?: number }[];
  [k: string]: unknown;
}

export interface StacItem {
  id: string;
  properties: Record<string, unknown>;
  assets: Record<string, StacAsset>;
}

export const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Reads and parses an item; anything that is not a STAC item is UnsupportedFormat naming the location. */
export async function loadItem(location: string): Promise<StacItem> {
  const src = await openSource(location);
  let item: StacItem;
  try {
    item = JSON.parse(Buffer.from(await readAll(src)).toString("utf8"));
  } catch (err) {
    throw new UnsupportedFormat(`${location}: not a readable STAC item (${oneLine(err)})`);
  } finally {
    await src.close?.();
  }
  if (typeof item?.id !== "string" || !item.properties || typeof item.properties !== "object" || typeof item.assets !== "object" || !item.assets)
    throw new UnsupportedFormat(`${location}: not a STAC item (needs id, properties and assets)`);
  return item;
}

/** Which family the item belongs to, from its platform/constellation/id; undefined when unknown. */
export function itemSensor(item: StacItem): "sentinel-2" | "landsat" | undefined {
  const p = item.properties;
  const words = [p.constellation, p.platform, p["eo:platform"], p.mission, item.id].map((v) => String(v ?? "").toLowerCase());
  if (words.some((w) => w.startsWith("sentinel-2") || /^s2[abcd]_/.test(w))) return "sentinel-2";
  if (words.some((w) => w.startsWith("landsat") || /^l[ceot]0\d_/.test(w))) return "landsat";
  return undefined;
}

/** new URL() throws a bare TypeError on hrefs like "http://[x": name the item and the href instead. */
function assetUrl(location: string, href: string): URL {
  try {
    return new URL(href, isUrl(location) ? location : undefined);
  } catch {
    throw new UnsupportedFormat(`${location}: asset href ${oneLine(JSON.stringify(href.slice(0, 80)))} is not a valid URL`);
  }
}

/**
 * Where an asset's bytes are: a relative href beside the item; a remote href replaced by the
 * same file name beside a local item when that file exists; otherwise the URL itself (HTTP only).
 * `missing` when nothing readable is left: `href` then names the local file that was expected.
 */
export async function resolveAsset(location: string, href: string): Promise<{ href: string; missing: boolean }> {
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(href);
  if (isUrl(location)) return { href: remote ? href : assetUrl(location, href).href, missing: false };
  const base = dirname(location);
  const local = remote ? join(base, basename(assetUrl(location, href).pathname)) : resolve(base, href);
  const exists = await access(local).then(
    () => true,
    () => false,
  );
  if (exists) return { href: local, missing: false };
  if (remote && isUrl(href)) return { href, missing: false };
  return { href: local, missing: true };
}
