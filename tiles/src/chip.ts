/**
 * An image chip: a `size` x `size` window of a product's COG centred on the pixel under a point, at
 * the data's own resolution (no reprojection, no resampling: one PNG pixel per data pixel), in the
 * product's declared colour map and range (RGB passed through). Outside the raster, no data and
 * masked pixels are transparent. The viewer's labelling mode scales it up with nearest neighbour.
 */
import sharp from "sharp";
import { colorize, OutsideBounds, transformer, worldToPixel } from "../../pipeline/src/index.ts";
import { cog } from "./data-access.ts";
import { HttpError } from "./http-errors.ts";
import { productPath, type SiteInfo } from "./site-index.ts";

export const CHIP_SIZES: [number, number] = [5, 101];

export async function chipPng(site: SiteInfo, product: string, date: string, lon: number, lat: number, size: number): Promise<Buffer> {
  if (!Number.isInteger(size) || size < CHIP_SIZES[0] || size > CHIP_SIZES[1] || size % 2 === 0)
    throw new HttpError(400, `size ${size} must be an odd whole number from ${CHIP_SIZES[0]} to ${CHIP_SIZES[1]}`);
  const rel = productPath(site, product, date);
  if (!rel) throw new HttpError(404, `no product "${product}" for date "${date}" in site ${site.key}`);
  const p = site.products.find((q) => q.key === product)!;
  const tiff = await cog(site.dir, rel);
  const grid = tiff.grid!;
  const [wx, wy] = transformer("EPSG:4326", grid.crs)(lon, lat);
  const [c, r] = worldToPixel(grid.transform, wx, wy).map(Math.floor) as [number, number];
  if (c < 0 || r < 0 || c >= grid.width || r >= grid.height) throw new OutsideBounds(`point ${lon}, ${lat} is outside ${rel} of site ${site.key}`);
  const half = (size - 1) / 2;
  const x0 = Math.max(0, c - half);
  const y0 = Math.max(0, r - half);
  const win = { x: x0, y: y0, width: Math.min(grid.width, c + half + 1) - x0, height: Math.min(grid.height, r + half + 1) - y0 };
  const rgb = p.kind === "rgb";
  const data = await tiff.read(win, rgb ? [0, 1, 2] : [0]);
  // (col, row) of the window's first pixel inside the chip.
  const [ox, oy] = [x0 - (c - half), y0 - (r - half)];
  let out: Uint8Array;
  if (rgb) {
    out = new Uint8Array(size * size * 4);
    for (let y = 0; y < win.height; y++)
      for (let x = 0; x < win.width; x++) {
        const q = y * win.width + x;
        if (!data[0]![q]) continue;
        out.set([data[0]![q]!, data[1]![q]!, data[2]![q]!, 255], ((y + oy) * size + x + ox) * 4);
      }
  } else {
    const values = new Float32Array(size * size).fill(Number.NaN);
    for (let y = 0; y < win.height; y++) for (let x = 0; x < win.width; x++) values[(y + oy) * size + x + ox] = data[0]![y * win.width + x]!;
    out = colorize(values, p.colormap, p.range, tiff.nodata);
  }
  return sharp(Buffer.from(out), { raw: { width: size, height: size, channels: 4 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
