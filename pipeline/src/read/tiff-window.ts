/** Reading a pixel window of one TIFF image: fetch the blocks it touches, inflate, un-predict, copy. */
import { promisify } from "node:util";
import { inflate } from "node:zlib";
import { CorruptFile } from "../errors.ts";
import type { Window } from "../raster.ts";
import type { TiffFile, TiffImage } from "./tiff.ts";

const inflateAsync = promisify(inflate);

export type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type SamplesCtor = {
  new (n: number): Samples;
  new (buf: ArrayBufferLike, off: number, len: number): Samples;
  BYTES_PER_ELEMENT: number;
};

export function samplesCtor(img: TiffImage): SamplesCtor {
  const { bitsPerSample: bits, sampleFormat: fmt } = img;
  if (fmt === 3) return (bits === 64 ? Float64Array : Float32Array) as unknown as SamplesCtor;
  const table: Record<number, [unknown, unknown]> = {
    8: [Uint8Array, Int8Array],
    16: [Uint16Array, Int16Array],
    32: [Uint32Array, Int32Array],
  };
  const pair = table[bits];
  if (!pair) throw new CorruptFile(`${bits}-bit integer samples are not supported`);
  return (fmt === 2 ? pair[1] : pair[0]) as SamplesCtor;
}

/** Reads `bands` (0-based sample indices) of `win`; one array per band, row-major, win.width * win.height. */
export async function readWindow(file: TiffFile, img: TiffImage, win: Window, bands: number[], signal?: AbortSignal): Promise<Samples[]> {
  const ctor = samplesCtor(img);
  const out = bands.map(() => new ctor(win.width * win.height));
  const across = Math.ceil(img.width / img.blockWidth);
  const down = Math.ceil(img.height / img.blockHeight);
  const bx0 = Math.floor(win.x / img.blockWidth);
  const bx1 = Math.floor((win.x + win.width - 1) / img.blockWidth);
  const by0 = Math.floor(win.y / img.blockHeight);
  const by1 = Math.floor((win.y + win.height - 1) / img.blockHeight);
  const planes = img.planar === 2 ? bands.map((b) => b) : [-1];
  const wanted: { index: number; bx: number; by: number; plane: number }[] = [];
  for (const plane of planes)
    for (let by = by0; by <= by1; by++)
      for (let bx = bx0; bx <= bx1; bx++) wanted.push({ index: (plane < 0 ? 0 : plane * across * down) + by * across + bx, bx, by, plane });
  const cache = file.blockCache;
  const imageNo = file.images.indexOf(img);
  const key = (k: number) => `${imageNo}:${wanted[k]!.index}`;
  const decoded = wanted.map((_, k) => cache?.get(key(k))) as Uint8Array[];
  const missing = wanted.map((_, k) => k).filter((k) => !decoded[k]);
  const raw = await fetchBlocks(
    file,
    img,
    missing.map((k) => wanted[k]!.index),
    signal,
  );
  await Promise.all(
    missing.map(async (k, j) => {
      decoded[k] = await decodeBlock(file, img, raw[j]!, wanted[k]!.by, wanted[k]!.plane < 0 ? img.samples : 1);
      cache?.set(key(k), decoded[k]!);
    }),
  );
  for (let k = 0; k < wanted.length; k++) {
    const w = wanted[k]!;
    const block = new ctor(decoded[k]!.buffer, decoded[k]!.byteOffset, decoded[k]!.byteLength / ctor.BYTES_PER_ELEMENT);
    copyBlock(img, block, w.bx, w.by, w.plane, win, bands, out);
  }
  return out;
}

/** Fetches blocks, merging neighbours in the file (gap <= 64 KiB) into one read. */
async function fetchBlocks(file: TiffFile, img: TiffImage, indices: number[], signal?: AbortSignal): Promise<Uint8Array[]> {
  const order = indices.map((_, k) => k).sort((a, b) => img.offsets[indices[a]!]! - img.offsets[indices[b]!]!);
  const out: Uint8Array[] = new Array(indices.length);
  const size = await file.source.size(signal);
  let k = 0;
  while (k < order.length) {
    const start = img.offsets[indices[order[k]!]!]!;
    let end = start + img.counts[indices[order[k]!]!]!;
    let j = k + 1;
    while (j < order.length) {
      const o = img.offsets[indices[order[j]!]!]!;
      if (o - end > 65536 || o + img.counts[indices[order[j]!]!]! - start > 64 << 20) break;
      end = Math.max(end, o + img.counts[indices[order[j]!]!]!);
      j++;
    }
    if (end > size) throw new CorruptFile(`${file.source.url}: block data ends at byte ${end} but the file has ${size}: truncated`);
    const buf = await file.source.fetch(start, end - start, signal);
    for (let q = k; q < j; q++) {
      const idx = indices[order[q]!]!;
      const o = img.offsets[idx]! - start;
      out[order[q]!] = buf.subarray(o, o + img.counts[idx]!);
    }
    k = j;
  }
  return out;
}

async function decodeBlock(file: TiffFile, img: TiffImage, bytes: Uint8Array, by: number, samples: number): Promise<Uint8Array> {
  const bps = img.bitsPerSample / 8;
  const rows = img.tiled ? img.blockHeight : Math.min(img.blockHeight, img.height - by * img.blockHeight);
  const expected = img.blockWidth * rows * samples * bps;
  let data: Uint8Array;
  if (img.compression === 1) data = Uint8Array.from(bytes);
  else {
    try {
      // One output chunk per block: small chunks bounce between the thread pool and the main
      // thread and serialise the work; one chunk lets blocks inflate in parallel.
      data = await inflateAsync(bytes, { chunkSize: Math.max(65536, expected + 1024) });
    } catch (err) {
      throw new CorruptFile(`${file.source.url}: cannot inflate a block (${(err as Error).message}): corrupt or truncated`);
    }
  }
  if (data.byteLength < expected) throw new CorruptFile(`${file.source.url}: a block holds ${data.byteLength} bytes, expected ${expected}: corrupt`);
  if (data.byteOffset % bps !== 0) data = Uint8Array.from(data);
  if (!file.little && bps > 1 && img.predictor !== 3) swapBytes(data, bps);
  if (img.predictor === 2) undoHorizontal(data, img, rows, samples);
  else if (img.predictor === 3) undoFloatingPoint(data, img.blockWidth, rows, samples, bps);
  return data;
}

function swapBytes(d: Uint8Array, bps: number): void {
  for (let i = 0; i + bps <= d.length; i += bps)
    for (let a = 0, b = bps - 1; a < b; a++, b--) {
      const t = d[i + a]!;
      d[i + a] = d[i + b]!;
      d[i + b] = t;
    }
}

function undoHorizontal(data: Uint8Array, img: TiffImage, rows: number, samples: number): void {
  const bps = img.bitsPerSample / 8;
  const n = img.blockWidth * samples;
  const v =
    bps === 1
      ? data
      : bps === 2
        ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1)
        : new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = samples; i < n; i++) v[base + i] = v[base + i]! + v[base + i - samples]!;
  }
}

function undoFloatingPoint(data: Uint8Array, width: number, rows: number, samples: number, bps: number): void {
  const wc = width * samples;
  const rowBytes = wc * bps;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = samples; i < rowBytes; i++) row[i] = (row[i]! + row[i - samples]!) & 0xff;
    tmp.set(row);
    for (let i = 0; i < wc; i++) for (let b = 0; b < bps; b++) row[i * bps + b] = tmp[(bps - b - 1) * wc + i]!;
  }
}

function copyBlock(img: TiffImage, block: Samples, bx: number, by: number, plane: number, win: Window, bands: number[], out: Samples[]): void {
  const x0 = Math.max(win.x, bx * img.blockWidth);
  const x1 = Math.min(win.x + win.width, (bx + 1) * img.blockWidth, img.width);
  const y0 = Math.max(win.y, by * img.blockHeight);
  const y1 = Math.min(win.y + win.height, (by + 1) * img.blockHeight, img.height);
  const chunky = plane < 0;
  const spp = chunky ? img.samples : 1;
  for (let k = 0; k < bands.length; k++) {
    if (!chunky && bands[k] !== plane) continue;
    const s = chunky ? bands[k]! : 0;
    const dst = out[k]!;
    for (let y = y0; y < y1; y++) {
      const src = ((y - by * img.blockHeight) * img.blockWidth + (x0 - bx * img.blockWidth)) * spp + s;
      const d = (y - win.y) * win.width + (x0 - win.x);
      if (spp === 1) dst.set(block.subarray(src, src + (x1 - x0)), d);
      else for (let x = 0; x < x1 - x0; x++) dst[d + x] = block[src + x * spp]!;
    }
  }
}
