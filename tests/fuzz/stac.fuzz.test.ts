/**
 * Fuzzing of the STAC readers: items (pipeline/src/read/stac-item.ts loadItem, itemSensor,
 * resolveAsset), STAC API search answers (pipeline/src/fetch/stac-search.ts searchItems, against a
 * stubbed fetch serving mutated pages) and run catalogs (pipeline/src/read/run-catalog.ts).
 * Seeds are the recorded items in samples/. Each case must end in a result or a named error.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { writeLocalItem } from "../../pipeline/src/fetch/local-item.ts";
import { searchItems } from "../../pipeline/src/fetch/stac-search.ts";
import { readRunCatalog } from "../../pipeline/src/read/run-catalog.ts";
import { itemSensor, loadItem, resolveAsset } from "../../pipeline/src/read/stac-item.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";
import { DEEP_TEXTS, endsCleanlyWithin, hostileValue, mutatedJson, noisyText, toText } from "./mutate.ts";

const sample = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), "utf8");
const ITEM_TEXTS = [
  sample("sentinel2-l2a-29RKH-100m/S2A_29RKH_20200219_0_L2A.json"),
  sample("landsat8-c2l2-cloudy-5pct/LC08_L2SP_001062_20201031_20201106_02_T2_SR_stac.json"),
];
const ITEMS = ITEM_TEXTS.map((t) => JSON.parse(t) as Record<string, any>);

const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-stac-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllGlobals());

/** Asset hrefs as items carry them, and ones that are not URLs or paths at all. */
const href = fc.oneof(
  fc.constantFrom(
    "./B04.tif",
    "B04.tif",
    "http://[::1",
    "http://[bad",
    "s3://bucket/key.tif",
    "https://example.com/a/B04.tif?x=1",
    "a://",
    "file:///etc/x.tif",
    "",
    "..",
  ),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.webUrl(),
);

describe("fuzz: STAC items", () => {
  it(
    "loadItem, itemSensor and resolveAsset on mutated and noisy items",
    async () => {
      const path = join(dir, "item.json");
      const text = fc.oneof(mutatedJson(ITEMS).map(toText), noisyText(ITEM_TEXTS));
      await fc.assert(
        fc.asyncProperty(text, href, async (t, h) => {
          writeFileSync(path, t);
          await endsCleanlyWithin(2000, async () => {
            const item = await loadItem(path);
            itemSensor(item);
            await resolveAsset(path, h);
            await resolveAsset("https://example.com/items/item.json", h);
          });
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 2)),
      );
    },
    fuzzTimeout(),
  );
});

/** Items with a hostile id, properties and cloud cover. */
const hostileItem = fc
  .tuple(fc.constantFrom(...ITEMS), hostileValue, hostileValue, hostileValue)
  .map(([item, id, properties, cloud]) => ({ ...item, id, properties, "eo:cloud_cover": cloud }));
describe("fuzz: the local item written from a served item", () => {
  it(
    "writeLocalItem on mutated served items ends in a file or a named error",
    async () => {
      const grid = {
        crs: "EPSG:32629",
        transform: [100, 0, 300000, 0, -100, 3000000] as [number, number, number, number, number, number],
        width: 20,
        height: 20,
      };
      const file = {
        asset: "B04",
        file: "B04.tif",
        bytes: 10,
        sha256: "00".repeat(32),
        source: "https://example.com/B04.tif",
        window: { x: 0, y: 0, width: 5, height: 5 },
      };
      const out = join(dir, "local-item.json");
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedJson(ITEMS), hostileItem), async (item) => {
          await endsCleanlyWithin(2000, () => writeLocalItem(out, item as never, [file], [{ key: "B04", grid }], { collection: "c" }));
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
      );
    },
    fuzzTimeout(),
  );
});

/** A search answer: a FeatureCollection of the sample items, with a next link to page 2. */
const PAGE = {
  type: "FeatureCollection",
  features: ITEMS,
  links: [{ rel: "next", href: "http://stac.test/search?page=2", method: "POST", body: { token: "2" }, merge: true }],
};
const LAST_PAGE = { type: "FeatureCollection", features: [ITEMS[0]], links: [] };

const QUERY = {
  api: "http://stac.test",
  collection: "sentinel-2-l2a",
  intersects: { type: "Polygon", coordinates: [] },
  bbox: [0, 0, 1, 1] as [number, number, number, number],
  datetime: "2020-01-01T00:00:00Z/2020-12-31T23:59:59Z",
  maxCloud: 20,
};

/** A fetch that answers the search with the given bodies, one per request, then the last one again. */
function stubFetch(bodies: string[], status: number): void {
  let n = 0;
  vi.stubGlobal("fetch", async () => {
    const body = bodies[Math.min(n++, bodies.length - 1)]!;
    return new Response(body, { status: n === 1 ? status : 200, headers: { "content-type": "application/geo+json" } });
  });
}

/** Pages whose features and links are hostile values, or items with hostile id, properties, datetime. */
const hostilePage = fc
  .tuple(
    fc.array(fc.oneof(hostileValue, hostileItem, fc.constantFrom(...ITEMS)), { maxLength: 4 }),
    fc.oneof(hostileValue, fc.array(hostileValue, { maxLength: 3 })),
    hostileValue,
  )
  .map(([features, links, next]) => ({
    type: "FeatureCollection",
    features,
    links: next === null ? links : [{ rel: "next", href: next, method: next }, links],
  }));

describe("fuzz: STAC documents nested 100,000 deep", () => {
  it("loadItem and readRunCatalog end in a named error", async () => {
    const path = join(dir, "deep.json");
    const run = join(dir, "deep-run");
    mkdirSync(run, { recursive: true });
    for (const text of DEEP_TEXTS) {
      writeFileSync(path, text);
      await endsCleanlyWithin(2000, () => loadItem(path));
      writeFileSync(join(run, "catalog.json"), text);
      await endsCleanlyWithin(2000, () => readRunCatalog(run));
    }
  });
});

describe("fuzz: STAC API search answers", () => {
  it(
    "searchItems on mutated and noisy pages ends in items or a named error",
    async () => {
      const pageText = fc.oneof(
        mutatedJson([PAGE, LAST_PAGE]).map(toText),
        hostilePage.map(toText),
        noisyText([JSON.stringify(PAGE), JSON.stringify(LAST_PAGE)]),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(pageText, { minLength: 1, maxLength: 3 }), fc.constantFrom(200, 200, 200, 400, 404), async (pages, status) => {
          stubFetch(pages, status);
          await endsCleanlyWithin(3000, () => searchItems(QUERY, { retry: { tries: 1 }, timeoutMs: 2000 }));
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
      );
    },
    fuzzTimeout(),
  );
});

/** A run directory: catalog.json -> composites/collection.json -> composites/2020.json. */
const CATALOG = { type: "Catalog", id: "run", links: [{ rel: "child", href: "./composites/collection.json" }] };
const COLLECTION = {
  type: "Collection",
  id: "site-composites",
  links: [
    { rel: "item", href: "./2020.json" },
    { rel: "root", href: "../catalog.json" },
  ],
};
const RUN_ITEM = { type: "Feature", id: "2020", properties: { datetime: "2020-07-01T00:00:00Z" }, assets: {}, links: [] };

describe("fuzz: run catalogs", () => {
  it(
    "readRunCatalog on mutated catalog, collection and item files",
    async () => {
      const doc = (seed: unknown) => fc.oneof(fc.constant(JSON.stringify(seed)), mutatedJson([seed]).map(toText), noisyText([JSON.stringify(seed)]));
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(doc(CATALOG), doc(COLLECTION), doc(RUN_ITEM), hostileValue, async (cat, coll, item, link) => {
          const run = join(dir, `run-${runNo++}`);
          mkdirSync(join(run, "composites"), { recursive: true });
          writeFileSync(join(run, "catalog.json"), cat);
          writeFileSync(join(run, "composites", "collection.json"), coll);
          writeFileSync(join(run, "composites", "2020.json"), item);
          writeFileSync(join(run, "composites", "odd.json"), toText({ links: [link, { rel: "item", href: link }] }));
          await endsCleanlyWithin(2000, () => readRunCatalog(run));
          rmSync(run, { recursive: true });
        }),
        // Each case writes and reads four files: a quarter of the default count.
        fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
      );
    },
    fuzzTimeout(),
  );

  it("reads the seed run", async () => {
    const run = join(dir, "seed-run");
    mkdirSync(join(run, "composites"), { recursive: true });
    writeFileSync(join(run, "catalog.json"), JSON.stringify(CATALOG));
    writeFileSync(join(run, "composites", "collection.json"), JSON.stringify(COLLECTION));
    writeFileSync(join(run, "composites", "2020.json"), JSON.stringify(RUN_ITEM));
    expect((await readRunCatalog(run)).composites.map((c) => c.key)).toEqual(["2020"]);
  });
});
