/**
 * One TIFF block (tile or strip) from compressed bytes to window pixels: inflate on libuv's
 * thread pool (other compressions decode in tiff-decode.ts), byte-swap big-endian data, undo
 * predictors 2/3 row by row, copy into the window.
 * Predictor 2 on single-sample blocks is undone while copying (one pass over the rows the window
 * needs, no intermediate block), which is most of what a COG band read costs after inflate.
 */
import { promisify } from "node:util";
import { inflate } from "node:zlib";
import { CorruptFile } from "../errors.ts";
import type { Window } from "../raster.ts";
import type { TiffImage } from "./tiff.ts";
import { decodeBlock, isDeflate } from "./tiff-decode.ts";

const inflateAsync = promisify(inflate);

export type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A block's place: its index in TileOffsets/StripOffsets, column/row in blocks, plane (-1 chunky). */
export interface BlockRef {
  index: number;
  bx: number;
  by: number;
  plane: number;
}

/** Rows actually stored in block row `by` (the last strip of a stripped image is short). */
export function blockRows(img: TiffImage, by: number): number {
  return img.tiled ? img.blockHeight : Math.min(img.blockHeight, img.height - by * img.blockHeight);
}

/** Inflated (copied, decoded) block bytes, byte-swapped to little-endian, predictor not yet undone. */
export async function inflateBlock(url: string, little: boolean, img: TiffImage, bytes: Uint8Array, ref: BlockRef): Promise<Uint8Array> {
  const bps = img.bitsPerSample / 8;
  const samples = ref.plane < 0 ? img.samples : 1;
  const expected = img.blockWidth * blockRows(img, ref.by) * samples * bps;
  let data: Uint8Array;
  if (img.compression === 1) data = Uint8Array.from(bytes);
  else if (!isDeflate(img.compression)) data = await decodeBlock(url, img, bytes, ref);
  else {
    try {
      // One output chunk per block: small chunks bounce between the thread pool and the main
      // thread and serialise the work; one chunk lets blocks inflate in parallel.
      // Deflate expands at most 1032:1, so cap the chunk by what these bytes can hold: the header's size alone could ask for gigabytes.
      data = await inflateAsync(bytes, { chunkSize: Math.max(65536, Math.min(expected, bytes.length * 1032) + 1024) });
    } catch (err) {
      throw new CorruptFile(`${url}: cannot inflate block ${ref.index} (${(err as Error).message}): corrupt or truncated`);
    }
  }
  if (data.byteLength < expected) throw new CorruptFile(`${url}: block ${ref.index} holds ${data.byteLength} bytes, expected ${expected}: corrupt`);
  if (data.byteOffset % bps !== 0) data = Uint8Array.from(data);
  // Floating-point predictor data is byte-planar, most significant byte first, in either byte order.
  if (!little && bps > 1 && img.predictor !== 3) swapBytes(data, bps);
  return data;
}

/**
 * A block's inflated bytes whose predictor is undone row by row as reads need the rows: predictors
 * 2 and 3 work within a row, so a map tile that needs 180 of a block's 512 rows pays for those
 * only, and a neighbouring tile reading the block from the cache undoes the rest as it needs them.
 */
export class LazyBlock {
  /** 1 where a block row still holds predicted bytes; null without a predictor. */
  private readonly pending: Uint8Array | null;

  constructor(
    readonly data: Uint8Array,
    private readonly img: TiffImage,
    private readonly ref: BlockRef,
  ) {
    this.pending = img.predictor === 2 || img.predictor === 3 ? new Uint8Array(blockRows(img, ref.by)).fill(1) : null;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  /** The block's bytes with block rows r0 .. r1 - 1 un-predicted. */
  rows(r0: number, r1: number): Uint8Array {
    const p = this.pending;
    if (!p) return this.data;
    for (let r = r0; r < r1; ) {
      if (!p[r]) {
        r++;
        continue;
      }
      let end = r;
      while (end < r1 && p[end]) end++;
      undoPredictorRows(this.data, this.img, this.ref, r, end);
      p.fill(0, r, end);
      r = end;
    }
    return this.data;
  }
}

/** Undoes the predictor in place on block rows r0 .. r1 - 1. */
function undoPredictorRows(data: Uint8Array, img: TiffImage, ref: BlockRef, r0: number, r1: number): void {
  const samples = ref.plane < 0 ? img.samples : 1;
  if (img.predictor === 2) undoHorizontal(data, img.blockWidth, r0, r1, samples, img.bitsPerSample / 8);
  else if (img.predictor === 3) undoFloatingPoint(data, img.blockWidth, r0, r1, samples, img.bitsPerSample / 8);
}

/** The block rows a window needs: [first, end). */
export function blockRowsUnder(img: TiffImage, ref: BlockRef, win: Window): [number, number] {
  const [, , y0, y1] = overlap(img, ref, win);
  return [y0 - ref.by * img.blockHeight, y1 - ref.by * img.blockHeight];
}

function swapBytes(d: Uint8Array, bps: number): void {
  for (let i = 0; i + bps <= d.length; i += bps)
    for (let a = 0, b = bps - 1; a < b; a++, b--) {
      const t = d[i + a]!;
      d[i + a] = d[i + b]!;
      d[i + b] = t;
    }
}

/** Unsigned view of integer block data: the predictor sums wrap at the sample width. */
function unsignedView(data: Uint8Array, bps: number): Uint8Array | Uint16Array | Uint32Array {
  if (bps === 1) return data;
  if (bps === 2) return new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
  return new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
}

function undoHorizontal(data: Uint8Array, width: number, r0: number, r1: number, samples: number, bps: number): void {
  const v = unsignedView(data, bps);
  const n = width * samples;
  for (let r = r0; r < r1; r++) {
    const base = r * n;
    for (let i = base + samples, end = base + n; i < end; i++) v[i] = v[i]! + v[i - samples]!;
  }
}

/** True on little-endian hosts, where a float32 block can be rebuilt four bytes at a time. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Predictor 3 (floating point): a byte-wise running sum along each row, then the row's byte
 * planes (most significant first) put back together into samples in host order.
 */
function undoFloatingPoint(data: Uint8Array, width: number, r0: number, r1: number, samples: number, bps: number): void {
  const wc = width * samples;
  const rowBytes = wc * bps;
  const tmp = new Uint8Array(rowBytes);
  // The common case (one float32 sample per pixel, aligned data, little-endian host) in words, one
  // view for the whole block: about 3x faster.
  const words = samples === 1 && bps === 4 && LITTLE_ENDIAN && data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, r1 * wc) : null;
  for (let r = r0; r < r1; r++) {
    const start = r * rowBytes;
    if (samples === 1) {
      let acc = data[start]!;
      for (let i = start + 1, end = start + rowBytes; i < end; i++) data[i] = acc = (acc + data[i]!) & 255;
    } else for (let i = start + samples, end = start + rowBytes; i < end; i++) data[i] = data[i]! + data[i - samples]!;
    tmp.set(data.subarray(start, start + rowBytes));
    if (words) {
      for (let i = 0, o = r * wc; i < wc; i++, o++) words[o] = (tmp[i]! << 24) | (tmp[wc + i]! << 16) | (tmp[2 * wc + i]! << 8) | tmp[3 * wc + i]!;
      continue;
    }
    for (let b = 0; b < bps; b++) {
      const plane = (bps - b - 1) * wc;
      for (let i = 0, o = start + b; i < wc; i++, o += bps) data[o] = tmp[plane + i]!;
    }
  }
}

/** Columns/rows of the image covered by both the block and the window. */
function overlap(img: TiffImage, ref: BlockRef, win: Window): [x0: number, x1: number, y0: number, y1: number] {
  return [
    Math.max(win.x, ref.bx * img.blockWidth),
    Math.min(win.x + win.width, (ref.bx + 1) * img.blockWidth, img.width),
    Math.max(win.y, ref.by * img.blockHeight),
    Math.min(win.y + win.height, (ref.by + 1) * img.blockHeight, img.height),
  ];
}

/** True when the block can be un-predicted while copying: predictor 2, one sample per block pixel. */
export function canFuse(img: TiffImage, ref: BlockRef): boolean {
  return img.predictor === 2 && img.sampleFormat !== 3 && (ref.plane >= 0 || img.samples === 1);
}

/** Predictor 2 undone row by row straight into the window arrays of the bands that read this block. */
export function fusedCopy(img: TiffImage, data: Uint8Array, ref: BlockRef, win: Window, bands: number[], out: Samples[]): void {
  const [x0, x1, y0, y1] = overlap(img, ref, win);
  const bps = img.bitsPerSample / 8;
  const v = unsignedView(data, bps);
  const mask = bps === 4 ? -1 : (1 << (8 * bps)) - 1;
  const cx0 = x0 - ref.bx * img.blockWidth;
  const cx1 = x1 - ref.bx * img.blockWidth;
  for (let k = 0; k < bands.length; k++) {
    if (ref.plane >= 0 && bands[k] !== ref.plane) continue;
    const dst = out[k]!;
    for (let y = y0; y < y1; y++) {
      const r = (y - ref.by * img.blockHeight) * img.blockWidth;
      const d = (y - win.y) * win.width + (x0 - win.x) - cx0;
      let acc = 0;
      for (let i = 0; i < cx0; i++) acc = (acc + v[r + i]!) & mask;
      for (let i = cx0; i < cx1; i++) {
        acc = (acc + v[r + i]!) & mask;
        dst[d + i] = acc;
      }
    }
  }
}

/** Copies the window part of a decoded block into the window arrays. */
export function copyBlock(img: TiffImage, block: Samples, ref: BlockRef, win: Window, bands: number[], out: Samples[]): void {
  const [x0, x1, y0, y1] = overlap(img, ref, win);
  const chunky = ref.plane < 0;
  const spp = chunky ? img.samples : 1;
  for (let k = 0; k < bands.length; k++) {
    if (!chunky && bands[k] !== ref.plane) continue;
    const s = chunky ? bands[k]! : 0;
    const dst = out[k]!;
    for (let y = y0; y < y1; y++) {
      const src = ((y - ref.by * img.blockHeight) * img.blockWidth + (x0 - ref.bx * img.blockWidth)) * spp + s;
      const d = (y - win.y) * win.width + (x0 - win.x);
      if (spp === 1) dst.set(block.subarray(src, src + (x1 - x0)), d);
      else for (let x = 0; x < x1 - x0; x++) dst[d + x] = block[src + x * spp]!;
    }
  }
}

/** Fills the window part of a sparse block (TileByteCounts 0, GDAL SPARSE_OK) with `value`. */
export function fillBlock(img: TiffImage, ref: BlockRef, win: Window, bands: number[], out: Samples[], value: number): void {
  const [x0, x1, y0, y1] = overlap(img, ref, win);
  for (let k = 0; k < bands.length; k++) {
    if (ref.plane >= 0 && bands[k] !== ref.plane) continue;
    for (let y = y0; y < y1; y++) {
      const d = (y - win.y) * win.width + (x0 - win.x);
      out[k]!.fill(value, d, d + (x1 - x0));
    }
  }
}
