/**
 * What JPEG-in-TIFF blocks need around geotiff.js's JPEG decoder: a check of the block before it
 * is decoded, and YCbCr to RGB the way GDAL reads it. For YCbCr, libtiff asks libjpeg for RGB, and
 * libjpeg upsamples subsampled chroma with its "fancy" triangle filter, then converts with
 * fixed-point tables; geotiff.js returns Y, Cb, Cr with chroma replicated instead, so this redoes
 * both steps with libjpeg's integer arithmetic (jdsample.c, jdcolor.c).
 */
import { CorruptFile } from "../errors.ts";

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const fix = (x: number) => Math.floor(x * (1 << SCALEBITS) + 0.5);

/** libjpeg's YCbCr -> RGB tables (build_ycc_rgb_table), indexed by the 8-bit Cb or Cr value. */
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (fix(1.402) * x + ONE_HALF) >> SCALEBITS;
  CB_B[i] = (fix(1.772) * x + ONE_HALF) >> SCALEBITS;
  CR_G[i] = -fix(0.71414) * x;
  CB_G[i] = -fix(0.34414) * x + ONE_HALF;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Converts pixel-interleaved Y, Cb, Cr (chroma replicated over h x v pixels, as geotiff.js
 * returns it) to R, G, B in place; `rows` is the JPEG frame height.
 */
export function ycbcrToRgb(data: Uint8Array, width: number, rows: number, h: number, v: number): void {
  const cb = upsample(data, 1, width, rows, h, v);
  const cr = upsample(data, 2, width, rows, h, v);
  for (let p = 0, o = 0; p < width * rows; p++, o += 3) {
    const y = data[o]!;
    const b = cb[p]!;
    const r = cr[p]!;
    data[o] = clamp(y + CR_R[r]!);
    data[o + 1] = clamp(y + ((CB_G[b]! + CR_G[r]!) >> SCALEBITS));
    data[o + 2] = clamp(y + CB_B[b]!);
  }
}

/** One chroma channel at full resolution: libjpeg's fancy upsampling for 2x1 and 2x2, else replication. */
function upsample(data: Uint8Array, c: number, width: number, rows: number, h: number, v: number): Uint8Array {
  const out = new Uint8Array(width * rows);
  const cw = Math.ceil(width / h);
  const ch = Math.ceil(rows / v);
  // The stored chroma samples: the top-left pixel of each replicated h x v cell.
  const s = new Int32Array(cw * ch);
  for (let j = 0; j < ch; j++) for (let i = 0; i < cw; i++) s[j * cw + i] = data[(j * v * width + i * h) * 3 + c]!;
  // libjpeg only filters components wider than 2 samples, and only 2x1 and 2x2 subsampling.
  const fancy = cw > 2 && h === 2 && (v === 1 || v === 2);
  for (let y = 0; y < rows; y++) {
    const j = Math.floor(y / v);
    if (!fancy) {
      for (let x = 0; x < width; x++) out[y * width + x] = s[j * cw + Math.floor(x / h)]!;
      continue;
    }
    const row = y * width;
    if (v === 1) h2v1Row(s, j * cw, cw, out, row, width);
    else {
      // The nearer chroma row counts 3, the farther 1; rows past the frame edge repeat the edge row.
      const jn = y % 2 === 0 ? Math.max(j - 1, 0) : Math.min(j + 1, ch - 1);
      h2v2Row(s, j * cw, jn * cw, cw, out, row, width);
    }
  }
  return out;
}

/** jdsample.c h2v1_fancy_upsample: 3/4 nearer + 1/4 farther sample, alternating rounding. */
function h2v1Row(s: Int32Array, a: number, cw: number, out: Uint8Array, o: number, width: number): void {
  for (let x = 0; x < width; x++) {
    const i = x >> 1;
    const cur = s[a + i]! * 3;
    if (x % 2 === 0) out[o + x] = i === 0 ? s[a]! : (cur + s[a + i - 1]! + 1) >> 2;
    else out[o + x] = i === cw - 1 ? s[a + i]! : (cur + s[a + i + 1]! + 2) >> 2;
  }
}

/** jdsample.c h2v2_fancy_upsample: column sums 3 * nearer row + farther row, then 3:1 across. */
function h2v2Row(s: Int32Array, a: number, b: number, cw: number, out: Uint8Array, o: number, width: number): void {
  const sum = (i: number) => s[a + i]! * 3 + s[b + i]!;
  for (let x = 0; x < width; x++) {
    const i = x >> 1;
    const cur = sum(i);
    if (x % 2 === 0) out[o + x] = i === 0 ? (cur * 4 + 8) >> 4 : (cur * 3 + sum(i - 1) + 8) >> 4;
    else out[o + x] = i === cw - 1 ? (cur * 4 + 7) >> 4 : (cur * 3 + sum(i + 1) + 7) >> 4;
  }
}

/**
 * geotiff.js's JPEG parser trusts its input: it loops forever when a block runs out in 0xFF fill
 * bytes, and allocates whatever frame size a corrupt header claims. So check first that the block
 * ends with the EOI marker, as every JPEG stream does, and that its frame is the block's size.
 */
export function checkJpegBlock(b: Uint8Array, width: number, height: number, samples: number, where: string): void {
  const n = b.length;
  if (n < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[n - 2] !== 0xff || b[n - 1] !== 0xd9)
    throw new CorruptFile(`${where}: JPEG data does not start with SOI and end with EOI: corrupt or truncated`);
  for (let p = 2; p + 9 < n; ) {
    if (b[p] !== 0xff) break;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xc2) {
      const [rows, cols, comps] = [(b[p + 5]! << 8) | b[p + 6]!, (b[p + 7]! << 8) | b[p + 8]!, b[p + 9]!];
      if (cols === width && rows >= 1 && rows <= height && comps === samples) return;
      throw new CorruptFile(`${where}: JPEG frame ${cols}x${rows} with ${comps} components, expected ${width}x${height} with ${samples}: corrupt`);
    }
    if (marker === 0xda) break;
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
  throw new CorruptFile(`${where}: JPEG data has no baseline or progressive frame header: corrupt or unsupported`);
}
