/**
 * `reewatch serve` under load (bench/load.ts's scenarios, a few seconds each): the server runs as
 * its own process, as a user runs it; every answer must be a 2xx, no request may fail, and the
 * server must still answer afterwards. Speed is measured by `npx tsx bench/load.ts`, never
 * asserted here. Also: the cached-tile fast path answers exactly as the full route does, and the
 * caches are bounded in bytes.
 */
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peakRss, scenario, serveChild, workloads } from "../bench/load.ts";
import { Lru } from "../tiles/src/lru.ts";
import { startServer } from "../tiles/src/server.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";

let demo: string;
let child: ChildProcess;
let url: string;
let wl: Awaited<ReturnType<typeof workloads>>;

beforeAll(async () => {
  if (process.env.REEWATCH_DEMO) {
    demo = join(mkdtempSync(join(tmpdir(), "reewatch-load-")), "demo");
    cpSync(process.env.REEWATCH_DEMO, demo, { recursive: true });
  } else demo = await makeDemo();
  ({ child, url } = await serveChild(demo));
  wl = await workloads(url);
}, 300_000);
afterAll(() => {
  child?.kill();
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
});

const o = { duration: 2, connections: 8 };

describe("serve under load: no errors, no non-2xx, still answering", () => {
  for (const name of ["cached", "uncached", "point", "zonal"] as const)
    it(`${name}`, async () => {
      const f = await scenario(name, url, child.pid!, wl[name], o);
      expect(f.requests).toBeGreaterThan(0);
      expect([f.errors, f.non2xx, f["non-2xx statuses"]]).toEqual([0, 0, "none"]);
      const r = await fetch(`${url}/api/sites`);
      expect(r.status).toBe(200);
      expect(peakRss(child.pid!)).toBeGreaterThan(0);
    }, 30_000);
});

describe("the cached-tile fast path", () => {
  it("answers with the same status, headers and bytes as the full route, 304 included", async () => {
    // A tile nobody asked for yet: the first answer is the full route's, the second the fast path's.
    const path = `${wl.cachedPath.replace(/\.png$/, ".webp")}?range=0,0.7&colormap=viridis`;
    const headers = (r: Response) => {
      const out: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        if (!["date", "connection", "keep-alive"].includes(k)) out[k] = v;
      });
      return out;
    };
    const full = await fetch(`${url}${path}`);
    const fast = await fetch(`${url}${path}`);
    expect(fast.status).toBe(200);
    expect(headers(fast)).toEqual(headers(full));
    expect(Buffer.from(await fast.arrayBuffer()).equals(Buffer.from(await full.arrayBuffer()))).toBe(true);
    const tag = full.headers.get("etag")!;
    for (const inm of [tag, `"other", ${tag}`, `W/${tag}`]) expect((await fetch(`${url}${path}`, { headers: { "if-none-match": inm } })).status).toBe(304);
    expect((await fetch(`${url}${path}`, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
    const head = await fetch(`${url}${path}`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-length"), (await head.arrayBuffer()).byteLength]).toEqual([200, full.headers.get("content-length"), 0]);
  });
});

describe("tiles rendered on worker threads (REEWATCH_RENDER_THREADS)", () => {
  it("are the same bytes, with the same ETag, as tiles rendered on the main thread", async () => {
    const threads = await startServer({ dir: demo, port: 0, renderThreads: 2 });
    const main = await startServer({ dir: demo, port: 0, renderThreads: 0 });
    try {
      const paths = Array.from({ length: 6 }, () => wl.uncached().path);
      for (const p of paths) {
        const [a, b] = await Promise.all([fetch(`${threads.url}${p}`), fetch(`${main.url}${p}`)]);
        expect([p, a.status, a.headers.get("etag")]).toEqual([p, 200, b.headers.get("etag")]);
        expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
      }
    } finally {
      for (const s of [threads, main]) {
        s.server.close();
        s.server.closeAllConnections();
      }
    }
  }, 60_000);
});

describe("caches are bounded in bytes, not only in entries", () => {
  it("evicts the oldest entries past the byte bound, counts resized entries, and keeps one oversized entry", () => {
    const evicted: number[] = [];
    const lru = new Lru<string, number>(1000, (v) => evicted.push(v), 100);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, i, 30);
    expect(lru.bytes).toBeLessThanOrEqual(100);
    expect(lru.size).toBe(3);
    expect(evicted).toEqual([0, 1, 2, 3, 4, 5, 6]);
    evicted.length = 0;
    lru.get("k7");
    lru.resize("k8", 80);
    // k9 (oldest after k7 was used) goes, then k7, to fit k8's 80 bytes.
    expect([lru.size, lru.bytes, lru.get("k8"), evicted]).toEqual([1, 80, 8, [9, 7]]);
    lru.set("big", 99, 500);
    expect([lru.size, lru.bytes, lru.get("big")]).toEqual([1, 500, 99]);
    lru.delete("big");
    expect([lru.size, lru.bytes]).toEqual([0, 0]);
  });
});
