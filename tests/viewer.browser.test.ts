/**
 * The viewer in Debian's Chromium (playwright-core, WebGL by SwiftShader) against the real
 * `reewatch serve` (tiles/src/server.ts) over a real demo run (SIMULATED Bayan Obo and Ganzhou,
 * real Brumadinho), plus a static export opened from a plain file server. Expected values come
 * from the server's own API answers, fetched independently of the page. Screenshots go to
 * test-artifacts/viewer/.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../tiles/src/server.ts";
import { hasChromium, launch } from "./browser/launch.ts";
import { columns, crop, diff, idle, mapPixels, openView, pageXY, painted, staticServer } from "./browser/viewer-page.ts";
import { ROOT, reewatch } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { center, innerBox } from "./helpers/site-places.ts";

const ART = `${ROOT}test-artifacts/viewer`;
let server: Server;
let url: string;
let demo: string;
let browser: Browser;
let page: Page;
let sites: any[];
const errors: string[] = [];
const tileQueries: string[] = [];
/** Requests that left the machine (the viewer must work offline by default). */
const offsite: string[] = [];

/** Rebuilds viewer/dist when any viewer source is newer than it (npm test builds it first anyway). */
function buildViewer(): void {
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const built = (() => {
    try {
      return statSync(`${ROOT}viewer/dist/index.html`).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built < Math.max(newest(`${ROOT}viewer/src`), statSync(`${ROOT}viewer/index.html`).mtimeMs))
    execFileSync("npx", ["vite", "build", "viewer", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
}

const api = async (path: string, init?: RequestInit) => (await fetch(`${url}${path}`, init)).json() as Promise<any>;
const site = (key: string) => sites.find((s) => s.key === key);

/** The first mining zone of a site (from /api/sites): its centre and a rectangle inside it, for clicks and drawing. */
function zone(key: string): { center: [number, number]; box: [number, number][] } {
  const geometry = site(key).zones.features.find((z: any) => z.properties.kind === "zone").geometry;
  return { center: center(geometry), box: innerBox(geometry, 0.6).slice(0, 4) };
}
const mapParam = (key: string, z: number) => `${z}/${site(key).center[1]}/${site(key).center[0]}`;

async function newPage(width = 1280, height = 800): Promise<Page> {
  const p = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
  p.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.includes("/tiles/")) tileQueries.push(u.search);
    if (/^https?:$/.test(u.protocol) && u.hostname !== "127.0.0.1") offsite.push(r.url());
  });
  return p;
}

beforeAll(async () => {
  if (!hasChromium) return;
  buildViewer();
  mkdirSync(ART, { recursive: true });
  // REEWATCH_DEMO=<dir> reuses an existing demo output (kept afterwards) while developing.
  demo = process.env.REEWATCH_DEMO ?? (await makeDemo());
  ({ server, url } = await startServer({ dir: demo, port: 0 }));
  sites = (await api("/api/sites")).sites;
  browser = await launch();
  page = await newPage();
}, 300_000);
afterEach(() => {
  expect(errors, "console errors").toEqual([]);
  expect(offsite, "requests beyond 127.0.0.1").toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  if (demo && !process.env.REEWATCH_DEMO) rmSync(dirname(demo), { recursive: true, force: true });
});

describe.skipIf(!hasChromium)("viewer in Chromium against reewatch serve", () => {
  it("paints the site's tiles with a fixed stretch, the legend of the declared range, the explainer and the SIMULATED banner", async () => {
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2017&lang=en`);
    expect(painted(await mapPixels(page, `${ART}/ganzhou-ndvi-2017.png`))).toBeGreaterThan(0.3);
    const ndvi = site("ganzhou").products.find((p: any) => p.key === "ndvi");
    const ticks = await page.locator(".ramp-ticks span").allTextContents();
    expect([Number(ticks[0]), Number(ticks.at(-1))]).toEqual(ndvi.range);
    expect(await page.locator("#explainer").textContent()).toContain("not proof of ecological restoration");
    await expect.poll(() => page.locator("#sim-banner").isVisible()).toBe(true);
    expect(await page.locator("#sim-banner").textContent()).toMatch(/SIMULATED DATA[\s\S]*模拟数据/);
    expect(await page.locator("#sim-stamp").isVisible()).toBe(true);
    // Never a per-year autoscale: tiles are asked with the product's declared range (no range/colormap override).
    expect(tileQueries.length).toBeGreaterThan(0);
    expect(tileQueries.every((q) => q === "")).toBe(true);
  });

  it("changes the picture when the year slider moves by keyboard, and plays", async () => {
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2016&lang=en`);
    const before = await mapPixels(page, `${ART}/slider-2016.png`);
    await page.focus("#year");
    await page.keyboard.press("ArrowRight");
    await idle(page);
    expect(await page.locator("#year-label").textContent()).toBe("2017");
    expect(new URL(page.url()).searchParams.get("year")).toBe("2017");
    const after = await mapPixels(page, `${ART}/slider-2017.png`);
    expect(diff(before.data, after.data)).toBeGreaterThan(0.01);
    await page.click("#play");
    await expect.poll(() => page.locator("#year-label").textContent(), { timeout: 6000 }).toBe("2018");
    await page.click("#play");
    expect(await page.locator("#play").getAttribute("aria-pressed")).toBe("false");
  });

  it("shows two different years side by side with the swipe, the divider movable by keyboard", async () => {
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2016&lang=en`);
    const single = await mapPixels(page, `${ART}/swipe-off-2016.png`);
    await page.locator("#swipe").check();
    await page.selectOption("#swipe-b", "2024");
    await idle(page);
    const swiped = await mapPixels(page, `${ART}/swipe-2016-2024.png`);
    expect(diff(columns(single, 0, 0.45), columns(swiped, 0, 0.45))).toBeLessThan(0.01); // left: 2016 in both
    expect(diff(columns(single, 0.55, 1), columns(swiped, 0.55, 1))).toBeGreaterThan(0.01); // right: 2024
    expect(new URL(page.url()).searchParams.get("swipe")).toBe("2016,2024");
    expect(await page.locator("#badge-b").textContent()).toContain("2024");
    await page.focus("#divider");
    await page.keyboard.press("End");
    expect(await page.locator("#divider").getAttribute("aria-valuenow")).toBe("98");
    await idle(page);
    const pushed = await mapPixels(page, `${ART}/swipe-divider-end.png`);
    expect(diff(columns(single, 0, 0.95), columns(pushed, 0, 0.95))).toBeLessThan(0.01);
  });

  it("charts a clicked pixel with one point per year, the fitted segmentation and a CSV of the server's values", async () => {
    // The site's change index: the product whose segmentation is fitted.
    const index = site("ganzhou").changeIndex;
    await openView(page, `${url}/?site=ganzhou&product=${index}&year=2020&lang=en`);
    const [x, y] = await pageXY(page, ...zone("ganzhou").center);
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().includes("/point?")).then((r) => r.json()), page.mouse.click(x, y)]);
    await page.waitForSelector("#chart[data-points]", { timeout: 20_000 });
    const dates = site("ganzhou").products.find((p: any) => p.key === index).dates;
    expect(Number(await page.locator("#chart").getAttribute("data-years"))).toBe(dates.length);
    expect(Number(await page.locator("#chart").getAttribute("data-points"))).toBe(answer.series.filter((s: any) => s.value !== null).length);
    const rows = await page.locator("#stats tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(rows).toEqual(
      answer.series.map((s: any) => [s.date, s.value === null ? "masked" : s.value.toFixed(3), s.fitted === null ? "—" : s.fitted.toFixed(3)]),
    );
    expect(await page.locator("#chart canvas").count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ART}/pixel-chart.png` });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^reewatch-ganzhou-${index}-\\d+\\.\\d+-\\d+\\.\\d+-SIMULATED\\.csv$`));
    const lines = readFileSync(await download.path(), "utf8")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("site,product,lon,lat,kind,date,value,fitted,masked,data");
    const composites = lines.slice(1).filter((l) => l.split(",")[4] === "composite");
    expect(composites.map((l) => l.split(",").slice(5, 8))).toEqual(answer.series.map((s: any) => [s.date, String(s.value ?? ""), String(s.fitted ?? "")]));
    expect(lines.slice(1).every((l) => l.endsWith(",SIMULATED"))).toBe(true);
  });

  it("records the years over the view as a GIF: one frame a year, the SIMULATED stamp and the date burnt in", async () => {
    const rec = await newPage();
    try {
      await openView(rec, `${url}/?site=ganzhou&product=ndvi&year=2020&lang=en`);
      const dates: string[] = site("ganzhou").products.find((p: any) => p.key === "ndvi").dates;
      const [download] = await Promise.all([rec.waitForEvent("download", { timeout: 120_000 }), rec.click("#timelapse")]);
      expect(download.suggestedFilename()).toBe(`reewatch-ganzhou-ndvi-${dates[0]}-${dates.at(-1)}-SIMULATED.gif`);
      const gif = readFileSync(await download.path());
      writeFileSync(`${ART}/timelapse-ganzhou-ndvi.gif`, gif);
      const meta = await sharp(gif, { pages: -1 }).metadata();
      expect(meta.pages).toBe(dates.length);
      expect(meta.delay).toEqual(dates.map(() => 1000));
      const frames = await Promise.all(dates.map((_, i) => sharp(gif, { page: i }).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
      const { width, height } = frames[0]!.info;
      const rgb = (f: (typeof frames)[number], x: number, y: number) => [...f.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
      // Text is the only white under the date's dark box: its mask in the lower-left corner (the date and the caption).
      const textMask = (f: (typeof frames)[number]) => {
        const bits: number[] = [];
        for (let y = Math.round(height * 0.6); y < height; y++) for (let x = 0; x < width * 0.4; x++) bits.push(rgb(f, x, y).every((v) => v > 230) ? 1 : 0);
        return bits;
      };
      const masks = frames.map(textMask);
      for (const [i, f] of frames.entries()) {
        // The stamp band's right end (no text there) is the stamp yellow #ffd600, within the GIF palette's rounding.
        const [r, g, b] = rgb(f, width - 4, 4);
        expect(Math.abs(r! - 0xff) + Math.abs(g! - 0xd6) + Math.abs(b! - 0x00), `frame ${i}`).toBeLessThan(24);
        expect(masks[i]!.filter(Boolean).length, `frame ${i}`).toBeGreaterThan(200);
      }
      // Each year's frame carries its own date: the text differs from one frame to the next.
      for (let i = 1; i < masks.length; i++) expect(masks[i]).not.toEqual(masks[i - 1]);
      // The map changes over the years (mining zones are disturbed, then restored).
      expect(Buffer.compare(frames[0]!.data, frames.at(-1)!.data)).not.toBe(0);
      expect(await rec.locator("#year-label").textContent()).toBe("2020");
      expect(await rec.locator("#timelapse").isDisabled()).toBe(false);
    } finally {
      await rec.close();
    }
  });

  it("draws each year's raw observations as dots, as the server sends them, and exports them to CSV", async () => {
    const obs = await newPage();
    try {
      await openView(obs, `${url}/?site=ganzhou&product=${site("ganzhou").changeIndex}&year=2020&lang=en`);
      const [answer] = await Promise.all([
        obs.waitForResponse((r) => r.url().includes("/point?")).then((r) => r.json()),
        obs.mouse.click(...(await pageXY(obs, ...zone("ganzhou").center))),
      ]);
      await obs.waitForSelector("#chart[data-points]", { timeout: 20_000 });
      const sent = answer.series.flatMap((s: any) => s.observations);
      // Several scenes a year over nine years, each dated inside or next to its season year.
      expect(sent.length).toBeGreaterThan(answer.series.length);
      for (const s of answer.series) for (const o of s.observations) expect(Math.abs(Number(o.date.slice(0, 4)) - Number(s.date))).toBeLessThanOrEqual(1);
      expect(await obs.locator("#chart .u-legend").textContent()).toContain("raw observations");
      // Scenes masked at this pixel are drawn as ticks and counted in a note.
      const maskedSent = sent.filter((o: any) => o.value === null).length;
      expect(Number(await obs.locator("#chart").getAttribute("data-masked-observations"))).toBe(maskedSent);
      if (maskedSent) expect(await obs.locator("#results-notes").textContent()).toContain(`${maskedSent} of the ${sent.length} scenes were masked`);
      expect(await obs.locator("#results-notes").textContent()).not.toContain("not in this run");
      const [download] = await Promise.all([obs.waitForEvent("download"), obs.click("#csv")]);
      const rows = readFileSync(await download.path(), "utf8")
        .trim()
        .split("\r\n")
        .filter((r) => r.includes(",observation,"));
      expect(rows.length).toBe(sent.length);
      expect(rows.map((r) => r.split(",").slice(5, 7))).toEqual(sent.map((o: any) => [o.date, String(o.value ?? "")]));
      await obs.locator("#results").screenshot({ path: `${ART}/pixel-observations.png` });
    } finally {
      await obs.close();
    }
  });

  it("marks masked years on a pixel's chart", async () => {
    // A pixel with some masked years, found through the API (not through the page).
    let hit: { lon: number; lat: number; masked: string[] } | null = null;
    const [w, s, e, n] = site("ganzhou").bbox;
    for (let i = 1; i < 24 && !hit; i++)
      for (let j = 1; j < 24 && !hit; j++) {
        const [lon, lat] = [w + ((e - w) * i) / 24, s + ((n - s) * j) / 24];
        const r = await api(`/api/ganzhou/point?lon=${lon}&lat=${lat}&product=ndvi`);
        const masked = r.series.filter((x: any) => x.value === null).map((x: any) => x.date);
        if (masked.length && masked.length < r.series.length) hit = { lon, lat, masked };
      }
    expect(hit, "a pixel of the SIMULATED Ganzhou run with a masked year").not.toBeNull();
    // Zoomed in (about 2 m per screen pixel) on the pixel, so that the click lands in it.
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2020&map=16/${hit!.lat}/${hit!.lon}&lang=en`);
    const box = (await page.locator("#map-a").boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector("#chart[data-points]", { timeout: 20_000 });
    const masked = await page
      .locator("#stats tbody tr")
      .evaluateAll((trs) => trs.filter((tr) => tr.children[1]!.textContent === "masked").map((tr) => tr.children[0]!.textContent));
    expect(masked).toEqual(hit!.masked);
    await page.screenshot({ path: `${ART}/pixel-masked.png` });
  });

  it("returns per-year statistics of a drawn polygon (double-click closes it) against the control", async () => {
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2020&lang=en`);
    await page.click("#draw");
    const corners = zone("ganzhou").box;
    for (const [lon, lat] of corners.slice(0, 3)) await page.mouse.click(...(await pageXY(page, lon!, lat!)));
    const last = await pageXY(page, corners[3]![0]!, corners[3]![1]!);
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().includes("/zonal?")).then((r) => r.json()), page.mouse.dblclick(...last)]);
    await page.waitForSelector("#stats tbody tr", { timeout: 20_000 });
    const rows = await page.locator("#stats tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(rows.length).toBe(site("ganzhou").years?.length ?? site("ganzhou").dates.length);
    const f3 = (v: number | null) => (v === null ? "—" : v.toFixed(3));
    expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual(answer.series.map((s: any, i: number) => [s.date, f3(s.mean), f3(answer.control[i].mean)]));
    expect(await page.locator("#results-title").textContent()).toContain(`${answer.areaKm2.toFixed(2)} km²`);
    expect(Number(await page.locator("#chart").getAttribute("data-points"))).toBe(answer.series.filter((x: any) => x.mean !== null).length);
    await page.screenshot({ path: `${ART}/polygon-stats.png` });
  });

  it("lists the claims with their verdicts and opens a report in a new tab", async () => {
    await openView(page, `${url}/?site=bayan-obo&product=classes&year=2024&lang=en`);
    const claims = site("bayan-obo").claims;
    const words: Record<string, string> = { supported: "Supported", not_supported: "Not supported", inconclusive: "Inconclusive" };
    const chips = await page.locator(".claim .verdict").allTextContents();
    expect(chips.map((c) => c.slice(2))).toEqual(claims.map((c: any) => words[c.verdict]));
    const [report] = await Promise.all([page.context().waitForEvent("page"), page.locator(".claim a").first().click()]);
    await report.waitForLoadState();
    expect(report.url()).toBe(`${url}${claims[0].report}`);
    expect(await report.locator("h1").textContent()).toContain(claims[0].id);
    await report.screenshot({ path: `${ART}/report.png`, fullPage: true });
    await report.close();
    await page.screenshot({ path: `${ART}/bayan-obo-classes.png` });
  });

  it("switches the interface to Chinese and restores a shared view from its URL", async () => {
    await openView(page, `${url}/?site=brumadinho&product=dndvi&year=-&lang=en`);
    expect(await page.locator("#sim-banner").isVisible()).toBe(false);
    expect(await page.locator("#year-controls").isVisible()).toBe(false);
    await page.click("#lang");
    expect(await page.locator("[data-i18n='product']").textContent()).toBe("图层");
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.locator("#explainer").textContent()).toContain("两个日期");
    await page.selectOption("#product", "ndvi");
    await page.locator("#swipe").check();
    await page.evaluate(() => (window as any).reewatch.mapA().jumpTo({ center: [-44.13, -20.13], zoom: 13.5 }));
    await idle(page);
    const shared = new URL(page.url());
    expect(shared.searchParams.get("lang")).toBe("zh");
    expect(shared.searchParams.get("swipe")).toBe("2019-01-14,2019-01-30");
    expect(shared.searchParams.get("map")).toBe("13.50/-20.13000/-44.13000");
    const again = await newPage();
    await openView(again, shared.href);
    expect(await again.locator("#site").inputValue()).toBe("brumadinho");
    expect(await again.locator("#product").inputValue()).toBe("ndvi");
    expect(await again.locator("#swipe").isChecked()).toBe(true);
    expect([await again.locator("#swipe-a").inputValue(), await again.locator("#swipe-b").inputValue()]).toEqual(["2019-01-14", "2019-01-30"]);
    expect(await again.locator("[data-i18n='year']").textContent()).toBe("年份");
    const cam = await again.evaluate(() => {
      const m = (window as any).reewatch.mapA();
      return [m.getZoom(), m.getCenter().lat, m.getCenter().lng];
    });
    expect(cam[0]).toBeCloseTo(13.5, 2);
    expect(cam[1]).toBeCloseTo(-20.13, 4);
    expect(cam[2]).toBeCloseTo(-44.13, 4);
    await mapPixels(again, `${ART}/brumadinho-zh-swipe.png`);
    await again.screenshot({ path: `${ART}/brumadinho-zh.png` });
    await again.close();
  });

  it("shows the provenance of the shown product and of the run, and switches site without reloading", async () => {
    await openView(page, `${url}/?site=ganzhou&product=ndvi&year=2017&lang=en`);
    await page.locator("#prov-box > summary").click();
    const run = await api("/stac/ganzhou/run.json");
    const item = await api("/stac/ganzhou/composites/2017/2017.json");
    const facts = Object.fromEntries(
      await page.locator("#provenance tr").evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent])),
    );
    expect(facts.File).toBe("composites/2017/ndvi.tif");
    expect(await page.locator("#provenance a", { hasText: "composites/2017/ndvi.tif" }).getAttribute("href")).toBe(
      `${url}/stac/ganzhou/composites/2017/ndvi.tif`,
    );
    expect(facts["Masked share of the area"]).toBe(`${(item.properties["reewatch:masked_fraction"] * 100).toFixed(1)} %`);
    expect(facts["Scenes used"]).toMatch(new RegExp(`^${item.properties["reewatch:observations"].length}`));
    expect(facts.Software).toContain(`reewatch ${run.software.version}`);
    expect(facts["Inputs (SHA-256)"]).toMatch(new RegExp(`^${run.inputs.length}`));
    await page.locator("#provenance").screenshot({ path: `${ART}/provenance.png` });
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.selectOption("#site", "brumadinho");
    await idle(page);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await page.locator("#sim-banner").isVisible()).toBe(false);
    expect(new URL(page.url()).searchParams.get("site")).toBe("brumadinho");
    const zones = await page.evaluate(() =>
      (window as any).reewatch
        .mapA()
        .querySourceFeatures("zones")
        .map((f: any) => f.properties.name),
    );
    expect(new Set(zones)).toEqual(new Set(site("brumadinho").zones.features.map((f: any) => f.properties.name)));
    expect(painted(await mapPixels(page, `${ART}/brumadinho-default.png`))).toBeGreaterThan(0.3);
  });

  it("adds the online OpenStreetMap basemap only when asked", async () => {
    const osm = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const asked: string[] = [];
    // No test reaches the internet: OSM tiles are answered locally with a flat colour.
    const flat = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#a0b4c8" } })
      .png()
      .toBuffer();
    await osm.route("https://tile.openstreetmap.org/**", (r) => {
      asked.push(r.request().url());
      return r.fulfill({ body: flat, contentType: "image/png" });
    });
    try {
      await openView(osm, `${url}/?site=ganzhou&product=ndvi&year=2020&map=${mapParam("ganzhou", 10.5)}&osm=1&lang=en`);
      expect(asked.length).toBeGreaterThan(0);
      const on = await mapPixels(osm, `${ART}/osm-on.png`);
      expect(Array.from(on.data.subarray(0, 3))).toEqual([0xa0, 0xb4, 0xc8]); // a corner, outside the site
      expect(await osm.locator(".maplibregl-ctrl-attrib").textContent()).toContain("OpenStreetMap");
      await osm.locator("#osm").uncheck();
      await idle(osm);
      expect(new URL(osm.url()).searchParams.get("osm")).toBeNull();
      const off = await mapPixels(osm, `${ART}/osm-off.png`);
      expect(Array.from(off.data.subarray(0, 3))).toEqual([0x1b, 0x26, 0x30]);
    } finally {
      await osm.close();
    }
  });

  it("explains every product the server lists, in both languages", () => {
    const table = JSON.parse(readFileSync(`${ROOT}viewer/src/i18n/explainers.json`, "utf8"));
    const keys = new Set(sites.flatMap((s) => s.products.map((p: any) => p.key)));
    expect([...keys].filter((k) => !table[k])).toEqual([]);
  });

  it("has labelled controls and readable contrast, and fits a phone screen", async () => {
    const phone = await newPage(390, 844);
    await openView(phone, `${url}/?site=ganzhou&product=classes&year=2024&lang=en`);
    const unlabelled = await phone.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("button, select, input, [role=slider]"))
        .filter((el) => !(el.getAttribute("aria-label") || (el as HTMLInputElement).labels?.length || el.textContent?.trim()))
        .map((el) => el.id || el.outerHTML.slice(0, 60)),
    );
    expect(unlabelled).toEqual([]);
    const low = await phone.evaluate(lowContrast, [
      ".tagline",
      ".site-info",
      ".muted",
      ".legend-note",
      ".verdict",
      "button.primary",
      ".badge",
      ".year-ticks span",
      ".claim-measured",
    ]);
    expect(low).toEqual([]);
    const map = (await phone.locator("#maps").boundingBox())!;
    const panel = (await phone.locator("#panel").boundingBox())!;
    expect(map.height).toBeGreaterThan(300);
    expect(panel.y).toBeGreaterThanOrEqual(map.y + map.height - 1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: `${ART}/phone.png` });
    // Keyboard only: the focused map charts the pixel at its centre on Enter.
    await phone.focus("#map-a canvas");
    await phone.keyboard.press("Enter");
    await phone.waitForSelector("#chart[data-points]", { timeout: 20_000 });
    expect(await phone.locator("#results-title").textContent()).toMatch(/^Pixel at /);
    await phone.screenshot({ path: `${ART}/phone-pixel.png` });
    await phone.close();
  });
});

/** Elements (by selector) whose text contrast against their background is below 4.5:1 (WCAG AA). */
function lowContrast(selectors: string[]): string[] {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const background = (el: Element | null): number[] => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad: string[] = [];
  for (const sel of selectors)
    for (const el of Array.from(document.querySelectorAll(sel))) {
      const a = lum(rgb(getComputedStyle(el).color));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${sel} ${ratio.toFixed(2)}`);
    }
  return bad;
}

describe.skipIf(!hasChromium)("viewer from a static export (no server)", () => {
  it("paints an XYZ folder export from a sub-folder, charts a pixel from the COGs and says that polygon queries need the server", async () => {
    const out = join(process.env.REEWATCH_DEMO ? mkdtempSync(join(tmpdir(), "reewatch-static-")) : dirname(demo), "static-viewer");
    const r = reewatch(["tiles", demo, "--out", out, "--minzoom", "11", "--maxzoom", "13", "--products", "truecolor,ndvi", "--format", "xyz"]);
    expect(r.code, r.stderr).toBe(0);
    // Served from a sub-folder, as on any static host: every asset and data path is relative.
    const { server: files, url: host } = await staticServer(dirname(out));
    const base = `${host}static-viewer/`;
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const seen: string[] = [];
    p.on("console", (m) => m.type() === "error" && seen.push(m.text()));
    try {
      // At zoom 12.4 MapLibre draws 256-pixel raster tiles of zoom round(13.4) = 13, the highest exported.
      await openView(p, `${base}?site=ganzhou&product=ndvi&year=2020&map=${mapParam("ganzhou", 12.4)}&lang=en`);
      const shot = await mapPixels(p, `${ART}/static-ndvi-2020.png`);
      const [w, s, e, n] = site("ganzhou").bbox;
      const [[x0, y0], [x1, y1]] = (await p.evaluate(
        (b) =>
          [b.slice(0, 2), b.slice(2)].map((c) => {
            const q = (window as any).reewatch.mapA().project(c);
            return [q.x as number, q.y as number];
          }),
        [w, n, e, s],
      )) as [[number, number], [number, number]];
      expect(painted(crop(shot, x0! + 4, y0! + 4, x1! - 4, y1! - 4))).toBeGreaterThan(0.95);
      expect(await p.locator("#site-info").textContent()).toContain("static copy");
      await p.mouse.click(...(await pageXY(p, ...zone("ganzhou").center)));
      await p.waitForSelector("#chart[data-points]", { timeout: 30_000 });
      expect(Number(await p.locator("#chart").getAttribute("data-years"))).toBe(site("ganzhou").products.find((q: any) => q.key === "ndvi").dates.length);
      await p.click("#draw");
      for (const [lon, lat] of zone("ganzhou").box.slice(0, 3)) await p.mouse.click(...(await pageXY(p, lon!, lat!)));
      await p.click("#draw-finish");
      expect(await p.locator("#results-title").textContent()).toBe("Your polygon");
      expect(await p.locator("#results-notes").textContent()).toContain("needs the reewatch server");
      // The only expected failure: probing for the live API (api/sites) before reading api/sites.json.
      expect(seen.filter((s) => !/404/.test(s))).toEqual([]);
      expect(seen.length).toBeLessThanOrEqual(1);
    } finally {
      await p.close();
      files.close();
      if (process.env.REEWATCH_DEMO) rmSync(dirname(out), { recursive: true, force: true });
    }
  });
});
