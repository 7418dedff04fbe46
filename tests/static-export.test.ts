/**
 * `reewatch tiles`: a static copy of a demo run (one PMTiles archive per product and date, the
 * COGs the point chart reads, sites.json marked static, reports, the viewer), checked with the
 * official PMTiles reader against the live server's tiles, then opened in Chromium from a plain
 * static file server (sirv: files and byte ranges, nothing else) with a pixel charted from the COGs.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { dirname, join } from "node:path";
import { PMTiles, type Source } from "pmtiles";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaticSites } from "../common/api-types.ts";
import { tileCover } from "../tiles/src/mercator.ts";
import { startServer } from "../tiles/src/server.ts";
import { hasChromium, launch } from "./browser/launch.ts";
import { idle, openView, pageXY, staticServer } from "./browser/viewer-page.ts";
import { ROOT, reewatch } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { center, zone } from "./helpers/site-places.ts";

let demo: string;
let out: string;
let live: { server: Server; url: string };
beforeAll(async () => {
  demo = await makeDemo();
  out = join(dirname(demo), "static");
  const r = reewatch(["tiles", demo, "--out", out, "--minzoom", "11", "--maxzoom", "13", "--products", "truecolor,nbr,classes"]);
  if (r.code) throw new Error(r.stderr);
  live = await startServer({ dir: demo, port: 0 });
}, 300_000);
afterAll(() => {
  live?.server.close();
  rmSync(dirname(demo), { recursive: true, force: true });
});

const sites = (): StaticSites => JSON.parse(readFileSync(join(out, "api", "sites.json"), "utf8"));
const ganzhou = () => sites().sites.find((s) => s.key === "ganzhou")!;

/** The official reader over a local archive (MapLibre's protocol reads the same way over HTTP ranges). */
function archive(path: string): PMTiles {
  const bytes = readFileSync(path);
  const source: Source = {
    getKey: () => path,
    getBytes: async (offset, length) => ({ data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) }),
  };
  return new PMTiles(source);
}

describe("static export", () => {
  it("writes sites.json marked static, with the zooms, the exported products and each site's grid", () => {
    const s = sites();
    expect([s.static, s.tiles, s.minzoom, s.maxzoom]).toEqual([true, "pmtiles", 11, 13]);
    expect(s.sites.map((x) => x.key)).toEqual(["bayan-obo", "brumadinho", "ganzhou"]);
    const g = ganzhou();
    expect(g.products.map((p) => p.key).sort()).toEqual(["classes", "nbr", "truecolor"]);
    // The simulated Ganzhou site is on UTM zone 50N at 60 m (pipeline/src/simulate): the inverse affine has 1/60 on its diagonal.
    expect(g.grid.crs).toBe("EPSG:32650");
    expect(g.grid.toPixel[0]).toBeCloseTo(1 / 60, 12);
    expect(g.grid.toPixel[4]).toBeCloseTo(-1 / 60, 12);
  });

  it("holds one archive per product and date whose tiles are the server's, at every zoom of the cover", async () => {
    const g = ganzhou();
    const p = archive(join(out, "tiles", "ganzhou", "nbr", "2020.pmtiles"));
    const h = await p.getHeader();
    expect([h.minZoom, h.maxZoom, h.tileType]).toEqual([11, 13, 2]);
    expect((await p.getMetadata()) as { name: string }).toMatchObject({ name: expect.stringMatching(/^SIMULATED /) });
    let checked = 0;
    for (const z of [11, 12, 13])
      for (const [x, y] of tileCover(g.bbox, z)) {
        const served = new Uint8Array(await (await fetch(`${live.url}/tiles/ganzhou/nbr/2020/${z}/${x}/${y}.png`)).arrayBuffer());
        const stored = await p.getZxy(z, x, y);
        if (stored) {
          expect(new Uint8Array(stored.data), `${z}/${x}/${y}`).toEqual(served);
          checked++;
        } else {
          // Left out of the archive only where the server's tile is wholly transparent.
          const { data } = await sharp(served).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
          expect(
            data.every((v, i) => i % 4 !== 3 || v === 0),
            `${z}/${x}/${y}`,
          ).toBe(true);
        }
      }
    expect(checked).toBe(h.numAddressedTiles);
    for (const d of g.products.find((q) => q.key === "classes")!.dates) expect(existsSync(join(out, "tiles", "ganzhou", "classes", `${d}.pmtiles`))).toBe(true);
  });

  it("copies the COGs and items of the exported products, the fits of the change index and the run records", () => {
    const g = ganzhou();
    const nbr = g.products.find((p) => p.key === "nbr")!;
    for (const d of nbr.dates) for (const f of [nbr.files[d]!.cog, nbr.files[d]!.item]) expect(existsSync(join(out, "stac", "ganzhou", f)), f).toBe(true);
    expect(Object.keys(g.runFiles.fitted).sort()).toEqual(nbr.dates);
    for (const f of Object.values(g.runFiles.fitted)) expect(existsSync(join(out, "stac", "ganzhou", f)), f).toBe(true);
    // ndvi was not exported: its observation stacks are neither listed nor copied.
    for (const byIndex of Object.values(g.runFiles.observations)) expect(Object.keys(byIndex)).toEqual(["nbr"]);
    expect(existsSync(join(out, "index.html"))).toBe(true);
    expect(existsSync(join(out, "reports", "ganzhou", "ganzhou-restored-fraction", "report.html"))).toBe(true);
    expect(existsSync(join(out, "stac", "ganzhou", "run.json"))).toBe(true);
  });

  it("writes the same archives with one layer at a time (-j 1) as side by side (the default, one per core)", () => {
    const one = join(dirname(demo), "static-j1");
    const r = reewatch(["tiles", demo, "--out", one, "--minzoom", "11", "--maxzoom", "13", "--products", "truecolor,nbr,classes", "-j", "1", "-q"]);
    expect(r.code, r.stderr).toBe(0);
    const archives = readdirSync(join(out, "tiles"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".pmtiles"));
    expect(archives.length).toBeGreaterThan(20);
    for (const f of archives) expect(readFileSync(join(one, "tiles", f)).equals(readFileSync(join(out, "tiles", f))), f).toBe(true);
  });

  it("refuses an unknown --format in one line", () => {
    const r = reewatch(["tiles", demo, "--out", join(dirname(demo), "x"), "--format", "mbtiles"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^reewatch tiles: --format mbtiles: expected pmtiles or xyz$/m);
  });
});

describe.skipIf(!hasChromium)("static export in Chromium, from a plain static file server", () => {
  it("paints the PMTiles and charts a clicked pixel from the COGs with the server's values", async () => {
    const { server: files, url: host } = await staticServer(dirname(out));
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const ranges: string[] = [];
      page.on("request", (r) => r.headers().range && ranges.push(r.url()));
      await openView(page, `${host}static/?site=ganzhou&product=nbr&year=2020&lang=en`);
      await idle(page);
      await page.screenshot({ path: `${ROOT}test-artifacts/viewer/static-export.png` });
      expect(ranges.some((u) => u.endsWith("/tiles/ganzhou/nbr/2020.pmtiles"))).toBe(true);
      const [lon, lat] = center(zone("ganzhou").geometry);
      await page.mouse.click(...(await pageXY(page, lon, lat)));
      await page.waitForSelector("#chart[data-points]", { timeout: 30_000 });
      // The same pixel from the live server (its own TIFF reader and projection, in Node), at the position the viewer clicked.
      const [, clickedLon, clickedLat] = /([\d.]+), ([\d.]+)/.exec((await page.locator("#results-title").textContent()) ?? "")!.map(String);
      const answer = await (await fetch(`${live.url}/api/ganzhou/point?lon=${clickedLon}&lat=${clickedLat}&product=nbr`)).json();
      const rows = await page.locator("#stats tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
      expect(rows).toEqual(
        answer.series.map((s: any) => [s.date, s.value === null ? "masked" : s.value.toFixed(3), s.fitted === null ? "—" : s.fitted.toFixed(3)]),
      );
      expect(answer.series.some((s: any) => s.fitted !== null)).toBe(true);
      expect(ranges.some((u) => u.includes("/stac/ganzhou/") && u.endsWith(".tif"))).toBe(true);
      const masked = answer.series.flatMap((s: any) => s.observations).filter((o: any) => o.value === null).length;
      expect(Number(await page.locator("#chart").getAttribute("data-masked-observations"))).toBe(masked);
      expect(await page.locator("#results-notes").textContent()).not.toContain("not in this run");
      expect(await page.locator("#sim-banner").isVisible()).toBe(true);
    } finally {
      await browser.close();
      files.close();
    }
  });
});
