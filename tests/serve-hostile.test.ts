/**
 * `reewatch serve` under hostile requests, over raw sockets (fetch would normalise what matters
 * here: dot segments, encodings, header sizes, slow writes). A real server on 127.0.0.1 over a real
 * (small, SIMULATED) demo run with a label sample. Every answer must be a 4xx (or, for a slow
 * client, a timeout or a closed connection), never a 5xx; the server keeps answering; nothing
 * outside the served run directories is read (a planted secret never appears) or written (the
 * tree outside estimate/ is unchanged). Bounded: a few thousand requests, well under a minute.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_VERTICES } from "../tiles/src/api.ts";
import { type Served, startServer } from "../tiles/src/server.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { GANZHOU_SAMPLE, writeSample } from "./helpers/label-sample.ts";
import { innerBox, zone } from "./helpers/site-places.ts";
import { treeDifferences, treeHashes } from "./helpers/tree-hash.ts";

const SECRET = `TOP-SECRET-${randomBytes(12).toString("hex")}`;
/** Bytes that must never leave the server: the planted secret, /etc/passwd, the repository's package.json. */
const LEAKS = [SECRET, "root:x:0:0", '"name": "reewatch"'];
let demo: string;
let srv: Served;
let port: number;
let points: { id: string }[];
let before: Map<string, string>;
const serverErrors: string[] = [];
let sent = 0;

/** The file tree around the run folder, but estimate/ (where label writes belong). */
const outsideEstimate = () => new Map([...treeHashes(dirname(demo))].filter(([k]) => !k.split("/").includes("estimate")));

beforeAll(async () => {
  // REEWATCH_DEMO=<dir> copies an existing demo output instead of making one (while developing).
  if (process.env.REEWATCH_DEMO) {
    demo = join(mkdtempSync(join(tmpdir(), "reewatch-hostile-")), "demo");
    cpSync(process.env.REEWATCH_DEMO, demo, { recursive: true });
  } else demo = await makeDemo();
  for (const f of ["sample.csv", "strata.json", "labels.csv"]) rmSync(join(demo, "ganzhou", "estimate", f), { force: true });
  points = await writeSample(join(demo, "ganzhou"), { ...GANZHOU_SAMPLE, perClass: 8 });
  // Secrets beside the run directories and beside the folder of runs.
  writeFileSync(join(dirname(demo), "secret.txt"), SECRET);
  writeFileSync(join(demo, "secret.txt"), SECRET);
  writeFileSync(join(demo, "ganzhou", "reports", "..secret"), SECRET);
  before = outsideEstimate();
  // The server logs every 5xx it meets (even one it could not send, on a closed connection): catch them.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (String(chunk).startsWith("serve: ")) serverErrors.push(String(chunk).split("\n")[0]!);
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  srv = await startServer({ dir: demo, port: 0, labels: true });
  port = Number(new URL(srv.url).port);
}, 300_000);
afterAll(() => {
  srv?.server.close();
  srv?.server.closeAllConnections();
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
});

interface Raw {
  status: number;
  head: string;
  body: string;
  /** The server closed the connection without an answer. */
  closed: boolean;
  /** Nothing came back within the wait. */
  timedOut: boolean;
  ms: number;
}

/** Whether `buf` holds one whole HTTP response (by Content-Length or the last chunk). */
function complete(buf: Buffer): boolean {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = buf.subarray(0, end).toString("latin1");
  const len = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (len) return buf.length - end - 4 >= Number(len[1]);
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return buf.subarray(end).includes("\r\n0\r\n\r\n");
  return /^HTTP\/1\.1 (1\d\d|204|304)/.test(head);
}

/**
 * Writes `data` (or lets `drive` write) on a fresh connection and reads one answer: resolves on a
 * whole response, on the server closing, or after `wait` ms.
 */
function raw(data: string | Buffer | null, o: { wait?: number; drive?: (s: Socket) => void; to?: number } = {}): Promise<Raw> {
  const t0 = Date.now();
  return new Promise((ok) => {
    sent++;
    const s = connect(o.to ?? port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const buf = Buffer.concat(chunks);
      const text = buf.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      ok({ status, head, body: split < 0 ? "" : text.slice(split + 4), closed: !timedOut && status === 0, timedOut, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(true), o.wait ?? 10_000);
    s.on("data", (c) => {
      chunks.push(c);
      if (complete(Buffer.concat(chunks))) finish(false);
    });
    s.on("close", () => finish(false));
    s.on("error", () => finish(false));
    s.on("connect", () => {
      if (data !== null) s.write(data);
      o.drive?.(s);
    });
  });
}

/** A request as bytes, exactly as given (no normalisation of the target). */
const req = (method: string, target: string, headers: string[] = [], body: string | Buffer = "") =>
  Buffer.concat([
    Buffer.from(
      `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join("")}${
        body.length ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ""
      }\r\n`,
      "latin1",
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);

/** Runs `jobs` at most `n` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], n = 16): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await jobs[k]!();
      }
    }),
  );
  return out;
}

/** Fails with the request when an answer is not a 4xx, leaks, or is a JSON error of more than one line. */
function expect4xx(what: string, r: Raw): void {
  expect([what, r.status >= 400 && r.status < 500], r.head.split("\r\n")[0]).toEqual([what, true]);
  for (const leak of LEAKS) expect(r.body.includes(leak), `${what} leaked ${leak}`).toBe(false);
  if (/content-type: application\/json/i.test(r.head)) {
    const e = JSON.parse(r.body);
    expect(typeof e.error, what).toBe("string");
    expect(e.error.includes("\n"), what).toBe(false);
  }
}

async function stillAnswers(): Promise<void> {
  const r = await raw(req("GET", "/api/sites"));
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body).sites.length).toBe(3);
}

describe("path traversal in every encoding, on every route", () => {
  const dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "%EF%BC%8E%EF%BC%8E", "%E2%80%A5", "..%00", "%2e%2e%00", "..;", "...."];
  const seps = ["/", "%2f", "%2F", "%5c", "\\", "%252f", "//", "%c0%af", "/./"];
  const targets = ["secret.txt", "etc/passwd", "package.json", "..secret"];
  const prefixes = [
    "/stac/ganzhou/",
    "/stac/ganzhou/composites/",
    "/reports/ganzhou/",
    "/reports/ganzhou/x/",
    "/tiles/ganzhou/ndvi/2020/",
    "/api/",
    "/api/ganzhou/",
    "/",
    "/assets/",
  ];

  it("answers a 4xx to each, and never with a secret", async () => {
    const paths = new Set<string>();
    for (const p of prefixes)
      for (const d of dots) for (const s of seps) for (const t of targets) for (const depth of [1, 3]) paths.add(`${p}${`${d}${s}`.repeat(depth)}${t}`);
    // Absolute paths, doubled slashes, NUL bytes, odd site names and targets.
    for (const p of [
      "//etc/passwd",
      "/stac/ganzhou//etc/passwd",
      "/stac/ganzhou/%2fetc%2fpasswd",
      "/stac/ganzhou/%2Fetc/passwd",
      "/stac//ganzhou/../../secret.txt",
      "/stac/ganzhou/C:%5cWindows%5cwin.ini",
      "/stac/ganzhou/catalog.json%00.png",
      "/stac/ganzhou/%00",
      "/stac/%2e%2e/secret.txt",
      "/stac/../secret.txt",
      "/stac/ganzhou%00/catalog.json",
      "/stac/gan%2fzhou/catalog.json",
      "/stac/%2fetc/passwd",
      "/api/%2e%2e/point?lon=1&lat=1",
      "/api/..%2f..%2fsecret.txt/claims",
      "/tiles/%2e%2e/ndvi/2020/1/0/0.png",
      "/tiles/ganzhou/%2e%2e/2020/1/0/0.png",
      "/tiles/ganzhou/ndvi/%2e%2e%2f%2e%2e/1/0/0.png",
      "/reports/ganzhou/%2e%2e/secret.txt",
      "/reports/ganzhou/..secret",
      "/index.html/../../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/..%5c..%5cpackage.json",
      "http://127.0.0.1/../../secret.txt",
      "http://evil.example/stac/ganzhou/../../secret.txt",
      "/stac/ganzhou/..%u2215secret.txt",
      "/stac/ganzhou/%",
      "/stac/ganzhou/%zz",
      "/stac/ganzhou/%e0%80",
    ])
      paths.add(p);
    const list = [...paths];
    expect(list.length).toBeGreaterThan(3000);
    const answers = await pool(list.map((p) => () => raw(req("GET", p))));
    for (const [i, r] of answers.entries()) expect4xx(`GET ${list[i]}`, r);
    // The one legitimate file with ".." in its name answers 200 only by its own name, under its own route (not served: 404).
    await stillAnswers();
  }, 120_000);
});

describe("malformed tiles, points and queries", () => {
  const tile = "/tiles/ganzhou/ndvi/2020";
  const zxy = [
    "-1/0/0",
    "0/-1/0",
    "0/0/-1",
    "31/0/0",
    "25/0/0",
    "99999999999999999999/0/0",
    "1e1/0/0",
    "0x1/0/0",
    "1.5/0/0",
    "1/0.5/0",
    "1/0/0.5",
    "NaN/0/0",
    "Infinity/0/0",
    "3/8/0",
    "3/0/8",
    "14/99999999999999999999/0",
    "24/16777216/0",
    " 1/0/0",
    "1/0/0.png.png",
    "1/0/0@3x",
    "1/0/0@2x@2x",
    "1/0/0.jpg",
    "1/0/0.PNG",
    "1/0/0.png/extra",
    "1/0",
    "1/0/",
    "",
    "tilejson.json/x",
  ];
  const point = [
    "lon=0&lat=0",
    "lon=NaN&lat=NaN",
    "lon=Infinity&lat=0",
    "lon=1e400&lat=0",
    "lon=&lat=",
    "lat=24.9",
    "lon=0x10&lat=0",
    "lon=115&lat=90.0001",
    "lon=-180.1&lat=0",
    "lon=115.1&lat=24.9&product=../../secret",
    "lon=115.1&lat=24.9&product=",
    "lon=115.1&lat=24.9&lon=x",
    "lon[]=1&lat[]=2",
    "lon=%00&lat=%00",
  ];
  const style = [
    "range=NaN,1",
    "range=1,1",
    "range=1e309,2e309",
    "range=1,2,3",
    "range=",
    "rescale=a,b",
    "colormap=../../../etc/passwd",
    "colormap=__proto__",
    "colormap=constructor",
    "colormap_name=toString",
    "colormap=%00",
  ];

  it("answers a 4xx to each", async () => {
    const paths = [
      ...zxy.map((t) => `${tile}/${t}.png`),
      ...zxy.map((t) => `${tile}/${t}`),
      ...point.map((q) => `/api/ganzhou/point?${q}`),
      ...point.map((q) => `/api/ganzhou/chip?product=ndvi&date=2020&${q}`),
      ...style.map((q) => `${tile}/10/0/0.png?${q}`),
      ...[...style, "tile_scale=3", "tile_scale=0", "tile_scale=NaN"].map((q) => `${tile}/tilejson.json?${q}`),
      "/api/ganzhou/chip?product=ndvi&date=2020&lon=115.1&lat=24.9&size=1e9",
      "/api/ganzhou/chip?product=ndvi&date=2020&lon=115.1&lat=24.9&size=-31",
      "/api/ganzhou/chip?product=ndvi&date=2020&lon=115.1&lat=24.9&size=31.5",
      "/api/ganzhou/labels?labeller=",
      `/api/ganzhou/labels?labeller=${"x".repeat(5000)}`,
      "/api/ganzhou/labels.csv?labeller=%00",
      "/api/ganzhou/labels.csv?labeller=../../secret",
    ];
    const answers = await pool(paths.map((p) => () => raw(req("GET", p))));
    for (const [i, r] of answers.entries()) expect4xx(`GET ${paths[i]}`, r);
    await stillAnswers();
  }, 60_000);

  it("answers a 4xx to wrong methods and odd request targets", async () => {
    const cases: [string, string][] = [
      ["DELETE", "/api/sites"],
      ["PUT", "/tiles/ganzhou/ndvi/2020/1/0/0.png"],
      ["PATCH", "/stac/ganzhou/catalog.json"],
      ["GET", "/api/ganzhou/zonal"],
      ["TRACE", "/"],
      ["CONNECT", "127.0.0.1:80"],
      ["OPTIONS", "*"],
      ["GET", "*"],
      ["BREW", "/"],
      ["GET", "/a b"],
      ["GET", "noslash"],
      ["GET", "/\u00e9"],
    ];
    for (const [m, t] of cases) {
      const r = await raw(req(m, t));
      // OPTIONS * and a CORS preflight may answer 204: that is not an error but not a 5xx either.
      // Node closes a CONNECT nobody handles: a closed connection is fine too.
      expect(r.timedOut, `${m} ${t}`).toBe(false);
      if (m === "OPTIONS") expect(r.status, `${m} ${t}`).toBeLessThan(500);
      else if (!r.closed) expect4xx(`${m} ${t}`, r);
    }
    await stillAnswers();
  });
});

describe("oversized requests", () => {
  it("refuses a 100 KB URL, huge headers and many headers", async () => {
    const cases: [string, Buffer][] = [
      ["100 KB URL", req("GET", `/api/sites?q=${"a".repeat(100 * 1024)}`)],
      ["100 KB path", req("GET", `/stac/ganzhou/${"a/".repeat(50 * 1024)}x`)],
      ["64 KB header", req("GET", "/api/sites", [`X-Big: ${"b".repeat(64 * 1024)}`])],
      [
        "3000 headers",
        req(
          "GET",
          "/api/sites",
          Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${i}`),
        ),
      ],
      [
        "1 MB of headers",
        req(
          "GET",
          "/api/sites",
          Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${"c".repeat(1000)}`),
        ),
      ],
      ["huge host", Buffer.from(`GET /api/sites HTTP/1.1\r\nHost: ${"h".repeat(20_000)}\r\nConnection: close\r\n\r\n`)],
      ["bad host", Buffer.from("GET /api/sites HTTP/1.1\r\nHost: [::\r\nConnection: close\r\n\r\n")],
      ["no host", Buffer.from("GET /api/sites HTTP/1.1\r\nConnection: close\r\n\r\n")],
      ["two content-lengths", req("POST", "/api/ganzhou/zonal", ["Content-Length: 5", "Content-Length: 7"], "")],
      ["bad content-length", req("POST", "/api/ganzhou/zonal", ["Content-Length: -1"])],
      ["content-length and chunked", req("POST", "/api/ganzhou/zonal", ["Content-Length: 3", "Transfer-Encoding: chunked"], "")],
      ["header injection", Buffer.from("GET /api/sites HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rb\r\n\r\n")],
      ["HTTP/0.9", Buffer.from("GET /api/sites\r\n\r\n")],
      ["HTTP/2 preface", Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")],
      ["binary garbage", randomBytes(4096)],
    ];
    for (const [what, data] of cases) {
      const r = await raw(data, { wait: 5_000 });
      expect(r.timedOut, what).toBe(false);
      // Node's parser answers some of these itself (400, 431) or closes the connection: both fine.
      if (!r.closed) expect4xx(what, r);
    }
    await stillAnswers();
  }, 60_000);

  it("refuses huge bodies to the POST and PUT endpoints with 413 (declared, chunked, and undeclared)", async () => {
    const big = Buffer.alloc(5 << 20, 0x20);
    const label = `/api/ganzhou/labels/${points[0]!.id}`;
    const auth = [`X-Reewatch-Token: ${srv.token}`, "Content-Type: application/json"];
    const chunked = (target: string, method = "POST", headers: string[] = []) =>
      Buffer.concat([
        Buffer.from(
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n`,
        ),
        ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from("100000\r\n"), Buffer.alloc(1 << 20, 0x20), Buffer.from("\r\n")])),
        Buffer.from("0\r\n\r\n"),
      ]);
    const cases: [string, Buffer][] = [
      ["zonal 5 MB", req("POST", "/api/ganzhou/zonal", [], big)],
      ["zonal declares 100 GB", Buffer.from(`POST /api/ganzhou/zonal HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 107374182400\r\n\r\n{`)],
      ["zonal 5 MB chunked", chunked("/api/ganzhou/zonal")],
      ["label 5 MB", req("PUT", label, auth, big)],
      ["label 5 MB chunked", chunked(label, "PUT", auth)],
      ["label 5 MB without token", req("PUT", label, [], big)],
    ];
    for (const [what, data] of cases) {
      const r = await raw(data, { wait: 10_000 });
      expect(r.timedOut, what).toBe(false);
      expect(r.status === 0 || (r.status >= 400 && r.status < 500), `${what}: ${r.head}`).toBe(true);
      if (what.includes("without token")) expect(r.status).toBe(403);
      else if (r.status) expect(r.status, what).toBe(413);
    }
    await stillAnswers();
  }, 60_000);
});

describe("zonal polygons that cost more than they should", () => {
  const ring = innerBox(zone("ganzhou").geometry, 0.5);
  const post = (body: string) => raw(req("POST", "/api/ganzhou/zonal?product=ndvi", ["Content-Type: application/json"], body), { wait: 20_000 });

  it("refuses a polygon of 100,000 vertices quickly, with a named reason", async () => {
    // Small numbers keep 100,000 vertices under the 1 MiB body limit: the vertex count is what is refused.
    const n = 100_000;
    const coords = Array.from({ length: n }, (_, i) => `[${i % 2},${Math.floor(i / 2) % 7}]`);
    coords.push(coords[0]!);
    const body = `{"type":"Polygon","coordinates":[[${coords.join(",")}]]}`;
    expect(body.length).toBeLessThan(1 << 20);
    const r = await post(body);
    expect4xx("100,000 vertices", r);
    expect(JSON.parse(r.body).error).toContain(`${MAX_VERTICES}`);
    expect(r.ms).toBeLessThan(2_000);
    // The same count across many polygons of a MultiPolygon.
    const square = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]";
    const multi = `{"type":"MultiPolygon","coordinates":[${Array.from({ length: 20_000 }, () => square).join(",")}]}`;
    expect4xx("20,000 squares", await post(multi));
    await stillAnswers();
  }, 30_000);

  it("refuses self-intersections, deep nesting, and geometry that is not a polygon", async () => {
    const bowtie = [ring[0], ring[2], ring[1], ring[3], ring[0]];
    const deepFeature = `${'{"type":"Feature","geometry":'.repeat(20_000)}null${"}".repeat(20_000)}`;
    const deepArray = `{"type":"Polygon","coordinates":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const bodies: [string, string][] = [
      ["bowtie", JSON.stringify({ type: "Polygon", coordinates: [bowtie] })],
      ["zig-zag crossing itself 2,000 times", JSON.stringify({ type: "Polygon", coordinates: [zigzag(2_000)] })],
      ["nested Features 20,000 deep", deepFeature],
      ["nested arrays 100,000 deep", deepArray],
      ["FeatureCollection of 200,000 nulls", `{"type":"FeatureCollection","features":[${Array(200_000).fill("null").join(",")}]}`],
      ["NaN coordinates", '{"type":"Polygon","coordinates":[[["NaN",0],[1,0],[1,1],["NaN",0]]]}'],
      ["strings for rings", '{"type":"Polygon","coordinates":["abc"]}'],
      ["__proto__", '{"__proto__":{"type":"Polygon"},"type":"Polygon"}'],
      ["empty", ""],
      ["null", "null"],
      ["array", "[]"],
      ["number", "1e400"],
      [
        "outside the site",
        JSON.stringify({
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
              [0, 0],
            ],
          ],
        }),
      ],
      ["bad UTF-8", "\xff\xfe{"],
    ];
    for (const [what, body] of bodies) {
      const r = await post(body);
      expect4xx(what, r);
      expect(r.ms, what).toBeLessThan(5_000);
    }
    await stillAnswers();
  }, 60_000);
});

/** A closed ring of `n` vertices zig-zagging across itself inside a unit box near Ganzhou. */
function zigzag(n: number): number[][] {
  const pts = Array.from({ length: n }, (_, i) => [115 + (i % 2) * 0.01, 24.9 + (i / n) * 0.01 * ((i % 3) - 1)]);
  pts.push(pts[0]!);
  return pts;
}

describe("slow clients are timed out, and do not stop the server", () => {
  let slow: Served;
  let slowPort: number;
  beforeAll(async () => {
    slow = await startServer({ dir: demo, port: 0, timeouts: { headers: 1_000, request: 2_000, keepAlive: 500, idle: 3_000 } });
    slowPort = Number(new URL(slow.url).port);
  });
  afterAll(() => {
    slow?.server.close();
    slow?.server.closeAllConnections();
  });

  it("has timeouts set by default (headers, whole request, keep-alive)", () => {
    const s = srv.server;
    expect(s.headersTimeout).toBeGreaterThan(0);
    expect(s.headersTimeout).toBeLessThanOrEqual(20_000);
    expect(s.requestTimeout).toBeGreaterThan(0);
    expect(s.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(s.keepAliveTimeout).toBeGreaterThan(0);
    expect(s.keepAliveTimeout).toBeLessThanOrEqual(10_000);
  });

  it("drops slowloris connections (headers dribbled, never finished) while answering others", async () => {
    const dribble = (s: Socket) => {
      s.write(`GET /api/sites HTTP/1.1\r\nHost: 127.0.0.1:${slowPort}\r\n`);
      let k = 0;
      const t = setInterval(() => {
        if (s.destroyed) clearInterval(t);
        else s.write(`X-Slow-${k++}: 1\r\n`);
      }, 200);
      s.on("close", () => clearInterval(t));
    };
    const held = Array.from({ length: 30 }, () => raw(null, { to: slowPort, drive: dribble, wait: 8_000 }));
    const idle = Array.from({ length: 10 }, () => raw(null, { to: slowPort, wait: 8_000 }));
    // Meanwhile a normal client is answered.
    await new Promise((r) => setTimeout(r, 300));
    const ok = await raw(req("GET", "/api/sites").toString().replace(`:${port}`, `:${slowPort}`), { to: slowPort });
    expect(ok.status).toBe(200);
    for (const r of [...(await Promise.all(held)), ...(await Promise.all(idle))]) {
      expect(r.timedOut, "a slow connection was never closed").toBe(false);
      expect(r.status === 0 || r.status === 408, r.head).toBe(true);
      expect(r.ms).toBeLessThan(6_000);
    }
  }, 30_000);

  it("drops slow bodies to zonal and labels (a byte at a time) with 408 or a closed connection", async () => {
    const slowBody = (target: string, method: string) => (s: Socket) => {
      s.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${slowPort}\r\nContent-Length: 100000\r\n\r\n{`);
      const t = setInterval(() => {
        if (s.destroyed) clearInterval(t);
        else s.write(" ");
      }, 100);
      s.on("close", () => clearInterval(t));
    };
    const stalled = (target: string, method: string) => (s: Socket) => {
      s.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${slowPort}\r\nContent-Length: 100\r\n\r\n{`);
    };
    const runs = [
      raw(null, { to: slowPort, drive: slowBody("/api/ganzhou/zonal", "POST"), wait: 10_000 }),
      raw(null, { to: slowPort, drive: slowBody(`/api/ganzhou/labels/${points[0]!.id}`, "PUT"), wait: 10_000 }),
      raw(null, { to: slowPort, drive: stalled("/api/ganzhou/zonal", "POST"), wait: 10_000 }),
    ];
    for (const r of await Promise.all(runs)) {
      expect(r.timedOut, "a slow body was never cut off").toBe(false);
      expect(r.status === 0 || (r.status >= 400 && r.status < 500), r.head).toBe(true);
    }
    const ok = await raw(req("GET", "/api/sites").toString().replace(`:${port}`, `:${slowPort}`), { to: slowPort });
    expect(ok.status).toBe(200);
  }, 30_000);

  it("closes an idle keep-alive connection after its timeout", async () => {
    const r = await new Promise<{ answered: boolean; closedAfter: number }>((ok) => {
      const s = connect(slowPort, "127.0.0.1");
      let answered = false;
      let t0 = 0;
      s.on("connect", () => s.write(`GET /api/sites HTTP/1.1\r\nHost: 127.0.0.1:${slowPort}\r\n\r\n`));
      s.on("data", () => {
        answered = true;
        t0 ||= Date.now();
      });
      s.on("close", () => ok({ answered, closedAfter: Date.now() - t0 }));
      setTimeout(() => s.destroy(), 8_000);
    });
    expect(r.answered).toBe(true);
    expect(r.closedAfter).toBeLessThan(4_000);
  }, 15_000);
});

describe("label writes under attack", () => {
  const auth = () => [`X-Reewatch-Token: ${srv.token}`, "Content-Type: application/json"];
  const label = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ labeller: "Mallory", reference_class: "stable", confidence: "high", note: "", stratum_shown: false, ...extra });

  it("refuses writes without the token, with a wrong one, from a foreign origin or host, and ids or names that try to leave the run", async () => {
    const id = points[0]!.id;
    const cases: [string, Buffer, number][] = [
      ["no token", req("PUT", `/api/ganzhou/labels/${id}`, ["Content-Type: application/json"], label()), 403],
      ["wrong token", req("PUT", `/api/ganzhou/labels/${id}`, ["X-Reewatch-Token: nope"], label()), 403],
      ["foreign origin", req("PUT", `/api/ganzhou/labels/${id}`, [...auth(), "Origin: http://evil.example"], label()), 403],
      ["null origin", req("PUT", `/api/ganzhou/labels/${id}`, [...auth(), "Origin: null"], label()), 403],
      [
        "foreign host",
        Buffer.from(req("PUT", `/api/ganzhou/labels/${id}`, auth(), label()).toString().replace(`Host: 127.0.0.1:${port}`, "Host: evil.example")),
        403,
      ],
      ["DELETE without token", req("DELETE", `/api/ganzhou/labels/${id}?labeller=Mallory`), 403],
    ];
    for (const [what, data, status] of cases) {
      const r = await raw(data);
      expect4xx(what, r);
      expect(r.status, what).toBe(status);
    }
    const hostile = [
      ["id ..", "/api/ganzhou/labels/..", label()],
      ["id %2e%2e", "/api/ganzhou/labels/%2e%2e", label()],
      ["id ../../secret.txt", "/api/ganzhou/labels/..%2f..%2fsecret.txt", label()],
      ["unknown id", "/api/ganzhou/labels/no-such-point", label()],
      ["labeller traversal", `/api/ganzhou/labels/${id}`, label({ labeller: "../../../secret" })],
      ["labeller NUL", `/api/ganzhou/labels/${id}`, label({ labeller: "a\u0000b" })],
      ["labeller 10k", `/api/ganzhou/labels/${id}`, label({ labeller: "x".repeat(10_000) })],
      ["note 100k", `/api/ganzhou/labels/${id}`, label({ note: "n".repeat(100_000) })],
      ["class", `/api/ganzhou/labels/${id}`, label({ reference_class: "<script>" })],
      ["array body", `/api/ganzhou/labels/${id}`, "[]"],
      ["not JSON", `/api/ganzhou/labels/${id}`, "{"],
      ["site ..", "/api/%2e%2e/labels/1", label()],
    ];
    for (const [what, target, body] of hostile) {
      const r = await raw(req("PUT", target!, auth(), body!));
      if (what === "labeller traversal") expect([200, 400]).toContain(r.status);
      else expect4xx(what!, r);
    }
    // A traversing labeller name becomes a file name inside estimate/, never a path out of it.
    expect(readFileSync(join(dirname(demo), "secret.txt"), "utf8")).toBe(SECRET);
  });

  it("keeps the sheet well-formed under 20 parallel writes with hostile notes: none lost", async () => {
    const ids = points.slice(0, 20).map((p) => p.id);
    expect(ids.length).toBe(20);
    const note = (id: string) => `id ${id}, "quoted", line\r\nbreak; 稀土 =cmd|' /C calc'!A0`;
    const answers = await Promise.all(ids.map((id) => raw(req("PUT", `/api/ganzhou/labels/${id}`, auth(), label({ note: note(id) })))));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    const text = readFileSync(join(demo, "ganzhou", "estimate", "labels-mallory.csv"), "utf8");
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) expect([id, byId.get(id)?.note, byId.get(id)?.reference_class]).toEqual([id, note(id), "stable"]);
  }, 30_000);
});

describe("afterwards", () => {
  it("still answers, logged no server error, and nothing outside estimate/ was written", async () => {
    await stillAnswers();
    expect(serverErrors).toEqual([]);
    process.stdout.write(`hostile requests sent: ${sent}\n`);
    expect(treeDifferences(before, outsideEstimate())).toEqual([]);
  });
});
