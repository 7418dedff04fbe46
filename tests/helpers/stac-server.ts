/**
 * A local STAC API on 127.0.0.1 for fetch tests, written from the STAC API spec (landing page,
 * collections, item-search with POST/GET, `query` extension, CQL2-JSON `filter`, paging by `next`
 * links) and the documented shape of Earth Search and Planetary Computer answers (SAS token
 * endpoint `GET /api/sas/v1/token/{collection}` -> {token, msft:expiry}; blob URLs that refuse
 * requests without a live token). Files are served with HTTP Range; faults can be queued per
 * file path: "503", "429" (Retry-After: 1), "cut" (half the body, then the socket closes), "slow"
 * (answers after `slowMs`), "reset" (socket destroyed at once), "badrange" (a Content-Range one
 * byte off).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Fault = "503" | "429" | "cut" | "slow" | "reset" | "badrange";

export interface StacServerOptions {
  /** Items with hrefs relative to the server root ("/files/s2/B04.tif", "/blob/..."). */
  items: Record<string, unknown>[];
  /** URL path -> local file. */
  files: Record<string, string>;
  collections: string[];
  pageSize?: number;
  /** POST /search answers 405 (a GET-only server). */
  noPost?: boolean;
  /** The `query` extension is refused with 400 (CQL2 only). */
  noQuery?: boolean;
  /** Token lifetime in ms (negative: tokens are issued already expired). */
  tokenTtlMs?: number;
  slowMs?: number;
}

export interface StacServer {
  url: string;
  faults: Map<string, Fault[]>;
  stats: { requests: number; searches: number; tokens: number; bytesServed: number; byPath: Map<string, number>; refused: number };
  /** Makes every issued token invalid (the blob server refuses them from now on). */
  revokeTokens(): void;
  close(): Promise<void>;
}

type Item = Record<string, any>;

export async function startStacServer(o: StacServerOptions): Promise<StacServer> {
  const state = { url: "", tokens: new Map<string, number>() };
  const stats: StacServer["stats"] = { requests: 0, searches: 0, tokens: 0, bytesServed: 0, byPath: new Map(), refused: 0 };
  const faults = new Map<string, Fault[]>();
  const cache = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    stats.requests++;
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", state.url);
    const path = decodeURIComponent(u.pathname);
    if (path === "/") return json(res, 200, landing(state.url));
    const coll = /^\/collections\/([^/]+)$/.exec(path);
    if (coll)
      return o.collections.includes(coll[1]!)
        ? json(res, 200, collection(coll[1]!))
        : json(res, 404, { code: "NotFound", description: `collection ${coll[1]} not found` });
    if (path === "/search") return search(req, res, u);
    const itemPath = /^\/collections\/([^/]+)\/items\/([^/]+)$/.exec(path);
    if (itemPath) return itemAnswer(res, path, itemPath[2]!);
    const tok = /^\/api\/sas\/v1\/token\/([^/]+)$/.exec(path);
    if (tok) return token(res);
    if (o.files[path]) return file(req, res, path, u);
    res.writeHead(404).end("not found");
  }

  /** One item as JSON (its fault queue is keyed by its path, like a file's). */
  function itemAnswer(res: ServerResponse, path: string, id: string): void {
    const it = o.items.find((x) => x.id === id);
    if (!it) json(res, 404, { code: "NotFound" });
    else if (faults.get(path)?.shift() === "503") res.writeHead(503).end("busy");
    else json(res, 200, absolutize(it, state.url));
  }

  function token(res: ServerResponse): void {
    stats.tokens++;
    const sig = `sig${stats.tokens}x${Math.random().toString(36).slice(2)}`;
    const expiry = Date.now() + (o.tokenTtlMs ?? 3_600_000);
    state.tokens.set(sig, expiry);
    json(res, 200, { token: `st=2026-01-01&se=2099-01-01&sp=rl&sv=2021-06-08&sr=c&sig=${sig}`, "msft:expiry": new Date(expiry).toISOString() });
  }

  async function search(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    stats.searches++;
    let params: Item;
    if (req.method === "POST") {
      if (o.noPost) return json(res, 405, { code: "MethodNotAllowed" });
      params = JSON.parse((await body(req)) || "{}");
    } else params = fromQueryString(u);
    if (o.noQuery && params.query) return json(res, 400, { code: "BadRequest", description: "query extension not supported; use filter" });
    const matches = o.items.filter((it) => matchItem(it, params));
    const start = Number(params.token ?? 0);
    const limit = Math.min(Number(params.limit ?? 10), o.pageSize ?? 1000);
    const page = matches.slice(start, start + limit).map((it) => absolutize(it, state.url));
    const links: Item[] = [];
    if (start + limit < matches.length) {
      if (req.method === "POST") links.push({ rel: "next", href: `${state.url}/search`, method: "POST", body: { token: start + limit }, merge: true });
      else {
        const next = new URL(u.href);
        next.searchParams.set("token", String(start + limit));
        links.push({ rel: "next", href: next.href, method: "GET" });
      }
    }
    json(res, 200, { type: "FeatureCollection", features: page, links, numberMatched: matches.length, numberReturned: page.length });
  }

  async function file(req: IncomingMessage, res: ServerResponse, path: string, u: URL): Promise<void> {
    if (path.startsWith("/blob/")) {
      const exp = state.tokens.get(u.searchParams.get("sig") ?? "");
      if (exp === undefined || exp < Date.now()) {
        stats.refused++;
        res.writeHead(403, { "content-type": "application/xml" }).end("<Error><Code>AuthenticationFailed</Code></Error>");
        return;
      }
    }
    const bytes = cache.get(path) ?? readFileSync(o.files[path]!);
    cache.set(path, bytes);
    const fault = req.method === "GET" ? faults.get(path)?.shift() : undefined;
    if (fault && (await applyFault(fault, req, res, bytes))) return;
    if (req.method === "HEAD") return void res.writeHead(200, { "content-length": bytes.byteLength, "accept-ranges": "bytes" }).end();
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (!m) return send(res, path, 200, { "content-length": bytes.byteLength }, bytes);
    const a = Number(m[1]);
    if (a >= bytes.byteLength) return void res.writeHead(416, { "content-range": `bytes */${bytes.byteLength}` }).end();
    const b = Math.min(Number(m[2]), bytes.byteLength - 1);
    const shift = fault === "badrange" ? 1 : 0;
    send(res, path, 206, { "content-range": `bytes ${a + shift}-${b + shift}/${bytes.byteLength}`, "content-length": b - a + 1 }, bytes.subarray(a, b + 1));
  }

  /** True when the fault has answered the request itself. */
  async function applyFault(f: Fault, req: IncomingMessage, res: ServerResponse, bytes: Buffer): Promise<boolean> {
    if (f === "503") res.writeHead(503, { "content-type": "text/plain" }).end("busy");
    if (f === "429") res.writeHead(429, { "retry-after": "1" }).end("slow down");
    if (f === "reset") req.socket.destroy();
    if (f === "503" || f === "429" || f === "reset") return true;
    if (f === "slow") await new Promise((r) => setTimeout(r, o.slowMs ?? 1500));
    if (f === "cut") {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      const [a, b] = m ? [Number(m[1]), Math.min(Number(m[2]), bytes.byteLength - 1)] : [0, bytes.byteLength - 1];
      const part = bytes.subarray(a, b + 1);
      res.writeHead(m ? 206 : 200, { "content-length": part.byteLength, ...(m ? { "content-range": `bytes ${a}-${b}/${bytes.byteLength}` } : {}) });
      res.write(part.subarray(0, Math.max(1, part.byteLength >> 1)), () => setTimeout(() => res.socket?.destroy(), 5));
      return true;
    }
    return false;
  }

  function send(res: ServerResponse, path: string, status: number, headers: Record<string, string | number>, data: Buffer): void {
    stats.bytesServed += data.byteLength;
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + data.byteLength);
    res.writeHead(status, { "accept-ranges": "bytes", ...headers }).end(data);
  }

  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    get url() {
      return state.url;
    },
    faults,
    stats,
    revokeTokens: () => state.tokens.clear(),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function json(res: ServerResponse, status: number, v: unknown): void {
  res.writeHead(status, { "content-type": "application/geo+json" }).end(JSON.stringify(v));
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let s = "";
    req.on("data", (c) => {
      s += c;
    });
    req.on("end", () => ok(s));
    req.on("error", fail);
  });
}

function landing(url: string): Item {
  return {
    type: "Catalog",
    id: "loopback-stac",
    stac_version: "1.0.0",
    description: "test STAC API on loopback",
    conformsTo: [
      "https://api.stacspec.org/v1.0.0/core",
      "https://api.stacspec.org/v1.0.0/item-search",
      "https://api.stacspec.org/v1.0.0-rc.1/item-search#query",
    ],
    links: [{ rel: "search", href: `${url}/search`, method: "POST" }],
  };
}

function collection(id: string): Item {
  return { type: "Collection", id, stac_version: "1.0.0", description: id, license: "proprietary", extent: {}, links: [] };
}

function fromQueryString(u: URL): Item {
  const p: Item = {};
  for (const [k, v] of u.searchParams) p[k] = k === "collections" ? v.split(",") : k === "bbox" ? v.split(",").map(Number) : v;
  return p;
}

function matchItem(it: Item, p: Item): boolean {
  if (p.collections && !p.collections.includes(it.collection)) return false;
  const box = p.bbox ?? (p.intersects ? geometryBbox(p.intersects) : undefined);
  if (box && !overlaps(box, it.bbox)) return false;
  if (p.datetime && !inInterval(it.properties.datetime, p.datetime)) return false;
  const cc = it.properties["eo:cloud_cover"];
  const q = p.query?.["eo:cloud_cover"];
  if (q && ((q.lte !== undefined && cc > q.lte) || (q.lt !== undefined && cc >= q.lt))) return false;
  if (p.filter?.op === "<=" && cc > p.filter.args[1]) return false;
  return true;
}

function geometryBbox(g: Item): number[] {
  const pts: number[][] = g.coordinates.flat(Infinity).reduce((acc: number[][], v: number, i: number) => {
    if (i % 2 === 0) acc.push([v]);
    else acc[acc.length - 1]!.push(v);
    return acc;
  }, []);
  return [Math.min(...pts.map((q) => q[0]!)), Math.min(...pts.map((q) => q[1]!)), Math.max(...pts.map((q) => q[0]!)), Math.max(...pts.map((q) => q[1]!))];
}

const overlaps = (a: number[], b: number[]) => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

function inInterval(dt: string, interval: string): boolean {
  const [a, b] = interval.split("/");
  const t = Date.parse(dt);
  return (!a || a === ".." || t >= Date.parse(a)) && (!b || b === ".." || t <= Date.parse(b));
}

function absolutize(it: Item, base: string): Item {
  const assets = Object.fromEntries(
    Object.entries(it.assets as Record<string, Item>).map(([k, a]) => [k, { ...a, href: a.href.startsWith("/") ? `${base}${a.href}` : a.href }]),
  );
  return { ...it, assets, links: [{ rel: "self", href: `${base}/collections/${it.collection}/items/${it.id}` }] };
}
