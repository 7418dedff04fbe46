/**
 * Fuzz target: `reewatch serve`'s query strings, paths and bodies. Generated requests to every
 * endpoint (tiles, TileJSON, point, chip, zonal, labels, STAC, reports, sites) go to a real server
 * on 127.0.0.1 over a small demo run with a label sample; every answer must be below 500, an error
 * must be a one-line JSON reason, and the server must log no internal error. `npm test` runs
 * FUZZ_RUNS cases per property (fuzz-runs.ts); REEWATCH_FUZZ_SEED replays a failure.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Served, startServer } from "../../tiles/src/server.ts";
import { makeDemo } from "../helpers/demo-fixture.ts";
import { GANZHOU_SAMPLE, writeSample } from "../helpers/label-sample.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";

let demo: string;
let srv: Served;
let ids: string[];
const serverErrors: string[] = [];

beforeAll(async () => {
  if (process.env.REEWATCH_DEMO) {
    demo = join(mkdtempSync(join(tmpdir(), "reewatch-fuzz-serve-")), "demo");
    cpSync(process.env.REEWATCH_DEMO, demo, { recursive: true });
  } else demo = await makeDemo();
  for (const f of ["sample.csv", "strata.json", "labels.csv"]) rmSync(join(demo, "ganzhou", "estimate", f), { force: true });
  ids = (await writeSample(join(demo, "ganzhou"), GANZHOU_SAMPLE)).map((p) => p.id);
  srv = await startServer({ dir: demo, port: 0, labels: true });
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (String(chunk).startsWith("serve: ")) serverErrors.push(String(chunk).split("\n")[0]!);
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
}, 300_000);
afterAll(() => {
  srv?.server.close();
  srv?.server.closeAllConnections();
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
});

// --- Pieces of requests: mostly plausible, often hostile.
const SITES = ["ganzhou", "bayan-obo", "brumadinho"];
const PRODUCTS = ["ndvi", "nbr", "ndmi", "bsi", "mndwi", "tcw", "rsei", "truecolor", "classes", "disturbed", "count"];
const DATES = ["2016", "2020", "2024", "2019-2024"];
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 8 }), fc.string({ unit: "binary", maxLength: 8 }));
const pick = (known: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: text });
const number = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double().map(String),
  fc.double({ min: -200, max: 200, noNaN: true }).map(String),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "-0", "1e400", "", "0x10", "1,2", " 1", "1e-400", "٣"),
  text,
);
/** Near the Ganzhou demo site, where most points hit data. */
const lonLat = fc.oneof(
  fc.tuple(fc.double({ min: 114.9, max: 115.3, noNaN: true }), fc.double({ min: 24.7, max: 25.1, noNaN: true })).map(([a, b]) => [String(a), String(b)]),
  fc.tuple(number, number),
);
const QUERY_KEYS = ["lon", "lat", "product", "date", "size", "colormap", "colormap_name", "range", "rescale", "tile_scale", "format", "labeller", "token"];
/** "min,max"-like lists (range, rescale), of any length. */
const list = fc
  .array(fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.double().map(String), fc.constantFrom("NaN", "", "1e400")), { maxLength: 4 })
  .map((a) => a.join(","));
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), text), fc.oneof(number, list, pick(["viridis", "ndvi", "0,1", "-1,1", "Alice", "webp", "2"]))), {
    maxLength: 6,
  })
  .map((pairs) => new URLSearchParams(pairs).toString());
/** A path segment, sometimes percent-encoded hostilely. */
const segment = (known: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: pick(known).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom("%2e%2e", "..", "%00", "%", "%zz", "%2f", "a%5cb") },
  );
const tileCoord = fc.oneof(fc.integer({ min: 0, max: 16 }).map(String), number.map(encodeURIComponent));
const tilePath = fc
  .tuple(
    segment(SITES),
    segment(PRODUCTS),
    segment(DATES),
    fc.integer({ min: 0, max: 14 }),
    fc.nat(),
    fc.nat(),
    fc.constantFrom(".png", ".webp", "@2x.png", ".jpg", ""),
  )
  .map(([s, p, d, z, x, y, ext]) => `/tiles/${s}/${p}/${d}/${z}/${x % 2 ** z}/${y % 2 ** z}${ext}`);
const oddTilePath = fc
  .tuple(segment(SITES), segment(PRODUCTS), segment(DATES), tileCoord, tileCoord, tileCoord, fc.constantFrom(".png", ".webp", "@2x.png", "@3x.png", ""))
  .map(([s, p, d, z, x, y, ext]) => `/tiles/${s}/${p}/${d}/${z}/${x}/${y}${ext}`);
const getPath = fc.oneof(
  tilePath,
  oddTilePath,
  fc.tuple(segment(SITES), segment(PRODUCTS), segment(DATES)).map(([s, p, d]) => `/tiles/${s}/${p}/${d}/tilejson.json`),
  fc.tuple(segment(SITES), lonLat).map(([s, [lon, lat]]) => `/api/${s}/point?lon=${encodeURIComponent(lon!)}&lat=${encodeURIComponent(lat!)}`),
  fc
    .tuple(segment(SITES), lonLat, number)
    .map(([s, [lon, lat], size]) => `/api/${s}/chip?lon=${encodeURIComponent(lon!)}&lat=${encodeURIComponent(lat!)}&size=${size}`),
  segment(SITES).map((s) => `/api/${s}/claims`),
  fc.tuple(segment(SITES), fc.constantFrom("sample", "strata", "labels", "labels.csv", "labelling", "zonal")).map(([s, w]) => `/api/${s}/${w}`),
  fc.constantFrom("/api/sites", "/api/labelling", "/", "/index.html"),
  fc
    .tuple(segment(SITES), fc.array(segment(["catalog.json", "composites", "2020", "ndvi.tif", "2020.json", "change", "reports"]), { maxLength: 4 }))
    .map(([s, rest]) => `/stac/${s}/${rest.join("/")}`),
  fc
    .tuple(segment(SITES), segment(["claims", "index.html"]), segment(["index.html", "report.html", "claim.json"]))
    .map(([s, a, b]) => `/reports/${s}/${a}/${b}`),
);

// --- Bodies.
const position = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.double({ min: 114.9, max: 115.3, noNaN: true }), fc.double({ min: 24.7, max: 25.1, noNaN: true })) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.double(), fc.constant(null), fc.string({ maxLength: 3 })), { maxLength: 3 }) },
);
const ring = fc.tuple(fc.array(position, { maxLength: 40 }), fc.boolean()).map(([r, close]) => (close && r.length ? [...r, r[0]] : r));
const polygon = fc.array(ring, { maxLength: 3 });
const geometry = fc.oneof(
  polygon.map((c) => ({ type: "Polygon", coordinates: c })),
  fc.array(polygon, { maxLength: 3 }).map((c) => ({ type: "MultiPolygon", coordinates: c })),
  fc.record({ type: pick(["Point", "LineString", "GeometryCollection"]), coordinates: fc.jsonValue() }),
);
const geojson = fc.oneof(
  geometry,
  geometry.map((g) => ({ type: "Feature", properties: {}, geometry: g })),
  fc.array(geometry, { maxLength: 3 }).map((gs) => ({ type: "FeatureCollection", features: gs.map((g) => ({ type: "Feature", geometry: g })) })),
  fc.jsonValue(),
);
const labelBody = fc.oneof(
  fc.record(
    {
      labeller: fc.oneof(pick(["Alice", "Bob", "王芳"]), fc.jsonValue()),
      reference_class: fc.oneof(pick(["stable", "disturbed", "recovering", "restored", ""]), fc.jsonValue()),
      confidence: fc.oneof(pick(["high", "medium", "low", ""]), fc.jsonValue()),
      note: fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.jsonValue()),
      stratum_shown: fc.oneof(fc.boolean(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);
/** A body as sent: JSON, or JSON cut short, or raw text. */
const raw = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 5, arbitrary: arb.map((v) => JSON.stringify(v) ?? "") },
    { weight: 1, arbitrary: fc.tuple(arb, fc.nat()).map(([v, k]) => (JSON.stringify(v) ?? "").slice(0, k)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  );

interface Req {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}
const bodyReq: fc.Arbitrary<Req> = fc.oneof(
  fc
    .tuple(segment(SITES), pick(PRODUCTS), raw(geojson))
    .map(([s, p, body]) => ({ method: "POST", path: `/api/${s}/zonal?product=${encodeURIComponent(p)}`, body })),
  fc
    .tuple(segment(SITES), pick(["1", "2", "17", "999", "x"]), raw(labelBody), fc.boolean())
    .map(([s, id, body, auth]) => ({ method: "PUT", path: `/api/${s}/labels/${encodeURIComponent(id)}`, body, headers: auth ? token() : {} })),
  fc
    .tuple(segment(SITES), pick(["1", "2", "x"]), query)
    .map(([s, id, q]) => ({ method: "DELETE", path: `/api/${s}/labels/${encodeURIComponent(id)}?${q}`, headers: token() })),
  fc.tuple(fc.constantFrom("POST", "PUT", "DELETE", "PATCH"), getPath, raw(fc.jsonValue())).map(([method, path, body]) => ({ method, path, body })),
);
const token = () => ({ "x-reewatch-token": srv.token!, "content-type": "application/json" });

async function send(r: Req): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${srv.url}${r.path}`, { method: r.method, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: res.status >= 400 ? buf.toString("utf8") : "" };
}

function check(r: Req, a: { status: number; type: string; text: string }): void {
  if (a.status >= 500) throw new Error(`${r.method} ${r.path} -> ${a.status} ${a.text}`);
  if (a.status >= 400 && a.type.startsWith("application/json")) {
    const e = JSON.parse(a.text) as { error?: unknown };
    if (typeof e.error !== "string" || e.error.includes("\n")) throw new Error(`${r.method} ${r.path} -> ${a.status}: not a one-line error: ${a.text}`);
  }
}

describe("fuzz: reewatch serve", () => {
  it(
    "answers every generated GET (tiles, TileJSON, point, chip, claims, labels, STAC, reports) below 500",
    async () => {
      const t0 = Date.now();
      await fc.assert(
        fc.asyncProperty(getPath, query, async (path, q) => {
          const r = { method: "GET", path: `${path}${path.includes("?") ? "&" : "?"}${q}` };
          check(r, await send(r));
        }),
        fuzzParams(),
      );
      expect(serverErrors).toEqual([]);
      process.stdout.write(`fuzz serve GET: ${FUZZ_RUNS} cases in ${Date.now() - t0} ms\n`);
    },
    fuzzTimeout(),
  );

  it(
    "answers every generated body (zonal GeoJSON, label writes, bodies where none belong) below 500",
    async () => {
      const t0 = Date.now();
      await fc.assert(
        fc.asyncProperty(bodyReq, async (r) => check(r, await send(r))),
        fuzzParams(),
      );
      expect(serverErrors).toEqual([]);
      // Still answering, and the label sheet the writes touched is still readable.
      expect((await fetch(`${srv.url}/api/sites`)).status).toBe(200);
      expect((await fetch(`${srv.url}/api/ganzhou/labels?labeller=Alice`)).status).toBe(200);
      expect(ids.length).toBeGreaterThan(0);
      process.stdout.write(`fuzz serve bodies: ${FUZZ_RUNS} cases in ${Date.now() - t0} ms\n`);
    },
    fuzzTimeout(),
  );
});
