/**
 * Fuzzing of the site JSON reader (pipeline/src/site/site.ts, schema.ts, checks.ts): the shipped
 * samples/sites/*.json mutated field by field, hostile polygons in the AOI, zones and controls,
 * huge rings, and noisy file text. Each case must end in a Site or a named error.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadSite, parseSite, SITES_DIR } from "../../pipeline/src/site/site.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";
import { circleRing, DEEP_TEXTS, endsCleanlyWithin, hostileRing, hostileValue, mutatedJson, noisyText } from "./mutate.ts";

const TEXTS = readdirSync(SITES_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => readFileSync(join(SITES_DIR, f), "utf8"));
const SITES = TEXTS.map((t) => JSON.parse(t) as Record<string, any>);

const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-site-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polygon names the messages quote: none (keep the seed's), or ones with newlines and runs of spaces. */
const zoneName = fc.oneof(
  fc.constant(""),
  fc.constantFrom("a\nb", "two  spaces", "tab\there", "\u2028", " lead"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
);

/** Sites with a hostile value in a field the reader computes with (paths into the seed). */
const FIELDS = [
  "season.start",
  "season.end",
  "grid.crs",
  "grid.resolution",
  "grid.transform",
  "grid.width",
  "years",
  "years.0",
  "key",
  "mode",
  "indices",
  "claims",
  "zones.0.simulation.year",
  "maskOverrides.0.zones.0",
];
const hostileField = fc
  .tuple(
    fc.constantFrom(...SITES),
    fc.constantFrom(...FIELDS),
    fc.oneof(hostileValue, zoneName, fc.constantFrom("EPSG:0", "EPSG:4978", "EPSG:99999999", "13-45", "02-31", " 06-01")),
  )
  .map(([seed, field, value]) => {
    const site = structuredClone(seed);
    const keys = field.split(".");
    const parent = keys.slice(0, -1).reduce((o, k) => o?.[k], site as any);
    if (parent && typeof parent === "object") parent[keys[keys.length - 1]!] = value;
    return site;
  });

/** A site with one polygon (the AOI, a zone or a control) replaced by hostile rings. */
const hostilePolygonSite = fc
  .tuple(fc.constantFrom(...SITES), fc.constantFrom("aoi", "zone", "control"), fc.array(hostileRing, { minLength: 1, maxLength: 2 }), fc.boolean(), zoneName)
  .map(([seed, where, rings, multi, name]) => {
    const site = structuredClone(seed);
    const geometry = multi ? { type: "MultiPolygon", coordinates: [rings] } : { type: "Polygon", coordinates: rings };
    if (where === "aoi") site.aoi = geometry;
    else if (where === "zone" && site.zones.length) Object.assign(site.zones[0], { geometry }, name && { name });
    else Object.assign(site.controls[0], { geometry }, name && { name });
    return site;
  });

describe("fuzz: site JSON", () => {
  it(
    "parseSite on mutated site definitions ends in a Site or a named error",
    async () => {
      for (const s of SITES) expect(parseSite(structuredClone(s), "seed.json").key).toBe(s.key);
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedJson(SITES), hostilePolygonSite, hostileField, hostileValue), async (json) => {
          await endsCleanlyWithin(3000, () => parseSite(json, "fuzz-site.json"));
        }),
        // A site case projects the AOI and builds its grid (about 1 ms): half the default count.
        fuzzParams(Math.ceil(FUZZ_RUNS / 2)),
      );
    },
    fuzzTimeout(),
  );

  it(
    "loadSite on noisy site files",
    async () => {
      const path = join(dir, "noisy.json");
      await fc.assert(
        fc.asyncProperty(noisyText(TEXTS), async (text) => {
          writeFileSync(path, text);
          await endsCleanlyWithin(3000, () => loadSite(path));
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 2)),
      );
    },
    fuzzTimeout(),
  );

  it("loadSite on files nested 100,000 deep", async () => {
    const path = join(dir, "deep.json");
    for (const text of DEEP_TEXTS) {
      writeFileSync(path, text);
      await endsCleanlyWithin(2000, () => loadSite(path));
    }
  });

  // An AOI and a zone both of 100,000 vertices still cost 10^10 point-in-ring steps (see docs/reliability.md).
  it("a 100,000-vertex AOI, and a 100,000-vertex zone, are each checked in seconds", async () => {
    const seed = SITES.find((s) => s.key === "bayan-obo")!;
    const polygon = (n: number, r: number) => ({ type: "Polygon", coordinates: [circleRing(n, 109.98, 41.8, r)] });
    for (const [aoiN, zoneN] of [
      [100_000, 8],
      [8, 100_000],
    ] as const) {
      const site = structuredClone(seed);
      site.aoi = polygon(aoiN, 0.03);
      site.zones = [{ name: "big", kind: "pit", geometry: polygon(zoneN, 0.01) }];
      site.controls = [{ name: "c", geometry: polygon(8, 0.02) }];
      site.maskOverrides = [];
      const t0 = performance.now();
      expect(parseSite(site, "big.json").zones).toHaveLength(1);
      expect(performance.now() - t0).toBeLessThan(15_000);
    }
  }, 60_000);
});
