/**
 * `reewatch serve` under load, with autocannon, the server as its own process (`node
 * bin/reewatch.js serve <dir>`, as a user runs it) so that its peak RSS (VmHWM) is its own:
 * cached tiles (one tile, again and again), distinct uncached tiles (a zoom-14 sweep over the
 * sites, every product and year, no tile asked twice), point queries and zonal queries. Prints
 * requests/s, p50/p95/p99 latency, errors and non-2xx answers beside the targets of the issue. No
 * reference run exists for this one: the targets are the reference.
 * Run: npx tsx bench/load.ts [--duration 10] [--connections 32] [--dir <run or folder of runs>] [--render-threads N]
 * (without --dir a 60 m demo run is made first, about a minute).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDemo } from "../pipeline/src/run/demo.ts";
import { tileCover } from "../tiles/src/mercator.ts";
import { arg, report, tempDir } from "./lib.ts";

/** The part of autocannon's API used here (it ships no types). */
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  requests?: { method?: string; setupRequest?: (r: CannonRequest) => CannonRequest }[];
}
interface CannonResult {
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface CannonInstance extends PromiseLike<CannonResult> {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (o: CannonOptions) => CannonInstance;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const duration = arg("duration", 10);
const connections = arg("connections", 32);
const dirArg = process.argv.includes("--dir") ? process.argv[process.argv.indexOf("--dir") + 1]! : null;
/** --render-threads N: the server's tile-rendering worker threads (REEWATCH_RENDER_THREADS; default 0, the main thread). */
const renderThreads = process.argv.includes("--render-threads") ? arg("render-threads", 0) : null;

export interface Figures {
  scenario: string;
  "req/s": number;
  "p50 ms": number;
  "p95 ms": number;
  "p99 ms": number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Which statuses the non-2xx answers had, e.g. "404 x3". */
  "non-2xx statuses": string;
  "peak RSS MiB": number;
}

/** The server as a child process; resolves once it prints its address. */
export async function serveChild(dir: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, "bin/reewatch.js"), "serve", dir, "--port", "0", ...extra], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...(renderThreads !== null ? { REEWATCH_RENDER_THREADS: String(renderThreads) } : {}) },
  });
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (m) ok(m[0]);
    });
    child.on("exit", (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, url };
}

/** The server's peak resident memory so far, MiB (VmHWM of /proc/<pid>/status). */
export function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** One autocannon run over `paths` (each connection takes the next one); latency percentiles from every response. */
export async function scenario(
  name: string,
  url: string,
  pid: number,
  next: () => CannonRequest,
  o: { duration: number; connections: number },
): Promise<Figures> {
  const lat: number[] = [];
  const first = next();
  // One request first, so that a scenario does not time the opening of its files.
  await fetch(`${url}${first.path}`, { method: first.method, body: first.body, headers: first.headers }).then((r) => r.arrayBuffer());
  // One fixed GET (the cached tile) goes by autocannon's fast path, without a per-request setup.
  const fixed = next().path === first.path && first.method === "GET";
  const inst = autocannon({
    url: fixed ? `${url}${first.path}` : url,
    connections: o.connections,
    duration: o.duration,
    timeout: 10,
    ...(fixed ? {} : { requests: [{ setupRequest: (r: CannonRequest) => ({ ...r, ...next() }) }] }),
  });
  const statuses = new Map<number, number>();
  inst.on("response", (_c, status, _b, ms) => {
    lat.push(ms);
    if (status >= 300) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const r = await inst;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN;
  return {
    scenario: name,
    "req/s": r.requests.total / r.duration,
    "p50 ms": q(0.5),
    "p95 ms": q(0.95),
    "p99 ms": q(0.99),
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    "non-2xx statuses": [...statuses].map(([k, n]) => `${k} x${n}`).join(", ") || "none",
    "peak RSS MiB": peakRss(pid),
  };
}

interface PublicSite {
  key: string;
  bbox: [number, number, number, number];
  products: { key: string; kind: string; dates: string[] }[];
}

/** Request makers for the four scenarios, from the served sites. */
export async function workloads(url: string) {
  const sites = ((await (await fetch(`${url}/api/sites`)).json()) as { sites: PublicSite[] }).sites;
  const g = sites.find((s) => s.key === "ganzhou") ?? sites[0]!;
  const [w, s, e, n] = g.bbox;
  const ndvi = g.products.find((p) => p.key === "ndvi") ?? g.products[0]!;
  // Cached: one tile over the middle of the site.
  const mid = tileCover([(w + e) / 2, (s + n) / 2, (w + e) / 2, (s + n) / 2], 14)[0]!;
  const cachedPath = `/tiles/${g.key}/${ndvi.key}/${ndvi.dates[0]}/14/${mid[0]}/${mid[1]}.png`;
  // Uncached: every z14 tile of every site, product and year, in a scattered order, each once.
  const distinct: string[] = [];
  for (const site of sites)
    for (const p of site.products)
      for (const d of p.dates) for (const [x, y] of tileCover(site.bbox, 14)) distinct.push(`/tiles/${site.key}/${p.key}/${d}/14/${x}/${y}.png`);
  const order = distinct.map((_, i) => (i * 7919) % distinct.length);
  const unique = new Set(order).size === distinct.length ? order.map((i) => distinct[i]!) : distinct;
  // Points and polygons inside the site's middle half (inside the grid).
  const at = (k: number, f: number) => [w + (e - w) * (0.25 + 0.5 * (((k * 0.618) % 1) * f)), s + (n - s) * (0.25 + 0.5 * ((k * 0.382) % 1))] as const;
  let i = 0;
  let u = 0;
  return {
    sites,
    cachedPath,
    distinctCount: unique.length,
    cached: () => ({ method: "GET", path: cachedPath }),
    uncached: () => ({ method: "GET", path: unique[u++ % unique.length]! }),
    point: () => {
      const [lon, lat] = at(i++, 1);
      return { method: "GET", path: `/api/${g.key}/point?lon=${lon}&lat=${lat}&product=${ndvi.key}` };
    },
    zonal: () => {
      const [lon, lat] = at(i++, 0.9);
      const d = Math.min(e - w, n - s) / 20;
      const ring = [
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat],
      ];
      return {
        method: "POST",
        path: `/api/${g.key}/zonal?product=${ndvi.key}`,
        body: JSON.stringify({ type: "Polygon", coordinates: [ring] }),
        headers: { "content-type": "application/json" },
      };
    },
  };
}

const TARGETS: Record<string, string> = {
  "cached tiles": ">= 5000 req/s, 0 errors",
  "uncached tiles (z14 sweep)": ">= 100 tiles/s, p99 < 300 ms, 0 errors",
  "point queries": ">= 500 req/s, 0 errors",
  "zonal queries": "0 errors (no speed target)",
};
const met = (f: Figures): string => {
  const clean = f.errors === 0 && f.non2xx === 0;
  if (f.scenario === "cached tiles") return clean && f["req/s"] >= 5000 ? "yes" : "no";
  if (f.scenario.startsWith("uncached")) return clean && f["req/s"] >= 100 && f["p99 ms"] < 300 ? "yes" : "no";
  if (f.scenario === "point queries") return clean && f["req/s"] >= 500 ? "yes" : "no";
  return clean ? "yes" : "no";
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const tmp = dirArg ? null : tempDir("load");
  try {
    let dir = dirArg;
    if (!dir) {
      dir = join(tmp!.dir, "demo");
      process.stdout.write("making a 60 m demo run...\n");
      await runDemo({ out: dir, resolution: 60 });
    }
    const { child, url } = await serveChild(dir);
    try {
      const wl = await workloads(url);
      const o = { duration, connections };
      const all: Figures[] = [];
      all.push(await scenario("cached tiles", url, child.pid!, wl.cached, o));
      all.push(await scenario("uncached tiles (z14 sweep)", url, child.pid!, wl.uncached, { duration, connections: Math.min(connections, 16) }));
      all.push(await scenario("point queries", url, child.pid!, wl.point, o));
      all.push(await scenario("zonal queries", url, child.pid!, wl.zonal, { duration, connections: Math.min(connections, 8) }));
      for (const f of all) report(`load: ${f.scenario}`, { ...f, target: TARGETS[f.scenario] ?? "", "target met": met(f) });
      process.stdout.write(
        `\nz14 sweep: ${wl.distinctCount} distinct tiles available (a run asking more than that repeats tiles, cached).\n` +
          `| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | peak RSS MiB | target | met |\n|---|---|---|---|---|---|---|---|---|---|\n${all
            .map(
              (f) =>
                `| ${f.scenario} | ${f["req/s"].toFixed(0)} | ${f["p50 ms"].toFixed(1)} | ${f["p95 ms"].toFixed(1)} | ${f["p99 ms"].toFixed(1)} | ${f.errors} | ${f.non2xx} | ${f["peak RSS MiB"].toFixed(0)} | ${TARGETS[f.scenario]} | ${met(f)} |`,
            )
            .join("\n")}\n`,
      );
    } finally {
      child.kill();
    }
  } finally {
    tmp?.cleanup();
  }
}
