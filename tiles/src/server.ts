/**
 * `reewatch serve`: tiles, TileJSON, the run's STAC and COGs (with range requests), the point and
 * zonal APIs, the claim reports and the viewer, on 127.0.0.1. Every parameter is validated; bad
 * input is a 4xx with a one-line JSON reason; bodies are bounded (1 MiB) and requests time out.
 * With `labels: true` it also saves reference labels (labels-http.ts), guarded by a session token.
 * Hono (on Node's http server) gives what browsers and tools expect of every route: CORS with
 * OPTIONS preflight, ETag and If-None-Match (304), Last-Modified and If-Modified-Since on files,
 * and HEAD answered like GET without a body. Tiles render on the main thread, or on worker threads
 * when asked (render-pool.ts); a tile already rendered is answered from a cache bounded in bytes, without Hono (cachedTile).
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { availableParallelism } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { loadColormap } from "../../pipeline/src/index.ts";
import { pointSeries, siteGrid, tileJson, zonal } from "./api.ts";
import { chipPng } from "./chip.ts";
import { HttpError, statusOf } from "./http-errors.ts";
import { isLabelRoute, type LabelAccess, labellingStatus, labelRoute, ownOrigins } from "./labels-http.ts";
import { Lru } from "./lru.ts";
import { TILE, validTile } from "./mercator.ts";
import type { Style } from "./render.ts";
import { type TileRenderer, tileRenderer } from "./render-pool.ts";
import { indexSites, productPath, publicSite, type SiteInfo } from "./site-index.ts";

export const MAX_BODY = 1 << 20;
/** Rendered tiles kept in memory, in bytes of encoded PNG/WebP. */
export const TILE_CACHE_BYTES = 64 << 20;
export const VIEWER_DIST = fileURLToPath(new URL("../../viewer/dist/", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".tif": "image/tiff",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".csv": "text/csv",
  ".geojson": "application/geo+json",
  ".woff2": "font/woff2",
};

export interface ServeOptions {
  dir: string;
  port?: number;
  host?: string;
  viewerDir?: string;
  /** Accept label writes (to `<run>/estimate/labels*.csv` only), each carrying the session token. */
  labels?: boolean;
  /** Worker threads rendering tiles (default: REEWATCH_RENDER_THREADS, else 0: the main thread renders). */
  renderThreads?: number;
  /** Milliseconds (defaults: TIMEOUTS); tests shorten them. */
  timeouts?: Partial<typeof TIMEOUTS>;
}

/**
 * How long a client may take, in ms: to send its headers, its whole request (a slow body), to
 * send a next request on a kept-alive connection, and to stay silent (idle) while a request is open.
 */
export const TIMEOUTS = { headers: 10_000, request: 15_000, keepAlive: 5_000, idle: 15_000 };

type Env = { Bindings: HttpBindings };
interface CachedTile {
  bytes: Buffer;
  tag: string;
  type: string;
}

export interface Served {
  server: Server;
  url: string;
  sites: SiteInfo[];
  token: string | null;
  /** Reads the run directories again (a run finished after the server opened, as in the demo). */
  refresh(): Promise<void>;
}

export async function startServer(o: ServeOptions): Promise<Served> {
  const sites = await indexSites(o.dir);
  const tiles = new Lru<string, CachedTile>(20_000, undefined, TILE_CACHE_BYTES);
  /** Raw request addresses that answered a tile, to its cache key (the fast path, cachedTile). */
  const tileUrls = new Lru<string, string>(20_000, undefined, 8 << 20);
  const renderer = tileRenderer(o.renderThreads ?? defaultRenderThreads());
  const viewer = o.viewerDir ?? VIEWER_DIST;
  const access: LabelAccess = { token: o.labels ? randomBytes(24).toString("base64url") : null, origins: [] };
  const app = new Hono<Env>();
  // CORS on every route but the label writes: a foreign page's preflight for those must fail (labels-http.ts).
  const anyOrigin = cors({
    origin: "*",
    allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
    allowHeaders: ["content-type", "range", "if-none-match", "if-modified-since"],
    exposeHeaders: ["content-range", "accept-ranges", "content-length", "etag", "last-modified"],
    maxAge: 600,
  });
  const labelPath = (path: string) => path.startsWith("/api/") && isLabelRoute(path.split("/").filter(Boolean));
  app.use("*", (c, next) => (labelPath(c.req.path) ? next() : anyOrigin(c, next)));
  app.use("*", etag());
  const t = { ...TIMEOUTS, ...o.timeouts };
  app.all("*", (c) => {
    const { incoming, outgoing } = c.env;
    outgoing.setTimeout(t.idle, () => {
      // A client that stopped sending its body is at fault (408); a request fully received and not answered in time is ours (503).
      if (outgoing.headersSent) return void outgoing.socket?.destroy();
      outgoing
        .writeHead(incoming.complete ? 503 : 408, { "content-type": "application/json", connection: "close" })
        .end(JSON.stringify({ error: incoming.complete ? "request timed out" : "request body not received in time" }));
      outgoing.socket?.destroySoon();
    });
    return handle(c, sites, { tiles, urls: tileUrls, renderer }, viewer, access);
  });
  app.onError((err, c) => {
    const { status, message } = statusOf(err);
    if (status >= 500) process.stderr.write(`serve: ${c.req.method} ${c.req.url}: ${err instanceof Error ? err.stack : err}\n`);
    return send(status, { error: message });
  });
  // Node checks the header and request timeouts every connectionsCheckingInterval (30 s by default): check often enough to honour them.
  const listener = getRequestListener(app.fetch);
  const server = createServer(
    { headersTimeout: t.headers, requestTimeout: t.request, keepAliveTimeout: t.keepAlive, connectionsCheckingInterval: Math.min(1_000, t.headers / 2) },
    (req, res) => {
      if (!cachedTile(req, res, tileUrls, tiles)) listener(req, res);
    },
  );
  server.on("close", () => void renderer.close());
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(o.port ?? 8080, o.host ?? "127.0.0.1", () => ok()));
  const addr = server.address() as { port: number };
  access.origins = ownOrigins(o.host ?? "127.0.0.1", addr.port);
  const refresh = async () => {
    sites.splice(0, sites.length, ...(await indexSites(o.dir)));
  };
  return { server, url: `http://${o.host ?? "127.0.0.1"}:${addr.port}`, sites, token: access.token, refresh };
}

function send(status: number, body: unknown, type = "application/json", headers: Record<string, string> = {}): Response {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  // A Buffer is a Uint8Array, which Response takes as it is (the DOM typing only fears a SharedArrayBuffer).
  return new Response(data as Uint8Array<ArrayBuffer>, {
    status,
    headers: {
      "content-type": type,
      "content-length": String(data.byteLength),
      "cache-control": status === 200 ? "public, max-age=300" : "no-store",
      ...headers,
    },
  });
}

/** Path segments, each decoded and checked: no traversal, no separators, no NUL. */
function segments(pathname: string): string[] {
  return pathname
    .split("/")
    .filter(Boolean)
    .map((s) => {
      let d: string;
      try {
        d = decodeURIComponent(s);
      } catch {
        throw new HttpError(400, `malformed path segment "${s}"`);
      }
      if (d === ".." || d === "." || /[\\/\0]/.test(d)) throw new HttpError(400, `path segment "${s}" is not allowed`);
      return d;
    });
}

/** Rendered tiles by cache key, and the raw addresses that answered them (for the fast path). */
interface TileCache {
  tiles: Lru<string, CachedTile>;
  urls: Lru<string, string>;
  renderer: TileRenderer;
}

async function handle(c: Context<Env>, sites: SiteInfo[], tiles: TileCache, viewer: string, access: LabelAccess): Promise<Response> {
  const req = c.env.incoming;
  // Check the raw path: URL parsing would silently resolve "%2e%2e" and ".." segments.
  segments((req.url ?? "/").split("?")[0]!);
  const url = new URL(req.url ?? "/", "http://localhost");
  const seg = segments(url.pathname);
  const site = (key: string | undefined) => {
    const s = sites.find((q) => q.key === key);
    if (!s) throw new HttpError(404, `unknown site "${key}" (sites: ${sites.map((q) => q.key).join(", ")})`);
    return s;
  };
  const method = req.method ?? "GET";
  if (seg[0] === "api" && seg[2] === "zonal") {
    if (method !== "POST") throw new HttpError(405, "zonal statistics take a POST with a GeoJSON polygon");
    const s = site(seg[1]);
    const body = await readBody(req);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new HttpError(400, "request body is not valid JSON");
    }
    return send(200, await zonal(s, url.searchParams.get("product") ?? "ndvi", json));
  }
  if (seg[0] === "api" && isLabelRoute(seg)) {
    const r = seg.length === 2 ? await labellingStatus(req, sites, access) : await labelRoute(req, seg, url, site(seg[1]), access, () => readBody(req));
    return send(r.status, r.body, r.type, r.headers);
  }
  if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `${method} is not allowed here`);
  return headless(method, await getRoute({ c, seg, url, site, tiles, viewer, sites }));
}

/** HEAD: the GET answer's status and headers, no body. */
function headless(method: string, res: Response): Response {
  if (method !== "HEAD") return res;
  res.body?.cancel();
  return new Response(null, { status: res.status, headers: res.headers });
}

/** A GET (or HEAD) request, parsed, with what the server has to answer it. */
interface GetRequest {
  c: Context<Env>;
  /** The decoded, checked path segments. */
  seg: string[];
  url: URL;
  /** The site of a key, or a 404. */
  site: (k?: string) => SiteInfo;
  tiles: TileCache;
  viewer: string;
  sites: SiteInfo[];
}

async function getRoute(request: GetRequest): Promise<Response> {
  const { c, seg, url, site, tiles, viewer, sites } = request;
  if (seg[0] === "api" && seg[1] === "sites" && seg.length === 2) return send(200, { static: false, sites: sites.map(publicSite) });
  if (seg[0] === "api" && seg[2] === "point" && seg.length === 3) {
    const lon = Number(url.searchParams.get("lon"));
    const lat = Number(url.searchParams.get("lat"));
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw new HttpError(400, "lon and lat must be numbers in range");
    return send(200, await pointSeries(site(seg[1]), url.searchParams.get("product") ?? "ndvi", lon, lat));
  }
  if (seg[0] === "api" && seg[2] === "claims" && seg.length === 3) return send(200, site(seg[1]).claims);
  if (seg[0] === "api" && seg[2] === "chip" && seg.length === 3) {
    const [lon, lat, size] = ["lon", "lat", "size"].map((k) => Number(url.searchParams.get(k) ?? (k === "size" ? 31 : Number.NaN)));
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon!) > 180 || Math.abs(lat!) > 90)
      throw new HttpError(400, "lon and lat must be numbers in range");
    const q = (k: string) => url.searchParams.get(k) ?? "";
    return send(200, await chipPng(site(seg[1]), q("product"), q("date"), lon!, lat!, size!), "image/png");
  }
  const req = c.env.incoming;
  if (seg[0] === "tiles")
    return tile(
      seg,
      url,
      site,
      tiles.tiles,
      `http://${req.headers.host ?? "127.0.0.1"}`,
      (key) => {
        // This exact address answers this tile from now on, by the fast path (cachedTile).
        if (req.url) tiles.urls.set(req.url, key, req.url.length + key.length + 64);
      },
      tiles.renderer,
    );
  if (seg[0] === "stac" && seg.length >= 3) return file(req, site(seg[1]).dir, seg.slice(2));
  if (seg[0] === "reports" && seg.length === 4) return file(req, join(site(seg[1]).dir, "reports"), seg.slice(2));
  return file(req, viewer, seg.length ? seg : ["index.html"], true);
}

/** Tiles being rendered now, by cache key. */
const rendering = new Map<string, Promise<CachedTile>>();

async function tile(
  seg: string[],
  url: URL,
  site: (k?: string) => SiteInfo,
  cache: Lru<string, CachedTile>,
  origin: string,
  remember: (key: string) => void,
  renderer: TileRenderer,
): Promise<Response> {
  const s = site(seg[1]);
  const product = seg[2] ?? "";
  const date = seg[3] ?? "";
  const rel = productPath(s, product, date);
  if (!rel) throw new HttpError(404, `no product "${product}" for date "${date}" in site ${s.key}`);
  const style = tileStyle(s, product, url.searchParams);
  if (seg[4] === "tilejson.json" && seg.length === 5) {
    const scale = url.searchParams.get("tile_scale") ?? "1";
    if (scale !== "1" && scale !== "2") throw new HttpError(400, `tile_scale "${scale}" must be 1 or 2`);
    const format = url.searchParams.get("format") === "webp" ? "webp" : "png";
    return send(200, await tileJson(s, product, date, { format, scale: Number(scale) as 1 | 2, query: styleQuery(url.searchParams) }, origin));
  }
  const m = seg.length === 7 ? /^(\d+)(@2x)?\.(png|webp)$/.exec(seg[6]!) : null;
  const [z, x, y] = [Number(seg[4]), Number(seg[5]), Number(m?.[1])];
  if (!m || !/^\d+$/.test(seg[4]!) || !/^\d+$/.test(seg[5]!) || !validTile(z, x, y))
    throw new HttpError(400, `tile address must be /{z}/{x}/{y}.png|webp (or {y}@2x.png|webp) with 0 <= x, y < 2^z, z <= 24`);
  const size = m[2] ? 2 * TILE : TILE;
  const format = m[3] as "png" | "webp";
  const key = `${s.key}/${product}/${date}/${z}/${x}/${y}/${size}/${format}/${style.colormap}/${style.range}`;
  let hit = cache.get(key);
  if (!hit) {
    // Concurrent requests for the same tile share one render (a map opening asks for a tile many times at once).
    let job = rendering.get(key);
    if (!job) {
      job = (async () => {
        const bytes = await renderer.render({ dir: s.dir, rel, z, x, y, style, size, format });
        // The ETag is hashed once, with the render, not by the etag middleware on every request.
        const t = { bytes, tag: `"${createHash("sha1").update(bytes).digest("base64url")}"`, type: format === "png" ? "image/png" : "image/webp" };
        cache.set(key, t, bytes.byteLength + key.length + 64);
        return t;
      })().finally(() => rendering.delete(key));
      rendering.set(key, job);
    }
    hit = await job;
  }
  remember(key);
  return send(200, hit.bytes, hit.type, { etag: hit.tag });
}

/**
 * REEWATCH_RENDER_THREADS when set, else 0 (render on the main thread). Worker threads measured no
 * faster on a 2-core machine (bench/load.ts: 58 uncached tiles/s either way) and doubled the peak
 * RSS (each worker keeps its own open files and block caches), so they are opt-in.
 */
function defaultRenderThreads(): number {
  const env = process.env.REEWATCH_RENDER_THREADS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), availableParallelism());
  return 0;
}

/** CORS headers of a read answer, as the cors middleware writes them (for the cached-tile fast path). */
const READ_CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "content-range,accept-ranges,content-length,etag,last-modified",
};

/**
 * The fast path of a tile already rendered: a GET whose exact address answered a tile before is
 * answered from the cache by Node's own response, without Hono, with the same headers (200 or
 * 304). Returns false when the request is not such a GET (Hono answers it).
 */
function cachedTile(req: IncomingMessage, res: ServerResponse, urls: Lru<string, string>, tiles: Lru<string, CachedTile>): boolean {
  if (req.method !== "GET" || !req.url?.startsWith("/tiles/")) return false;
  const key = urls.get(req.url);
  const hit = key === undefined ? undefined : tiles.get(key);
  if (!hit) return false;
  const match = req.headers["if-none-match"]?.match(/"[^"]*"/g)?.includes(hit.tag.replace(/^W\//, ""));
  if (match) {
    res.writeHead(304, { ...READ_CORS, "cache-control": "public, max-age=300", etag: hit.tag }).end();
    return true;
  }
  res
    .writeHead(200, { ...READ_CORS, "cache-control": "public, max-age=300", "content-length": hit.bytes.byteLength, "content-type": hit.type, etag: hit.tag })
    .end(hit.bytes);
  return true;
}

/**
 * The product's style with the query's overrides: `colormap` or TiTiler's `colormap_name` (a
 * colour map name), `range` or TiTiler's `rescale` ("min,max").
 */
function tileStyle(s: SiteInfo, product: string, q: URLSearchParams): Style {
  const p = s.products.find((k) => k.key === product)!;
  const style: Style = { kind: p.kind, colormap: p.colormap, range: p.range };
  const cm = q.get("colormap") ?? q.get("colormap_name");
  if (cm !== null) {
    loadColormap(cm);
    style.colormap = cm;
  }
  const range = q.get("range") ?? q.get("rescale");
  if (range !== null) {
    const r = range.split(",").map(Number);
    if (r.length !== 2 || !r.every(Number.isFinite) || r[0]! >= r[1]!) throw new HttpError(400, `range "${range}" must be min,max with min < max`);
    style.range = [r[0]!, r[1]!];
  }
  return style;
}

/** The style parameters of a TileJSON request, carried into its tile URLs. */
function styleQuery(q: URLSearchParams): string {
  const keep = new URLSearchParams([...q].filter(([k]) => ["colormap", "colormap_name", "range", "rescale"].includes(k)));
  return keep.size ? `?${keep}` : "";
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) throw new HttpError(413, `request body of ${declared} bytes exceeds ${MAX_BODY}`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).byteLength;
      if (size > MAX_BODY) throw new HttpError(413, `request body exceeds ${MAX_BODY} bytes`);
      chunks.push(c as Buffer);
    }
  } catch (e) {
    // The client went away (or was timed out) mid-body: its fault, not a server error.
    throw e instanceof HttpError ? e : new HttpError(400, "request body aborted before its end");
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A file under `root` (never outside it), with HTTP range support and the validators caches use:
 * ETag (size and modification time) and Last-Modified, answered with 304 when they match.
 */
async function file(req: IncomingMessage, root: string, seg: string[], isViewer = false): Promise<Response> {
  const base = resolve(root);
  const path = normalize(join(base, ...seg));
  if (path !== base && !path.startsWith(base + sep)) throw new HttpError(400, "path escapes the served folder");
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) {
    if (isViewer && seg[0] === "index.html") throw new HttpError(404, "viewer not built: run `npm run build:viewer` (npm ci does it)");
    throw new HttpError(404, `not found: /${seg.join("/")}`);
  }
  const tag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const modified = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
  const validators = { etag: tag, "last-modified": modified.toUTCString(), "accept-ranges": "bytes" };
  const since = Date.parse(String(req.headers["if-modified-since"] ?? ""));
  if (req.headers["if-none-match"] === undefined && since >= modified.getTime()) return new Response(null, { status: 304, headers: validators });
  const type = TYPES[extname(path)] ?? "application/octet-stream";
  const stream = (start: number, end: number) => Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream;
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ""));
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, st.size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), st.size - 1) : st.size - 1;
    if (start >= st.size || end < start) return new Response(null, { status: 416, headers: { "content-range": `bytes */${st.size}` } });
    return new Response(stream(start, end), {
      status: 206,
      headers: { ...validators, "content-type": type, "content-length": String(end - start + 1), "content-range": `bytes ${start}-${end}/${st.size}` },
    });
  }
  return new Response(st.size ? stream(0, st.size - 1) : null, {
    status: 200,
    headers: { ...validators, "content-type": type, "content-length": String(st.size) },
  });
}

export { siteGrid };
