/**
 * `DIR/fetch.json`: what a fetch asked for and what it wrote, item by item, file by file with bytes,
 * SHA-256 and source URL. A rerun keeps a scene folder whose files still match their checksums and
 * whose request (AOI, margin, assets) is the same; anything else is fetched again.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CorruptFile } from "../errors.ts";
import { sha256File } from "../write/checksum.ts";

export interface FetchedFile {
  /** Asset key in the item ("item" for the item JSON itself). */
  asset: string;
  /** File name inside the scene folder. */
  file: string;
  bytes: number;
  sha256: string;
  /** The original asset href (never a signed URL). */
  source: string;
  /** The window read from the source, in its pixels. */
  window: { x: number; y: number; width: number; height: number };
}

export interface ManifestItem {
  id: string;
  datetime: string;
  cloudCover: number | null;
  status: "fetched" | "skipped" | "failed";
  reason?: string;
  /** Percent of the AOI's valid pixels under cloud or shadow, from the quality band. */
  aoiCloud?: number | null;
  collection: string;
  /** Hash of what was asked (AOI, margin, assets): a changed request refetches the scene. */
  requestKey: string;
  files: FetchedFile[];
}

export interface FetchManifest {
  type: "reewatch-fetch";
  version: 1;
  /** The last query per collection (a site may fetch Sentinel-2 and Landsat into one folder). */
  queries: Record<string, Record<string, unknown>>;
  items: ManifestItem[];
}

export const MANIFEST = "fetch.json";

export async function readManifest(dir: string): Promise<FetchManifest | undefined> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as FetchManifest;
    if (m.type !== "reewatch-fetch" || !Array.isArray(m.items)) throw new Error("not a reewatch fetch manifest");
    return m;
  } catch (err) {
    throw new CorruptFile(`${path}: unreadable fetch manifest (${(err as Error).message}); move it away to fetch afresh`);
  }
}

/** True when every file of a fetched entry is in the scene folder with its recorded size and SHA-256. */
export async function sceneIntact(dir: string, entry: ManifestItem): Promise<boolean> {
  if (entry.status !== "fetched" || entry.files.length === 0) return false;
  if (!entry.files.some((f) => f.file === `${entry.id}.json`)) return false;
  for (const f of entry.files) {
    const sum = await sha256File(join(dir, entry.id, f.file)).catch(() => undefined);
    if (sum !== f.sha256) return false;
  }
  return true;
}
