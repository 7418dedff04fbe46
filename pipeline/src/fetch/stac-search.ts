/**
 * STAC API item search (https://github.com/radiantearth/stac-api-spec, item-search): POST with a
 * GET fallback, paging by `next` links (POST bodies merged when the link says so), the cloud
 * filter sent with the `query` extension, then as CQL2 JSON when a server refuses `query`, and
 * applied again here on `eo:cloud_cover`, since servers differ in what they honour.
 */
import { BadParameter, oneLine, ReewatchError } from "../errors.ts";
import type { StacItem } from "../read/stac-item.ts";
import type { HttpInit, HttpOptions } from "../source/http-request.ts";
import { requestJson } from "../source/http-request.ts";

export interface SearchQuery {
  api: string;
  collection: string;
  /** The AOI (already buffered) as a GeoJSON geometry in lon/lat. */
  intersects: { type: string; coordinates: unknown };
  bbox: [number, number, number, number];
  /** RFC 3339 interval, e.g. "2020-06-01T00:00:00Z/2020-09-30T23:59:59Z". */
  datetime: string;
  maxCloud?: number;
  /** Items per page asked of the server. */
  limit?: number;
}

export interface SearchResult {
  items: (StacItem & { collection?: string; bbox?: number[]; links?: unknown[] })[];
  pages: number;
  /** How the cloud filter reached the server: "query", "cql2" or "client-only". */
  serverFilter: "query" | "cql2" | "client-only" | "none";
  method: "POST" | "GET";
}

interface Link {
  rel?: string;
  href?: string;
  method?: string;
  body?: Record<string, unknown>;
  merge?: boolean;
}

interface Page {
  type?: string;
  features?: SearchResult["items"];
  links?: Link[];
}

const MAX_PAGES = 500;

/** Checks that `collection` exists at the API: a one-line error when the API or the collection is wrong. */
export async function checkCollection(api: string, collection: string, http: HttpOptions): Promise<void> {
  const url = `${api.replace(/\/$/, "")}/collections/${encodeURIComponent(collection)}`;
  const { status, json } = await requestJson<Record<string, unknown>>(url, {}, { ...http, accept: [404] });
  if (status === 404) throw new BadParameter(`--collection ${collection}: no such collection at ${api} (HTTP 404 on ${url})`);
  if (json?.type !== "Collection" && json?.id !== collection) throw new ReewatchError(`${api}: not a STAC API (${url} did not answer a STAC Collection)`);
}

export async function searchItems(q: SearchQuery, http: HttpOptions): Promise<SearchResult> {
  const url = `${q.api.replace(/\/$/, "")}/search`;
  const first = await firstPage(url, q, http);
  const items = [...first.page.features!];
  let pages = 1;
  const seen = new Set<string>();
  let prevBody = first.body;
  for (let next = nextLink(first.page, url); next; pages++) {
    if (pages >= MAX_PAGES) throw new ReewatchError(`${url}: more than ${MAX_PAGES} pages of results: narrow the dates or the AOI`);
    const key = `${next.href} ${JSON.stringify(next.body ?? "")}`;
    if (seen.has(key)) throw new ReewatchError(`${url}: the server's next link repeats itself (${next.href}): paging loop`);
    seen.add(key);
    const body = next.method === "POST" ? (next.merge ? { ...prevBody, ...next.body } : (next.body ?? prevBody)) : undefined;
    const page = await getPage(next.href!, body, http);
    items.push(...page.features!);
    prevBody = body ?? prevBody;
    next = page.features!.length ? nextLink(page, next.href!) : undefined;
  }
  return { items: clientFilter(items, q.maxCloud), pages, serverFilter: first.filter, method: first.method };
}

type Filter = SearchResult["serverFilter"];

/** The first page: POST with `query`, then CQL2, then no server filter; GET when POST is not offered. */
async function firstPage(
  url: string,
  q: SearchQuery,
  http: HttpOptions,
): Promise<{ page: Page; body: Record<string, unknown>; filter: Filter; method: "POST" | "GET" }> {
  const base = { collections: [q.collection], intersects: q.intersects, datetime: q.datetime, limit: q.limit ?? 100 };
  const filters: [Filter, Record<string, unknown>][] =
    q.maxCloud === undefined
      ? [["none", {}]]
      : [
          ["query", { query: { "eo:cloud_cover": { lte: q.maxCloud } } }],
          ["cql2", { "filter-lang": "cql2-json", filter: { op: "<=", args: [{ property: "eo:cloud_cover" }, q.maxCloud] } }],
          ["client-only", {}],
        ];
  for (const [filter, extra] of filters) {
    const body = { ...base, ...extra };
    const { status, json } = await requestJson<Page>(url, postInit(body), { ...http, accept: [400, 404, 405, 501] });
    if (status === 404 || status === 405 || status === 501) return { ...(await getFirst(url, q, http, filter === "none" ? "none" : "client-only")), body };
    if (status === 400) continue;
    return { page: checkPage(url, json), body, filter, method: "POST" };
  }
  throw new ReewatchError(`${url}: the server refused every form of the search (HTTP 400)`);
}

async function getFirst(url: string, q: SearchQuery, http: HttpOptions, filter: Filter): Promise<{ page: Page; filter: Filter; method: "GET" }> {
  const params = new URLSearchParams({ collections: q.collection, bbox: q.bbox.join(","), datetime: q.datetime, limit: String(q.limit ?? 100) });
  return { page: await getPage(`${url}?${params}`, undefined, http), filter, method: "GET" };
}

async function getPage(href: string, body: Record<string, unknown> | undefined, http: HttpOptions): Promise<Page> {
  const { json } = await requestJson<Page>(href, body ? postInit(body) : {}, http);
  return checkPage(href, json);
}

function postInit(body: Record<string, unknown>): HttpInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function checkPage(url: string, json: Page): Page {
  if (json?.type !== "FeatureCollection" || !Array.isArray(json.features))
    throw new ReewatchError(`${url}: not a STAC API item search answer (no FeatureCollection with features)`);
  // The filter and the sort below read id and properties: a feature without them is a broken answer, named here.
  const bad = json.features.findIndex((f) => typeof f?.id !== "string" || !f.properties || typeof f.properties !== "object");
  if (bad >= 0) throw new ReewatchError(`${url}: feature ${bad + 1} of the answer is not a STAC item (needs a string id and properties)`);
  return json;
}

/** The page's next link, its href resolved against the page's URL (a server may answer a relative or broken one). */
function nextLink(page: Page, pageUrl: string): Link | undefined {
  const l = Array.isArray(page.links) ? page.links.find((x) => x?.rel === "next" && typeof x.href === "string") : undefined;
  if (!l) return undefined;
  let href: string;
  try {
    href = new URL(l.href!, pageUrl).href;
  } catch {
    throw new ReewatchError(`${pageUrl}: the next link ${oneLine(JSON.stringify(l.href!.slice(0, 80)))} is not a URL`);
  }
  return { ...l, href, method: typeof l.method === "string" ? l.method.toUpperCase() : "GET" };
}

/** Cloud cover checked again here; duplicates dropped; sorted by (datetime, id) for reproducible runs. */
function clientFilter(items: SearchResult["items"], maxCloud: number | undefined): SearchResult["items"] {
  const byId = new Map<string, SearchResult["items"][number]>();
  for (const it of items) {
    const cc = it.properties?.["eo:cloud_cover"];
    if (maxCloud !== undefined && typeof cc === "number" && cc > maxCloud) continue;
    byId.set(it.id, it);
  }
  return [...byId.values()].sort((a, b) => String(a.properties.datetime).localeCompare(String(b.properties.datetime)) || a.id.localeCompare(b.id));
}
