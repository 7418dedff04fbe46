/**
 * `reewatch serve`: tiles, TileJSON, the run's STAC and COGs (with range requests), the point and
 * zonal APIs, the claim reports and the viewer, on 127.0.0.1. Every parameter is validated; bad
 * input is a 4xx with a one-line JSON reason; bodies are bounded (1 MiB) and requests time out.
 * With `labels: true` it also saves reference labels (labels-http.ts), guarded by a session token.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { loadColormap } from "../../pipeline/src/index.ts";
import { pointSeries, siteGrid, tileJson, zonal } from "./api.ts";
import { chipPng } from "./chip.ts";
import { cog } from "./data-access.ts";
import { HttpError, statusOf } from "./http-errors.ts";
import { isLabelRoute, type LabelAccess, labellingStatus, labelRoute, ownOrigins } from "./labels-http.ts";
import { Lru } from "./lru.ts";
import { TILE, validTile } from "./mercator.ts";
import { encodeTile, renderTileRgba, type Style } from "./render.ts";
import { indexSites, productPath, publicSite, type SiteInfo } from "./site-index.ts";

export const MAX_BODY = 1 << 20;
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
}

export async function startServer(o: ServeOptions): Promise<{ server: Server; url: string; sites: SiteInfo[]; token: string | null }> {
  const sites = await indexSites(o.dir);
  const tiles = new Lru<string, Buffer>(4000);
  const viewer = o.viewerDir ?? VIEWER_DIST;
  const access: LabelAccess = { token: o.labels ? randomBytes(24).toString("base64url") : null, origins: [] };
  const server = createServer((req, res) => {
    res.setTimeout(15_000, () => send(res, 503, { error: "request timed out" }));
    handle(req, res, sites, tiles, viewer, access).catch((err) => {
      const { status, message } = statusOf(err);
      if (status >= 500) process.stderr.write(`serve: ${req.method} ${req.url}: ${err instanceof Error ? err.stack : err}\n`);
      if (!res.headersSent) send(res, status, { error: message });
      else res.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(o.port ?? 8080, o.host ?? "127.0.0.1", () => ok()));
  const addr = server.address() as { port: number };
  access.origins = ownOrigins(o.host ?? "127.0.0.1", addr.port);
  return { server, url: `http://${o.host ?? "127.0.0.1"}:${addr.port}`, sites, token: access.token };
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json", headers: Record<string, string> = {}): void {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  res.writeHead(status, {
    "content-type": type,
    "content-length": data.byteLength,
    "access-control-allow-origin": "*",
    "cache-control": status === 200 ? "public, max-age=300" : "no-store",
    ...headers,
  });
  res.end(data);
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

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  sites: SiteInfo[],
  tiles: Lru<string, Buffer>,
  viewer: string,
  access: LabelAccess,
): Promise<void> {
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
    return send(res, 200, await zonal(s, url.searchParams.get("product") ?? "ndvi", json));
  }
  if (seg[0] === "api" && isLabelRoute(seg)) {
    const r = seg.length === 2 ? await labellingStatus(req, sites, access) : await labelRoute(req, seg, url, site(seg[1]), access, () => readBody(req));
    return send(res, r.status, r.body, r.type, r.headers);
  }
  if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `${method} is not allowed here`);
  if (seg[0] === "api" && seg[1] === "sites" && seg.length === 2) return send(res, 200, { static: false, sites: sites.map(publicSite) });
  if (seg[0] === "api" && seg[2] === "point" && seg.length === 3) {
    const lon = Number(url.searchParams.get("lon"));
    const lat = Number(url.searchParams.get("lat"));
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw new HttpError(400, "lon and lat must be numbers in range");
    return send(res, 200, await pointSeries(site(seg[1]), url.searchParams.get("product") ?? "ndvi", lon, lat));
  }
  if (seg[0] === "api" && seg[2] === "claims" && seg.length === 3) return send(res, 200, site(seg[1]).claims);
  if (seg[0] === "api" && seg[2] === "chip" && seg.length === 3) {
    const [lon, lat, size] = ["lon", "lat", "size"].map((k) => Number(url.searchParams.get(k) ?? (k === "size" ? 31 : Number.NaN)));
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon!) > 180 || Math.abs(lat!) > 90)
      throw new HttpError(400, "lon and lat must be numbers in range");
    const q = (k: string) => url.searchParams.get(k) ?? "";
    return send(res, 200, await chipPng(site(seg[1]), q("product"), q("date"), lon!, lat!, size!), "image/png");
  }
  if (seg[0] === "tiles") return tile(res, seg, url, site, tiles, `http://${req.headers.host ?? "127.0.0.1"}`);
  if (seg[0] === "stac" && seg.length >= 3) return file(req, res, site(seg[1]).dir, seg.slice(2));
  if (seg[0] === "reports" && seg.length === 4) return file(req, res, join(site(seg[1]).dir, "reports"), seg.slice(2));
  return file(req, res, viewer, seg.length ? seg : ["index.html"], true);
}

async function tile(res: ServerResponse, seg: string[], url: URL, site: (k?: string) => SiteInfo, cache: Lru<string, Buffer>, origin: string): Promise<void> {
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
    return send(res, 200, await tileJson(s, product, date, { format, scale: Number(scale) as 1 | 2, query: styleQuery(url.searchParams) }, origin));
  }
  const m = seg.length === 7 ? /^(\d+)(@2x)?\.(png|webp)$/.exec(seg[6]!) : null;
  const [z, x, y] = [Number(seg[4]), Number(seg[5]), Number(m?.[1])];
  if (!m || !/^\d+$/.test(seg[4]!) || !/^\d+$/.test(seg[5]!) || !validTile(z, x, y))
    throw new HttpError(400, `tile address must be /{z}/{x}/{y}.png|webp (or {y}@2x.png|webp) with 0 <= x, y < 2^z, z <= 24`);
  const size = m[2] ? 2 * TILE : TILE;
  const format = m[3] as "png" | "webp";
  const key = `${s.key}/${product}/${date}/${z}/${x}/${y}/${size}/${format}/${style.colormap}/${style.range}`;
  let png = cache.get(key);
  if (!png) {
    png = await encodeTile(await renderTileRgba(await cog(s.dir, rel), z, x, y, style, size), format, size);
    cache.set(key, png);
  }
  send(res, 200, png, format === "png" ? "image/png" : "image/webp");
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
  for await (const c of req) {
    size += (c as Buffer).byteLength;
    if (size > MAX_BODY) throw new HttpError(413, `request body exceeds ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A file under `root` (never outside it), with HTTP range support. */
async function file(req: IncomingMessage, res: ServerResponse, root: string, seg: string[], isViewer = false): Promise<void> {
  const base = resolve(root);
  const path = normalize(join(base, ...seg));
  if (path !== base && !path.startsWith(base + sep)) throw new HttpError(400, "path escapes the served folder");
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) {
    if (isViewer && seg[0] === "index.html") throw new HttpError(404, "viewer not built: run `npx vite build viewer`");
    throw new HttpError(404, `not found: /${seg.join("/")}`);
  }
  const type = TYPES[extname(path)] ?? "application/octet-stream";
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ""));
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, st.size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), st.size - 1) : st.size - 1;
    if (start >= st.size || end < start) {
      res.writeHead(416, { "content-range": `bytes */${st.size}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      "content-type": type,
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${st.size}`,
      "accept-ranges": "bytes",
    });
    createReadStream(path, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { "content-type": type, "content-length": st.size, "accept-ranges": "bytes" });
  if (req.method === "HEAD") res.end();
  else createReadStream(path).pipe(res);
}

export { siteGrid };
