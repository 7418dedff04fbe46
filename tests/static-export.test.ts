/** `reewatch tiles`: a static copy (XYZ tiles, sites.json marked static, reports, viewer) of a demo run. */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tileCover } from "../tiles/src/mercator.ts";
import { hasChromium, launch } from "./browser/launch.ts";
import { ROOT, reewatch } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { center, siteFile } from "./helpers/site-places.ts";

let demo: string;
let out: string;
beforeAll(async () => {
  demo = await makeDemo();
  out = join(dirname(demo), "static");
  mkdirSync(`${ROOT}test-artifacts/viewer`, { recursive: true });
  const r = reewatch(["tiles", demo, "--out", out, "--minzoom", "11", "--maxzoom", "12", "--products", "truecolor,classes"]);
  if (r.code) throw new Error(r.stderr);
}, 300_000);
afterAll(() => rmSync(dirname(demo), { recursive: true, force: true }));

describe("static export", () => {
  it("writes sites.json marked static, with only the exported products", () => {
    const s = JSON.parse(readFileSync(join(out, "api", "sites.json"), "utf8"));
    expect(s.static).toBe(true);
    expect(s.sites.map((x: { key: string }) => x.key)).toEqual(["bayan-obo", "brumadinho", "ganzhou"]);
    const g = s.sites.find((x: { key: string }) => x.key === "ganzhou");
    expect(g.products.map((p: { key: string }) => p.key).sort()).toEqual(["classes", "truecolor"]);
  });

  it("writes a 256x256 PNG for every tile of the site's cover at each zoom", async () => {
    const s = JSON.parse(readFileSync(join(out, "api", "sites.json"), "utf8"));
    const g = s.sites.find((x: { key: string }) => x.key === "ganzhou");
    for (const z of [11, 12])
      for (const [x, y] of tileCover(g.bbox, z)) {
        const f = join(out, "tiles", "ganzhou", "classes", "2024", String(z), String(x), `${y}.png`);
        expect(existsSync(f), f).toBe(true);
      }
    const [x, y] = tileCover(g.bbox, 12)[0]!;
    const meta = await sharp(join(out, "tiles", "ganzhou", "truecolor", "2020", "12", String(x), `${y}.png`)).metadata();
    expect([meta.width, meta.height]).toEqual([256, 256]);
  });

  it("copies the viewer, the reports and the run records", () => {
    expect(existsSync(join(out, "index.html"))).toBe(true);
    expect(existsSync(join(out, "reports", "ganzhou", "ganzhou-restored-fraction", "report.html"))).toBe(true);
    expect(existsSync(join(out, "stac", "ganzhou", "run.json"))).toBe(true);
  });
});

describe.skipIf(!hasChromium)("static export in Chromium", () => {
  it("opens from a plain static file server and paints tiles", async () => {
    const server = createServer((req, res) => {
      const path = join(out, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
      const file = path.endsWith("/") ? join(path, "index.html") : path;
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const type = file.endsWith(".html")
        ? "text/html"
        : file.endsWith(".js")
          ? "text/javascript"
          : file.endsWith(".css")
            ? "text/css"
            : file.endsWith(".json")
              ? "application/json"
              : "image/png";
      res.writeHead(200, { "content-type": type }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const [lon, lat] = center(siteFile("ganzhou").aoi);
      await page.goto(`${url}?site=ganzhou&product=classes&year=2024&map=12/${lat}/${lon}`);
      await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
      await page.evaluate(
        () =>
          new Promise<void>((ok) => {
            const m = (window as any).reewatch.mapA();
            const t = setTimeout(ok, 20_000);
            m.once("idle", () => {
              clearTimeout(t);
              ok();
            });
            m.triggerRepaint();
          }),
      );
      const png = await page.screenshot({ path: `${ROOT}test-artifacts/viewer/static-export.png`, clip: (await page.locator("#maps").boundingBox())! });
      const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      let painted = 0;
      for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - 0x1b) + Math.abs(data[i + 1]! - 0x26) + Math.abs(data[i + 2]! - 0x30) > 40) painted++;
      expect(painted / (data.length / 3)).toBeGreaterThan(0.2);
      expect(await page.locator("#sim-banner").isVisible()).toBe(true);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
