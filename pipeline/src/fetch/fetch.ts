/**
 * `reewatch fetch`: search a STAC API for the scenes over an AOI and bring each one in as an
 * offline scene folder (scene-fetch.ts), with a manifest that makes reruns resume: scenes whose
 * files still match their checksums are kept, the rest are fetched again.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Aoi } from "../aoi/aoi.ts";
import { bufferAoi, ringsBounds } from "../aoi/aoi.ts";
import { ReewatchError } from "../errors.ts";
import type { HttpOptions } from "../source/http-request.ts";
import type { RetryPolicy } from "../source/retry.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256Text } from "../write/checksum.ts";
import { estimateSceneBytes } from "./estimate-bytes.ts";
import type { RemoteItem } from "./local-item.ts";
import { type FetchManifest, MANIFEST, type ManifestItem, readManifest, sceneIntact } from "./manifest.ts";
import { profileFor } from "./profiles.ts";
import { SasSigner } from "./sas-signer.ts";
import { fetchScene } from "./scene-fetch.ts";
import { inSeason, type Season } from "./season-filter.ts";
import { checkCollection, searchItems } from "./stac-search.ts";

export interface FetchOptions {
  api: string;
  collection: string;
  aoi: Aoi;
  /** Metres added around the AOI's bounds in each scene's CRS. */
  marginM: number;
  from: string;
  to: string;
  season?: Season;
  maxCloud?: number;
  maxAoiCloud?: number;
  dryRun?: boolean;
  outDir: string;
  /** SAS token endpoint for signed asset URLs (Planetary Computer); none when undefined. */
  tokenUrl?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Extra facts for the manifest's query record (the AOI's file, a GCJ-02 conversion...). */
  provenance?: Record<string, unknown>;
}

export interface FetchEvents {
  onFound?(items: number, pages: number): void;
  /** `kept`: the scene folder from an earlier fetch still matches its checksums. */
  onItem?(entry: ManifestItem, kept: boolean, done: number, total: number): void;
  onBytes?(n: number): void;
}

export interface FetchSummary {
  found: number;
  fetched: number;
  kept: number;
  skipped: ManifestItem[];
  failed: ManifestItem[];
  bytesRead: number;
  /** Sum of the full sizes of the files the windows were read from. */
  fullBytes: number;
  retries: number;
  tokens: number;
  serverFilter: string;
  items: (ManifestItem | { id: string; datetime: string; cloudCover: number | null; estimatedBytes?: number })[];
  dryRun: boolean;
  estimate?: { perScene: number; total: number; measuredOn: string };
}

export async function fetchScenes(o: FetchOptions, ev: FetchEvents = {}): Promise<FetchSummary> {
  profileFor(o.collection);
  const counters = { bytes: 0, full: 0, retries: 0 };
  const http = httpFor(o, counters, ev);
  const signer = o.tokenUrl ? new SasSigner(o.tokenUrl, o.collection, http) : undefined;
  const assetHttp: HttpOptions = signer ? { ...http, signer } : http;
  await checkCollection(o.api, o.collection, http);
  const found = await searchItems(searchQuery(o), http);
  const items = found.items.filter((it) => !o.season || inSeason(String(it.properties.datetime), o.season)) as RemoteItem[];
  ev.onFound?.(items.length, found.pages);
  const summary = emptySummary(o, items.length, found.serverFilter);
  if (o.dryRun) return dryRun(summary, items, o, assetHttp);
  await mkdir(o.outDir, { recursive: true }).catch((err) => {
    throw new ReewatchError(`--out ${o.outDir}: cannot create (${(err as NodeJS.ErrnoException).code})`);
  });
  await removeStaleTemps(o.outDir);
  const manifest: FetchManifest = (await readManifest(o.outDir)) ?? { type: "reewatch-fetch", version: 1, queries: {}, items: [] };
  manifest.queries[o.collection] = queryRecord(o);
  const requestKey = sha256Text(JSON.stringify({ aoi: o.aoi.polygons, margin: o.marginM, collection: o.collection, profile: profileFor(o.collection) }));
  for (const [i, item] of items.entries()) {
    const { entry, kept } = await fetchOrKeep(item, manifest, requestKey, o, assetHttp, counters);
    tally(summary, entry, kept);
    await saveManifest(o.outDir, manifest, entry);
    ev.onItem?.(entry, kept, i + 1, items.length);
  }
  return finish(summary, counters, signer);
}

async function fetchOrKeep(
  item: RemoteItem,
  manifest: FetchManifest,
  requestKey: string,
  o: FetchOptions,
  http: HttpOptions,
  counters: { full: number },
): Promise<{ entry: ManifestItem; kept: boolean }> {
  const prior = manifest.items.find((e) => e.id === item.id);
  if (prior && prior.requestKey === requestKey && (await sceneIntact(o.outDir, prior))) return { entry: prior, kept: true };
  try {
    const entry = await fetchScene(item, {
      outDir: o.outDir,
      api: o.api,
      aoi: o.aoi,
      marginM: o.marginM,
      collection: o.collection,
      http,
      requestKey,
      ...(o.maxAoiCloud !== undefined ? { maxAoiCloud: o.maxAoiCloud } : {}),
      onFullBytes: (n) => {
        counters.full += n;
      },
    });
    return { entry, kept: false };
  } catch (err) {
    // A full or read-only disk ends the fetch; a scene the network failed is recorded and the rest go on.
    if (/ENOSPC|EROFS|EACCES|cannot write/.test((err as Error).message)) throw err;
    return { entry: failedEntry(item, o.collection, requestKey, err), kept: false };
  }
}

function failedEntry(item: RemoteItem, collection: string, requestKey: string, err: unknown): ManifestItem {
  return {
    id: item.id,
    datetime: String(item.properties.datetime),
    cloudCover: typeof item.properties["eo:cloud_cover"] === "number" ? (item.properties["eo:cloud_cover"] as number) : null,
    collection,
    status: "failed",
    reason: (err as Error).message.replace(/\s+/g, " "),
    requestKey,
    files: [],
  };
}

function httpFor(o: FetchOptions, counters: { bytes: number; retries: number }, ev: FetchEvents): HttpOptions {
  return {
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    retry: {
      ...o.retry,
      onRetry: (info) => {
        counters.retries++;
        o.retry?.onRetry?.(info);
      },
    },
    onBytes: (n) => {
      counters.bytes += n;
      ev.onBytes?.(n);
    },
  };
}

/** The search asks for the AOI grown by the margin, so a scene that only reaches the margin is found too. */
function searchQuery(o: FetchOptions) {
  const grown = o.marginM > 0 ? bufferAoi(o.aoi, o.marginM) : o.aoi;
  const b = ringsBounds(grown.polygons);
  const geometry = grown.polygons.length === 1 ? { type: "Polygon", coordinates: grown.polygons[0] } : { type: "MultiPolygon", coordinates: grown.polygons };
  return {
    api: o.api,
    collection: o.collection,
    intersects: geometry,
    bbox: b,
    datetime: `${o.from}T00:00:00Z/${o.to}T23:59:59Z`,
    ...(o.maxCloud !== undefined ? { maxCloud: o.maxCloud } : {}),
  };
}

function queryRecord(o: FetchOptions): Record<string, unknown> {
  return {
    api: o.api,
    collection: o.collection,
    from: o.from,
    to: o.to,
    season: o.season ?? null,
    maxCloud: o.maxCloud ?? null,
    maxAoiCloud: o.maxAoiCloud ?? null,
    marginM: o.marginM,
    aoi: { label: o.aoi.label, polygons: o.aoi.polygons, conversion: o.aoi.conversion ?? null, notes: o.aoi.notes ?? [] },
    signing: o.tokenUrl ? { tokenUrl: o.tokenUrl } : null,
    ...o.provenance,
  };
}

function emptySummary(o: FetchOptions, found: number, serverFilter: string): FetchSummary {
  return {
    found,
    fetched: 0,
    kept: 0,
    skipped: [],
    failed: [],
    bytesRead: 0,
    fullBytes: 0,
    retries: 0,
    tokens: 0,
    serverFilter,
    items: [],
    dryRun: !!o.dryRun,
  };
}

function tally(s: FetchSummary, e: ManifestItem, kept: boolean): void {
  if (kept) s.kept++;
  else if (e.status === "fetched") s.fetched++;
  else if (e.status === "skipped") s.skipped.push(e);
  else s.failed.push(e);
  s.items.push(e);
}

async function saveManifest(dir: string, m: FetchManifest, e: ManifestItem): Promise<void> {
  m.items = [...m.items.filter((x) => x.id !== e.id), e].sort((a, b) => a.datetime.localeCompare(b.datetime) || a.id.localeCompare(b.id));
  await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(m, null, 1)}\n`);
}

function finish(s: FetchSummary, c: { bytes: number; full: number; retries: number }, signer?: SasSigner): FetchSummary {
  return { ...s, bytesRead: c.bytes, fullBytes: c.full, retries: c.retries, tokens: signer?.fetched ?? 0 };
}

async function dryRun(s: FetchSummary, items: RemoteItem[], o: FetchOptions, http: HttpOptions): Promise<FetchSummary> {
  const meta = items.map((it) => ({
    id: it.id,
    datetime: String(it.properties.datetime),
    cloudCover: typeof it.properties["eo:cloud_cover"] === "number" ? (it.properties["eo:cloud_cover"] as number) : null,
  }));
  if (!items.length) return { ...s, items: meta };
  const perScene = await estimateSceneBytes(items[0]!, o.collection, o.aoi, o.marginM, http);
  return { ...s, items: meta, estimate: { perScene, total: perScene * items.length, measuredOn: items[0]!.id } };
}

/** Scene folders an interrupted fetch left under their temporary dot-names. */
async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (/^\..+\.tmp$/.test(name)) await rm(join(dir, name), { recursive: true, force: true });
}
