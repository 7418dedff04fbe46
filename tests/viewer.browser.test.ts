/**
 * The viewer in Debian's Chromium (playwright-core), against `reewatch serve` over a real demo
 * run. Screenshots go to test-artifacts/viewer/.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { dirname } from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../tiles/src/server.ts";
import { hasChromium, launch } from "./browser/launch.ts";
import { ROOT } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";

const ART = `${ROOT}test-artifacts/viewer`;
let server: Server;
let url: string;
let demo: string;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(`${ROOT}viewer/dist/index.html`)) execFileSync("npx", ["vite", "build", "viewer", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  mkdirSync(ART, { recursive: true });
  demo = await makeDemo();
  ({ server, url } = await startServer({ dir: demo, port: 0 }));
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
});

async function open(query: string): Promise<void> {
  await page.goto(`${url}/${query}`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  await idle();
}

/** Waits until the map(s) have loaded their tiles. */
async function idle(): Promise<void> {
  // Repaint and wait for MapLibre's "idle" (every tile loaded and drawn) on each visible map.
  await page.evaluate(async () => {
    const r = (window as any).reewatch;
    const maps = [r.mapA(), r.mapB()].filter((m) => m && !m.getContainer().hidden);
    await Promise.all(
      maps.map(
        (m) =>
          new Promise<void>((ok) => {
            const t = setTimeout(ok, 20_000);
            m.once("idle", () => {
              clearTimeout(t);
              ok();
            });
            m.triggerRepaint();
          }),
      ),
    );
  });
  await page.waitForTimeout(200);
}

async function mapPixels(name: string): Promise<{ data: Buffer; width: number; height: number }> {
  const box = (await page.locator("#maps").boundingBox())!;
  const png = await page.screenshot({ path: `${ART}/${name}.png`, clip: box });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const diff = (a: Buffer, b: Buffer) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > 30) n++;
  return n / (a.length / 3);
};

describe.skipIf(!hasChromium)("viewer in Chromium", () => {
  it("loads without console errors and renders non-empty tiles", async () => {
    await open("?site=ganzhou&product=ndvi&year=2017&lang=en");
    const { data } = await mapPixels("ganzhou-ndvi-2017");
    // Background is #1b2630; count pixels that are not background.
    let painted = 0;
    for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - 0x1b) + Math.abs(data[i + 1]! - 0x26) + Math.abs(data[i + 2]! - 0x30) > 40) painted++;
    expect(painted / (data.length / 3)).toBeGreaterThan(0.3);
    expect(await page.locator("#sim-banner").isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("changes the picture when the year slider moves", async () => {
    await open("?site=ganzhou&product=ndvi&year=2016&lang=en");
    const before = await mapPixels("slider-2016");
    await page.locator("#year").fill("1");
    await idle();
    expect(new URL(page.url()).searchParams.get("year")).toBe("2017");
    const after = await mapPixels("slider-2017");
    expect(diff(before.data, after.data)).toBeGreaterThan(0.01);
  });

  it("shows two different years side by side with the swipe", async () => {
    await open("?site=ganzhou&product=ndvi&year=2016&lang=en");
    const single = await mapPixels("swipe-off");
    await page.locator("#swipe").check();
    await page.selectOption("#swipe-a", "2016");
    await page.selectOption("#swipe-b", "2024");
    await idle();
    const swiped = await mapPixels("swipe-2016-2024");
    const half = (img: { data: Buffer; width: number; height: number }, right: boolean) => {
      const out: number[] = [];
      for (let y = 0; y < img.height; y++)
        for (let x = right ? Math.ceil(img.width * 0.55) : 0; x < (right ? img.width : Math.floor(img.width * 0.45)); x++)
          out.push(...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));
      return Buffer.from(out);
    };
    expect(diff(half(single, false), half(swiped, false))).toBeLessThan(0.01); // left: 2016 in both
    expect(diff(half(single, true), half(swiped, true))).toBeGreaterThan(0.01); // right: 2024 vs 2016
    expect(new URL(page.url()).searchParams.get("swipe")).toBe("2016,2024");
  });

  it("draws a chart with one point per year for a clicked pixel, with a CSV", async () => {
    await open("?site=ganzhou&product=nbr&year=2020&lang=en");
    const xy = await page.evaluate(() => (window as any).reewatch.mapA().project([115.05, 24.9]));
    const box = (await page.locator("#map-a").boundingBox())!;
    await page.mouse.click(box.x + xy.x, box.y + xy.y);
    await page.waitForSelector("#chart[data-points]", { timeout: 20_000 });
    expect(Number(await page.locator("#chart").getAttribute("data-points"))).toBe(9);
    await page.screenshot({ path: `${ART}/pixel-chart.png` });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    expect(download.suggestedFilename()).toBe("reewatch-ganzhou-nbr.csv");
  });

  it("returns statistics for a drawn polygon, with the control", async () => {
    await open("?site=ganzhou&product=ndvi&year=2020&lang=en");
    await page.click("#draw");
    const box = (await page.locator("#map-a").boundingBox())!;
    for (const [lon, lat] of [
      [115.04, 24.895],
      [115.06, 24.895],
      [115.06, 24.905],
      [115.04, 24.905],
    ]) {
      const p = await page.evaluate(([a, b]) => (window as any).reewatch.mapA().project([a, b]), [lon, lat]);
      await page.mouse.click(box.x + p.x, box.y + p.y);
    }
    await page.click("#finish");
    await page.waitForSelector("#stats tr:nth-child(2)", { timeout: 20_000 });
    expect(await page.locator("#stats tr").count()).toBe(1 + 9);
    await page.screenshot({ path: `${ART}/polygon-stats.png` });
  });

  it("opens a claim report", async () => {
    await open("?site=bayan-obo&product=classes&year=2024&lang=en");
    const [report] = await Promise.all([page.context().waitForEvent("page"), page.locator("#claims a").first().click()]);
    await report.waitForLoadState();
    expect(await report.locator("h1").textContent()).toMatch(/Claim bayan-obo-/);
    expect(await report.locator("#verdict").textContent()).toMatch(/Supported|Not supported|Inconclusive/);
    await report.screenshot({ path: `${ART}/report.png`, fullPage: true });
    await report.close();
  });

  it("switches the interface to Chinese and keeps the state in the URL", async () => {
    await open("?site=brumadinho&product=dndvi&year=-&lang=en");
    await page.click("#lang");
    expect(await page.locator("[data-i18n='product']").textContent()).toBe("产品");
    const shared = page.url();
    expect(new URL(shared).searchParams.get("lang")).toBe("zh");
    await open(new URL(shared).search);
    expect(await page.locator("#site").inputValue()).toBe("brumadinho");
    expect(await page.locator("#product").inputValue()).toBe("dndvi");
    expect(await page.locator("[data-i18n='year']").textContent()).toBe("年份");
    expect(await page.locator("#sim-banner").isVisible()).toBe(false);
    await mapPixels("brumadinho-zh");
  });
});
