/**
 * Helpers for driving the viewer in Chromium: open a view and wait for its tiles, read the map's
 * pixels from a screenshot, compare pictures, click a geographic position, serve a static folder.
 */
import { createServer, type Server } from "node:http";
import type { Page } from "playwright-core";
import sharp from "sharp";
import sirv from "sirv";

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

/** Opens `href` and waits for the viewer to be ready and every visible map to be idle. */
export async function openView(page: Page, href: string): Promise<void> {
  await page.goto(href);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  await idle(page);
}

/** Waits until every visible map has loaded and drawn its tiles (MapLibre "idle"). */
export async function idle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const r = (window as any).reewatch;
    const maps = [r.mapA(), r.mapB()].filter((m: any) => m && !m.getContainer().hidden);
    await Promise.all(
      maps.map(
        (m: any) =>
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
  await page.waitForTimeout(150);
}

/** Screenshot of the map area (written to `path`) as raw RGB. */
export async function mapPixels(page: Page, path: string): Promise<Pixels> {
  const box = (await page.locator("#maps").boundingBox())!;
  const png = await page.screenshot({ path, clip: box });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Share of pixels whose colour differs by more than `tolerance` (sum of |dR|+|dG|+|dB|). */
export function diff(a: Buffer, b: Buffer, tolerance = 30): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > tolerance) n++;
  return n / (a.length / 3);
}

/** Share of pixels that are not the map background colour (#1b2630). */
export function painted(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 3) if (Math.abs(p.data[i]! - 0x1b) + Math.abs(p.data[i + 1]! - 0x26) + Math.abs(p.data[i + 2]! - 0x30) > 40) n++;
  return n / (p.data.length / 3);
}

/** The RGB pixels of the columns [x0, x1) of an image (fractions of its width). */
export function columns(p: Pixels, x0: number, x1: number): Buffer {
  const out: number[] = [];
  const a = Math.ceil(p.width * x0);
  const b = Math.floor(p.width * x1);
  for (let y = 0; y < p.height; y++) for (let x = a; x < b; x++) out.push(...p.data.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3));
  return Buffer.from(out);
}

/** The pixels inside a rectangle of an image (map-area coordinates, clamped to the image). */
export function crop(p: Pixels, x0: number, y0: number, x1: number, y1: number): Pixels {
  const [a, b] = [Math.max(0, Math.ceil(x0)), Math.min(p.width, Math.floor(x1))];
  const [c, d] = [Math.max(0, Math.ceil(y0)), Math.min(p.height, Math.floor(y1))];
  const out: number[] = [];
  for (let y = c; y < d; y++) out.push(...p.data.subarray((y * p.width + a) * 3, (y * p.width + b) * 3));
  return { data: Buffer.from(out), width: b - a, height: d - c };
}

/** Page coordinates of a longitude/latitude on the main map. */
export async function pageXY(page: Page, lon: number, lat: number): Promise<[number, number]> {
  const box = (await page.locator("#map-a").boundingBox())!;
  const p = await page.evaluate(([a, b]) => (window as any).reewatch.mapA().project([a, b]), [lon, lat]);
  return [box.x + p.x, box.y + p.y];
}

/** A plain static file server on 127.0.0.1 (sirv: files and byte ranges, what any static host or object store offers). */
export async function staticServer(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(sirv(root, { dev: true }));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}
