/**
 * Reading a pixel window of one TIFF image into preallocated arrays. The blocks the window
 * touches are sorted by file offset and merged into reads (neighbours less than 64 KiB apart,
 * at most 16 MiB per read); a few reads are in flight at once and each block is inflated,
 * un-predicted and copied as soon as it arrives, so memory stays near the output size.
 */
import { CorruptFile, OutsideBounds } from "../errors.ts";
import type { Window } from "../raster.ts";
import type { TiffFile, TiffImage } from "./tiff.ts";
import { type BlockRef, blockRowsUnder, canFuse, copyBlock, fillBlock, fusedCopy, inflateBlock, LazyBlock, type Samples } from "./tiff-block.ts";

export type { Samples } from "./tiff-block.ts";

const MAX_GAP = 64 << 10;
const MAX_RUN = 16 << 20;
/** Merged reads decoded at once: enough to keep the thread pool busy while the next read arrives. */
const LANES = 3;

type SamplesCtor = {
  new (n: number): Samples;
  new (buf: ArrayBufferLike, off: number, len: number): Samples;
  BYTES_PER_ELEMENT: number;
};

export function samplesCtor(img: TiffImage, url = "TIFF"): SamplesCtor {
  const { bitsPerSample: bits, sampleFormat: fmt } = img;
  if (fmt === 3 && (bits === 32 || bits === 64)) return (bits === 64 ? Float64Array : Float32Array) as unknown as SamplesCtor;
  const table: Record<number, [unknown, unknown]> = {
    8: [Uint8Array, Int8Array],
    16: [Uint16Array, Int16Array],
    32: [Uint32Array, Int32Array],
  };
  const pair = table[bits];
  if (!pair || fmt === 3) throw new CorruptFile(`${url}: ${bits}-bit samples of format ${fmt} are not supported`);
  return (fmt === 2 ? pair[1] : pair[0]) as SamplesCtor;
}

/** Reads `bands` (0-based sample indices) of `win`; one array per band, row-major, win.width * win.height. */
export async function readWindow(file: TiffFile, img: TiffImage, win: Window, bands: number[], signal?: AbortSignal): Promise<Samples[]> {
  const url = file.source.url;
  checkRequest(url, img, win, bands);
  const ctor = samplesCtor(img, url);
  const out = bands.map(() => new ctor(win.width * win.height));
  const cache = file.blockCache;
  const imageNo = file.images.indexOf(img);
  const key = (r: BlockRef) => `${imageNo}:${r.index}`;
  // the block's samples, un-predicted on the rows this window needs
  const samplesOf = (block: LazyBlock, ref: BlockRef) => {
    const d = block.rows(...blockRowsUnder(img, ref, win));
    return new ctor(d.buffer, d.byteOffset, d.byteLength / ctor.BYTES_PER_ELEMENT);
  };
  const missing: BlockRef[] = [];
  for (const ref of blocksFor(img, win, bands)) {
    const hit = cache?.get(key(ref));
    if (hit) copyBlock(img, samplesOf(hit, ref), ref, win, bands, out);
    else if (img.counts[ref.index] === 0) fillBlock(img, ref, win, bands, out, sparseValue(img));
    else missing.push(ref);
  }
  const size = await file.source.size(signal);
  const runs = planRuns(img, missing, url);
  let next = 0;
  const lane = async () => {
    while (next < runs.length) {
      const run = runs[next++]!;
      if (run.end > size) throw new CorruptFile(`${url}: block data ends at byte ${run.end} but the file has ${size}: truncated`);
      const buf = await file.source.fetch(run.start, run.end - run.start, signal);
      if (buf.byteLength < run.end - run.start) throw new CorruptFile(`${url}: short read at byte ${run.start}: truncated`);
      await Promise.all(
        run.blocks.map(async (ref) => {
          const o = img.offsets[ref.index]! - run.start;
          const data = await inflateBlock(url, file.little, img, buf.subarray(o, o + img.counts[ref.index]!), ref);
          signal?.throwIfAborted();
          if (!cache && canFuse(img, ref)) return fusedCopy(img, data, ref, win, bands, out);
          const block = new LazyBlock(data, img, ref);
          cache?.set(key(ref), block);
          copyBlock(img, samplesOf(block, ref), ref, win, bands, out);
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, runs.length) }, lane));
  return out;
}

function checkRequest(url: string, img: TiffImage, win: Window, bands: number[]): void {
  const { x, y, width, height } = win;
  if (![x, y, width, height].every(Number.isInteger) || width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > img.width || y + height > img.height)
    throw new OutsideBounds(`${url}: window x=${x} y=${y} ${width}x${height} is not inside the ${img.width}x${img.height} image`);
  const bad = bands.find((b) => !Number.isInteger(b) || b < 0 || b >= img.samples);
  if (bad !== undefined) throw new OutsideBounds(`${url}: band index ${bad} is outside 0..${img.samples - 1}`);
}

/** The blocks under `win`, per plane for planar images. */
function blocksFor(img: TiffImage, win: Window, bands: number[]): BlockRef[] {
  const across = Math.ceil(img.width / img.blockWidth);
  const down = Math.ceil(img.height / img.blockHeight);
  const bx0 = Math.floor(win.x / img.blockWidth);
  const bx1 = Math.floor((win.x + win.width - 1) / img.blockWidth);
  const by0 = Math.floor(win.y / img.blockHeight);
  const by1 = Math.floor((win.y + win.height - 1) / img.blockHeight);
  const planes = img.planar === 2 ? [...new Set(bands)] : [-1];
  const refs: BlockRef[] = [];
  for (const plane of planes)
    for (let by = by0; by <= by1; by++)
      for (let bx = bx0; bx <= bx1; bx++) refs.push({ index: (plane < 0 ? 0 : plane * across * down) + by * across + bx, bx, by, plane });
  return refs;
}

/** GDAL fills sparse blocks with the nodata value, else 0. */
function sparseValue(img: TiffImage): number {
  const nd = img.tags.get(42113);
  const v = typeof nd === "string" ? Number(nd.trim()) : Number.NaN;
  return Number.isFinite(v) ? v : 0;
}

interface Run {
  start: number;
  end: number;
  blocks: BlockRef[];
}

/** Blocks in file order, merged into reads of neighbours. */
function planRuns(img: TiffImage, refs: BlockRef[], url: string): Run[] {
  for (const r of refs) {
    const [o, n] = [img.offsets[r.index], img.counts[r.index]];
    if (o === undefined || n === undefined)
      throw new CorruptFile(`${url}: block ${r.index} has no offset/byte count (the IFD lists ${img.offsets.length}): corrupt`);
    // Signed or fractional tag types can hold any number: a negative offset would read from the end.
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || o < 0 || n < 0)
      throw new CorruptFile(`${url}: block ${r.index} has offset ${o} and byte count ${n}, not byte positions: corrupt`);
  }
  const sorted = [...refs].sort((a, b) => img.offsets[a.index]! - img.offsets[b.index]!);
  const runs: Run[] = [];
  for (const ref of sorted) {
    const o = img.offsets[ref.index]!;
    const e = o + img.counts[ref.index]!;
    const last = runs[runs.length - 1];
    if (last && o - last.end <= MAX_GAP && e - last.start <= MAX_RUN) {
      last.end = Math.max(last.end, e);
      last.blocks.push(ref);
    } else runs.push({ start: o, end: e, blocks: [ref] });
  }
  return runs;
}
