/** PNG quicklooks for reports: a raster cropped to the zone (with a margin), colourised, upscaled. */
import { trueColorRgba } from "../products/truecolor.ts";
import { colorize } from "../render/colormap.ts";

export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounding box of the zone mask, grown by 25 % on each side and clipped to the grid. */
export function cropOf(mask: Uint8Array, width: number, height: number): Crop {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      const x = i % width;
      const y = (i - x) / width;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  if (x1 < 0) return { x: 0, y: 0, width, height };
  const mx = Math.ceil((x1 - x0 + 1) * 0.25) + 2;
  const my = Math.ceil((y1 - y0 + 1) * 0.25) + 2;
  const x = Math.max(0, x0 - mx);
  const y = Math.max(0, y0 - my);
  return { x, y, width: Math.min(width, x1 + mx + 1) - x, height: Math.min(height, y1 + my + 1) - y };
}

function cropRgba(rgba: Uint8Array, width: number, c: Crop): Uint8Array {
  const out = new Uint8Array(c.width * c.height * 4);
  for (let r = 0; r < c.height; r++) out.set(rgba.subarray(((c.y + r) * width + c.x) * 4, ((c.y + r) * width + c.x + c.width) * 4), r * c.width * 4);
  return out;
}

/** The zone outline drawn in white over the picture. */
function outline(rgba: Uint8Array, mask: Uint8Array, width: number, height: number): void {
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width];
    if (edge) rgba.set([255, 255, 255, 255], i * 4);
  }
}

export async function quicklookPng(
  values: ArrayLike<number>,
  colormap: string,
  range: [number, number],
  mask: Uint8Array,
  width: number,
  height: number,
): Promise<Uint8Array> {
  return (await quicklookFigure(values, colormap, range, mask, width, height)).png;
}

/** A quicklook with where it sits: the crop of the grid it shows and its upscaling factor. */
export interface QuicklookFigure {
  png: Uint8Array;
  crop: Crop;
  scale: number;
}

export async function quicklookFigure(
  values: ArrayLike<number>,
  colormap: string,
  range: [number, number],
  mask: Uint8Array,
  width: number,
  height: number,
): Promise<QuicklookFigure> {
  const rgba = colorize(values, colormap, range);
  outline(rgba, mask, width, height);
  const crop = cropOf(mask, width, height);
  return { png: await encode(rgba, width, crop), crop, scale: scaleOf(crop) };
}

export async function trueColorPng(
  rgb: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  mask: Uint8Array,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const rgba = trueColorRgba(rgb, width * height);
  outline(rgba, mask, width, height);
  return encode(rgba, width, cropOf(mask, width, height));
}

/** Whole-number upscaling so the crop's longer side reaches about 280 px. */
const scaleOf = (c: Crop) => Math.max(1, Math.floor(280 / Math.max(c.width, c.height)));

async function encode(rgba: Uint8Array, width: number, c: Crop): Promise<Uint8Array> {
  const scale = scaleOf(c);
  // sharp is a native module that takes a tenth of a second to load: only reports need it.
  const { default: sharp } = await import("sharp");
  return sharp(Buffer.from(cropRgba(rgba, width, c)), {
    raw: { width: c.width, height: c.height, channels: 4 },
  })
    .resize(c.width * scale, c.height * scale, { kernel: "nearest" })
    .png()
    .toBuffer();
}
