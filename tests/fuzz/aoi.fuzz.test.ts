/**
 * Fuzzing of the AOI readers (pipeline/src/aoi/parse.ts, load.ts, validate.ts, kml.ts,
 * shapefile.ts): GeoJSON objects and files mutated from samples/aoi, hostile rings, huge and deeply
 * nested documents, KML and zip bytes with noise. Each case must end in an Aoi or a named error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadAoi } from "../../pipeline/src/aoi/load.ts";
import { parseAoi, polygonsAmong } from "../../pipeline/src/aoi/parse.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";
import { circleRing, DEEP_TEXTS, deepArray, endsCleanlyWithin, hostileRing, hostileValue, mutatedJson, noisyText } from "./mutate.ts";

const SAMPLES = new URL("../../samples/aoi/", import.meta.url).pathname;
const text = (name: string) => readFileSync(join(SAMPLES, name), "utf8");
const GEOJSON = ["bayan-obo.geojson", "bayan-obo-gcj02.geojson", "bow-tie.geojson"].map(text);
const KML = ["bayan-obo.kml", "bayan-obo-mixed.kml"].map(text);
const ZIPS = ["bayan-obo-lonlat-noprj.zip", "bayan-obo-utm49n-noprj.zip", "bayan-obo-utm49n.shp.zip", "wells-points.shp.zip"].map((n) =>
  readFileSync(join(SAMPLES, n)),
);

const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-aoi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
/** Writes `bytes` to a fresh temp file with extension `ext`; returns its path. */
function tempFile(ext: string, bytes: string | Uint8Array): string {
  const path = join(dir, `case-${fileNo++}${ext}`);
  writeFileSync(path, bytes);
  return path;
}

const polygon = (rings: unknown) => ({ type: "Polygon", coordinates: rings });
/** GeoJSON around hostile rings, in each wrapping the parsers accept. */
const hostileGeometry = fc
  .tuple(fc.array(hostileRing, { minLength: 1, maxLength: 3 }), fc.constantFrom("bare", "feature", "collection", "multi"))
  .map(([rings, wrap]) => {
    if (wrap === "multi") return { type: "MultiPolygon", coordinates: [rings] };
    if (wrap === "feature") return { type: "Feature", properties: {}, geometry: polygon(rings) };
    if (wrap === "collection") return { type: "FeatureCollection", features: [{ type: "Feature", geometry: polygon(rings) }] };
    return polygon(rings);
  });

/** Structures beyond what any reader expects: deep nesting of every kind, geometries in geometries. */
const DEEP: unknown[] = [
  deepArray(100_000),
  { type: "Polygon", coordinates: deepArray(50_000) },
  { type: "MultiPolygon", coordinates: [[deepArray(50_000)]] },
  (() => {
    let f: unknown = polygon([circleRing(4)]);
    for (let i = 0; i < 50_000; i++) f = { type: "Feature", geometry: f };
    return f;
  })(),
  (() => {
    let f: unknown = polygon([circleRing(4)]);
    for (let i = 0; i < 50_000; i++) f = { type: "FeatureCollection", features: [f] };
    return f;
  })(),
  { type: "MultiPolygon", coordinates: [5, "x", null] },
  { type: "MultiPolygon", coordinates: [[5]] },
  { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], deepArray(3)]] },
];

describe("fuzz: AOI readers", () => {
  const params = fuzzParams();
  it(
    "parseAoi on mutated GeoJSON objects ends in an Aoi or a named error",
    async () => {
      const seeds = GEOJSON.map((t) => JSON.parse(t));
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedJson(seeds), hostileGeometry, hostileValue), async (json) => {
          await endsCleanlyWithin(2000, () => parseAoi(json, "fuzz.geojson"));
        }),
        params,
      );
    },
    fuzzTimeout(),
  );

  it(
    "polygonsAmong (the KML/shapefile path) on mutated FeatureCollections",
    async () => {
      const seeds = GEOJSON.map((t) => JSON.parse(t));
      const gc = {
        type: "FeatureCollection",
        features: [{ type: "Feature", geometry: { type: "GeometryCollection", geometries: [polygon([circleRing(5)])] } }],
      };
      await fc.assert(
        fc.asyncProperty(mutatedJson([...seeds, gc]), async (json) => {
          await endsCleanlyWithin(2000, () => polygonsAmong(json, "fuzz.kml"));
        }),
        params,
      );
    },
    fuzzTimeout(),
  );

  it("deep nesting and malformed MultiPolygons end in a named error, not a stack overflow or TypeError", async () => {
    let nested: unknown = polygon([circleRing(4)]);
    for (let i = 0; i < 50_000; i++) nested = { type: "GeometryCollection", geometries: [nested] };
    for (const json of DEEP) await endsCleanlyWithin(5000, () => parseAoi(json, "deep.geojson"));
    await endsCleanlyWithin(5000, () => polygonsAmong({ type: "FeatureCollection", features: [{ geometry: nested }] }, "deep.kml"));
    for (const text of [...DEEP_TEXTS, `${'{"type":"Feature","geometry":'.repeat(20_000)}null${"}".repeat(20_000)}`])
      await endsCleanlyWithin(5000, () => loadAoi(tempFile(".geojson", text)));
    await endsCleanlyWithin(5000, () => loadAoi(tempFile(".kml", `<kml>${"<Folder>".repeat(20_000)}${"</Folder>".repeat(20_000)}</kml>`)));
  });

  it(
    "loadAoi on noisy .geojson, .kml and .zip files",
    async () => {
      const file = fc.oneof(
        noisyText(GEOJSON).map((t) => [".geojson", t] as const),
        noisyText(KML).map((t) => [".kml", t] as const),
        // Half the zips keep their full length (so shpjs reads the damaged entries), half are cut short.
        fc
          .tuple(fc.constantFrom(...ZIPS), fc.oneof(fc.constant(-1), fc.nat()), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }))
          .map(([zip, cut, at, bytes]) => {
            const b = new Uint8Array(zip.subarray(0, cut < 0 ? zip.length : Math.max(4, cut % (zip.length + 1))));
            b.set(bytes.subarray(0, Math.max(0, b.length - (at % b.length))), at % b.length);
            return [".zip", b] as const;
          }),
        fc.tuple(fc.constantFrom(".json", ".kml", ".zip", ".kmz", ".txt"), fc.uint8Array({ maxLength: 300 })),
      );
      await fc.assert(
        fc.asyncProperty(file, fc.constantFrom("wgs84", "gcj02", "bd09", "utm"), async ([ext, bytes], crs) => {
          const path = tempFile(ext, bytes);
          await endsCleanlyWithin(3000, () => loadAoi(path, { crs: crs as "wgs84" }));
          rmSync(path);
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 2)),
      );
    },
    fuzzTimeout(),
  );

  it("a zip whose .dbf header promises 7 million records ends quickly (found by the long run)", async () => {
    // bayan-obo-utm49n-noprj.zip with bytes of its deflated .dbf overwritten: parsedbf looped for 20 s.
    const zip = Buffer.from(
      "UEsDBBQAAAAIALCMgl1jwBOKuQAAAFABAAANAAAAYmF5YW4tb2JvLnNocGNgUOdiwA5WvGBmYGAFMipqBFaIGUk6muqnMUcsCnTccXnZTJXNko6J1eeUd6wMdMShHxkwAnERMWYxAdVwQzWxYVG/RV162lcTScerE7O1VwHVv827qpLYh9APMy9lMXtd+vJAx5DzmtHnN0g65uzf7BkP1I9uXvv+iJ+FxZKOou9+HytbEuh46OJCnexeScdFs678LwTygw6cdr8A5DMs2KQ4d1mg4/PydtWbQPUsnz+9WLgMUz8AUEsDBBQAAAAIALCMgl1VMfC3OQAAAJMAAAANAAAAYmF5YW4tb2JvLmRiZmOu4yjgCChgcGQIZMAA4QwMeYm5qVCeM4gIQFPCq+CUWJmYp+CflK+gUZyckZqbWJKZrKlAPpACAFBLAwQUAAAACACwjIJd5DNOZTkAAABsAAAADQAAAGJheWFuLW9iby5zaHhjYFDnYsAOzF4wMzCwAhkVNQIrxIwkHU3105gjFgU67ri8bKbKZknHxOpzyjtWBjri0I8MjIC4CABQSwECFAMUAAAACACwjIJdY8ATirkAAABQAQAADQAAAAAAAAAAAAAAgAEAAAAAYmF5YW4tb2JvLnNocFBLAQIUAxQAAAAIALCMgl1VMfC3OQAAAJMAAAANAAAAAAAAAAAAAACAAeQAAABiYXlhbi1vYm8uZGJmUEsBAhQDFAAAAAgAsIyCXeQzTmU5AAAAbAAAAA0AAAAAAAAAAAAAAIABSAEAAGJheWFuLW9iby5zaHhQSwUGAAAAAAMAAwCxAAAArAEAAAAA",
      "base64",
    );
    await endsCleanlyWithin(3000, () => loadAoi(tempFile(".zip", zip)));
  });

  it("100,000-vertex rings (simple and crossing) are checked in seconds", async () => {
    const big = circleRing(100_000);
    const crossed = big.map((p, i) => (i === 50_000 ? [p[0]! + 0.05, p[1]!] : p));
    const t0 = performance.now();
    expect(parseAoi(polygon([big])).polygons[0]![0]).toHaveLength(100_001);
    await endsCleanlyWithin(10_000, () => parseAoi(polygon([crossed])));
    const path = tempFile(".geojson", JSON.stringify(polygon([big])));
    await endsCleanlyWithin(10_000, () => loadAoi(path, { crs: "gcj02" }));
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);
});
