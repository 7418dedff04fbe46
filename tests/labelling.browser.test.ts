/**
 * Labelling mode in Debian's Chromium (playwright-core) against the real `reewatch serve --labels`
 * (the CLI, opened at the address it prints) over a demo run carrying a sample of Ganzhou's class
 * map: label ten points by keyboard, reload and resume at the eleventh, label two more, undo one,
 * export, and compare the download with the file the server wrote. Then the reviewer's whole loop on
 * the real Brumadinho pair: label every point of the run's sample by keyboard (blind), with the
 * classes of the site's reference sheet, and `estimate --labels` and `verify` judge the claim on it.
 * Screenshots go to the test's temp folder, and one copy to /tmp/labelling-screenshot.png.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { presentationOrder } from "../viewer/src/label-order.ts";
import { hasChromium, launch } from "./browser/launch.ts";
import { jsonResult, ROOT, reewatch } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { GANZHOU_SAMPLE, writeSample } from "./helpers/label-sample.ts";

const NAME = "Lin Test 林测试";
const CLASSES = GANZHOU_SAMPLE.classes.map((c) => c.name);
let tmp: string;
let demo: string;
let serve: ChildProcess | undefined;
let labelUrl: string;
let browser: Browser;
let page: Page;
let order: { id: string; stratum: string }[];
/** Brumadinho's reference labels (the run's labels.csv converted from the site's sheet), by point id. */
let brumadinhoAnswers: Map<string, string>;
const errors: string[] = [];
const offsite: string[] = [];

/** Rebuilds viewer/dist when any viewer source is newer than it (as the viewer test does). */
function buildViewer(): void {
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  let built = 0;
  try {
    built = statSync(`${ROOT}viewer/dist/index.html`).mtimeMs;
  } catch {}
  if (built < Math.max(newest(`${ROOT}viewer/src`), statSync(`${ROOT}viewer/index.html`).mtimeMs))
    execFileSync("npx", ["vite", "build", "viewer", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
}

/** `reewatch serve DIR --port 0 --labels` and the address it prints for Ganzhou. */
function startCli(dir: string): Promise<string> {
  return new Promise((ok, fail) => {
    serve = spawn(process.execPath, [`${ROOT}bin/reewatch.js`, "serve", dir, "--port", "0", "--labels"], { cwd: ROOT });
    let out = "";
    let err = "";
    serve.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.endsWith("#label=ganzhou"));
      if (line) ok(line);
    });
    serve.stderr!.on("data", (d) => {
      err += d;
    });
    serve.on("exit", (code) => fail(new Error(`reewatch serve exited (${code}): ${err}`)));
  });
}

const panel = (attr: string) => page.getAttribute("#label-panel", `data-${attr}`);
const sheetOnDisk = () => readFileSync(join(demo, "ganzhou", "estimate", "labels.csv"), "utf8");
const rows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

/** Presses a key on the shown point and waits until the page is on another point (or the label count changed). */
async function press(key: string): Promise<void> {
  const [id, n] = [await panel("point-id"), await panel("labelled")];
  await page.keyboard.press(key);
  await page.waitForFunction(
    ([id, n]) => {
      const p = document.querySelector<HTMLElement>("#label-panel")!;
      return !document.body.dataset.labelBusy && (p.dataset.pointId !== id || p.dataset.labelled !== n);
    },
    [id, n],
    { timeout: 15_000 },
  );
}

/** Waits for the shown point's chips (all loaded) and its chart. */
async function pointReady(): Promise<void> {
  await page.waitForSelector("#label-panel[data-point-id]", { timeout: 30_000 });
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll<HTMLImageElement>("#label-chips img")).every((i) => i.complete && i.naturalWidth > 0),
    null,
    {
      timeout: 20_000,
    },
  );
  await page.waitForSelector("#label-chart[data-points]", { timeout: 20_000 });
}

beforeAll(async () => {
  if (!hasChromium) return;
  buildViewer();
  tmp = mkdtempSync(join(tmpdir(), "reewatch-labelling-"));
  // REEWATCH_DEMO=<dir> copies an existing demo output instead of making one (while developing).
  if (process.env.REEWATCH_DEMO) cpSync(process.env.REEWATCH_DEMO, join(tmp, "demo"), { recursive: true });
  demo = process.env.REEWATCH_DEMO ? join(tmp, "demo") : await makeDemo();
  const brumadinhoSheet = join(demo, "brumadinho", "estimate", "labels.csv");
  brumadinhoAnswers = new Map(rows(readFileSync(brumadinhoSheet, "utf8")).map((r) => [r.id!, r.reference_class!]));
  rmSync(brumadinhoSheet);
  for (const site of ["bayan-obo", "ganzhou"])
    for (const f of ["sample.csv", "strata.json", "labels.csv"]) rmSync(join(demo, site, "estimate", f), { force: true });
  order = presentationOrder(await writeSample(join(demo, "ganzhou"), GANZHOU_SAMPLE), 1);
  labelUrl = await startCli(demo);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (/^https?:$/.test(u.protocol) && u.hostname !== "127.0.0.1") offsite.push(r.url());
  });
}, 300_000);
afterEach(() => {
  expect(errors, "console errors").toEqual([]);
  expect(offsite, "requests beyond 127.0.0.1").toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  serve?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (demo && !demo.startsWith(tmp ?? "\0")) rmSync(join(demo, ".."), { recursive: true, force: true });
});

describe.skipIf(!hasChromium)("labelling mode in Chromium against reewatch serve --labels", () => {
  it("labels by keyboard, resumes after a reload, undoes, and exports the sheet the server saved", async () => {
    expect(labelUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+#label=ganzhou$/);
    await page.goto(labelUrl);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    // The token leaves the address bar (it stays in the tab's session storage).
    expect(page.url()).not.toContain("token=");
    expect(new URL(page.url()).hash).toBe("#label=ganzhou");
    expect(await page.isVisible("#panel")).toBe(false);
    await page.fill("#label-name", NAME);
    await page.press("#label-name", "Enter");
    await pointReady();

    // Blind by default; keys 1..4 in strata.json order shown on the buttons; chips at the data's resolution.
    expect(await page.textContent("#label-stratum")).toContain("Map class hidden");
    const buttons = await page.$$eval("#label-classes button", (bs) => bs.map((b) => [b.querySelector("kbd")!.textContent, b.dataset.class]));
    expect(buttons).toEqual(CLASSES.map((c, i) => [String(i + 1), c]));
    const chips = await page.$$eval("#label-chips img", (is) =>
      (is as HTMLImageElement[]).map((i) => [i.dataset.chip, i.naturalWidth, getComputedStyle(i).imageRendering, i.width]),
    );
    expect(chips).toEqual(["truecolor/2016", "truecolor/2024", "nbr/2016", "nbr/2024"].map((k) => [k, 31, "pixelated", 155]));
    expect(await page.locator("#label-chips .chip-pixel").count()).toBe(4);
    expect(await page.evaluate(() => (window as any).reewatch.state.product)).toBe("truecolor");
    expect(await page.textContent("#label-progress")).toBe(`0 of ${order.length} labelled`);

    // Ten points by keyboard; on the third, a note typed after `n`, and a confidence.
    const keys = Array.from({ length: 12 }, (_, i) => String((i % CLASSES.length) + 1));
    const note = 'edge of a pond, "wet"; 池塘边缘';
    for (let i = 0; i < 10; i++) {
      expect(await panel("point-id")).toBe(order[i]!.id);
      if (i === 2) {
        await page.keyboard.press("n");
        await page.keyboard.type(note);
        await page.keyboard.press("Escape");
        await page.check("#label-conf-medium");
      }
      await press(keys[i]!);
    }
    expect(await page.textContent("#label-progress")).toBe(`10 of ${order.length} labelled`);
    expect(rows(sheetOnDisk()).filter((r) => r.labeller).length).toBe(10);

    // Reload: resumes at the eleventh point, from the server's labels.
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await pointReady();
    expect(await panel("position")).toBe("11");
    expect(await panel("point-id")).toBe(order[10]!.id);
    expect(await page.textContent("#label-who-line")).toContain(NAME);
    await page.screenshot({ path: join(tmp, "labelling.png") });
    copyFileSync(join(tmp, "labelling.png"), "/tmp/labelling-screenshot.png");

    // Two more, then undo the last one: back on the twelfth point, eleven labelled.
    await press(keys[10]!);
    await press(keys[11]!);
    expect(await panel("labelled")).toBe("12");
    await press("u");
    expect([await panel("point-id"), await panel("labelled"), await panel("position")]).toEqual([order[11]!.id, "11", "12"]);
    expect(await page.textContent("#label-status")).toContain(`Undone: point ${order[11]!.id}`);

    // The same page in Chinese.
    await page.click("#label-lang");
    expect(await page.textContent("#label-progress")).toBe(`11 / ${order.length} 已标注`);
    expect(await page.textContent("#label-classes")).toContain("稳定");
    await page.screenshot({ path: join(tmp, "labelling-zh.png") });
    await page.click("#label-lang");

    // Export: the download is the sheet exactly as saved.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#label-export")]);
    const exported = readFileSync(await download.path(), "utf8");
    expect(download.suggestedFilename()).toBe("ganzhou-labels.csv");
    const disk = sheetOnDisk();
    expect(exported).toBe(disk);
    const saved = rows(disk).filter((r) => r.labeller);
    expect(saved.map((r) => r.id).sort()).toEqual(
      order
        .slice(0, 11)
        .map((p) => p.id)
        .sort(),
    );
    const byId = new Map(saved.map((r) => [r.id, r]));
    order.slice(0, 11).forEach((p, i) => {
      expect(byId.get(p.id)).toMatchObject({ reference_class: CLASSES[i % CLASSES.length], labeller: NAME, stratum: p.stratum, stratum_shown: "false" });
    });
    expect(byId.get(order[2]!.id)).toMatchObject({ note, confidence: "medium" });
    expect(rows(disk).length).toBe(order.length);

    // Showing the map class: the page shows it, and the saved row says it was shown.
    await page.check("#label-show-stratum");
    expect(await page.textContent("#label-stratum")).toContain(order[11]!.stratum);
    await press("1");
    expect(rows(sheetOnDisk()).find((r) => r.id === order[11]!.id)).toMatchObject({ reference_class: CLASSES[0], stratum_shown: "true" });
  });

  it("Brumadinho: labels the whole sample blind, then estimate --labels and verify judge the claim on it", async () => {
    const run = join(demo, "brumadinho");
    const strata = JSON.parse(readFileSync(join(run, "estimate", "strata.json"), "utf8")) as { classes: { name: string }[] };
    const key = (cls: string) => String(strata.classes.findIndex((c) => c.name === cls) + 1);
    await page.goto(`${new URL(labelUrl).origin}/#label=brumadinho`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await pointReady();
    expect(await page.textContent("#label-stratum")).toContain("Map class hidden");
    for (let i = 0; i < brumadinhoAnswers.size; i++) await press(key(brumadinhoAnswers.get((await panel("point-id"))!)!));
    const saved = rows(readFileSync(join(run, "estimate", "labels.csv"), "utf8"));
    expect(saved.length).toBe(brumadinhoAnswers.size);
    for (const r of saved) expect(r, `point ${r.id}`).toMatchObject({ reference_class: brumadinhoAnswers.get(r.id!), labeller: NAME, stratum_shown: "false" });

    const est = reewatch(["estimate", "--labels", join(run, "estimate", "labels.csv")]);
    expect(est.code, est.stderr).toBe(0);
    const disturbed = JSON.parse(est.stdout).classes.find((c: { class: string }) => c.class === "disturbed");
    // The same labels as the site's reference sheet, so the same estimate as the run made from it.
    const fromSheet = JSON.parse(readFileSync(join(run, "estimate", "estimate.json"), "utf8")).estimate;
    expect(disturbed.area).toBeCloseTo(fromSheet.disturbedKm2, 9);
    expect(disturbed.areaCi95[0]).toBeCloseTo(fromSheet.ci95[0], 9);

    const ver = reewatch(["verify", "samples/claims/brumadinho-disturbed-area.json", "--run", run, "--json"]);
    expect(ver.code, ver.stderr).toBe(0);
    const rep = jsonResult(ver)[0];
    expect(rep.measured.value).toBeCloseTo(disturbed.area, 5);
    expect(rep.labels).toMatchObject({
      labelled: brumadinhoAnswers.size,
      unlabelled: 0,
      blind: true,
      labellers: [{ name: NAME, labelled: brumadinhoAnswers.size }],
    });
    const [lo, hi] = rep.measured.ci95;
    expect(rep.verdict).toBe(lo >= 1.5 ? "supported" : hi < 1.5 ? "not_supported" : "inconclusive");
    const dir = join(run, "reports", "brumadinho-disturbed-area");
    for (const f of ["report.html", "report.zh.html"]) {
      await page.goto(`file://${join(dir, f)}`);
      expect(await page.locator("#sample-map circle").count()).toBe(brumadinhoAnswers.size);
      expect(await page.textContent("#blind")).toMatch(f === "report.html" ? /^Blind/ : /^盲标注/);
    }
    await page.screenshot({ path: "/tmp/report-screenshot.png", fullPage: true });
  }, 240_000);
});
