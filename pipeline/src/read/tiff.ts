/**
 * A small TIFF/BigTIFF reader for the GeoTIFFs and COGs reewatch writes and the ones users bring:
 * tiles or strips, predictors 1-3, chunky or planar samples, 8-64 bit types. Compressions: none and
 * deflate (inflated on libuv's thread pool in parallel, tiff-block.ts), LZW, ZSTD, PackBits, JPEG
 * (YCbCr or not) and LERC (tiff-decode.ts: geotiff.js's and zstddec's decoders, our own LZW).
 * Others (WebP, JPEG 2000, LZMA, ...) fail at open with an UnsupportedFormat naming the compression.
 * Transparency masks are skipped. Only the IFDs and the blocks a window needs are fetched,
 * neighbouring blocks merged into one read.
 */
import { CorruptFile, UnsupportedFormat } from "../errors.ts";
import type { Source } from "../source/source.ts";
import type { LazyBlock } from "./tiff-block.ts";
import { checkCompression, predictorApplies } from "./tiff-decode.ts";

export interface TiffImage {
  width: number;
  height: number;
  blockWidth: number;
  blockHeight: number;
  tiled: boolean;
  samples: number;
  bitsPerSample: number;
  /** 1 unsigned, 2 signed, 3 float. */
  sampleFormat: number;
  compression: number;
  predictor: number;
  /** 1 chunky (pixel-interleaved), 2 planar. */
  planar: number;
  offsets: number[];
  counts: number[];
  subfileType: number;
  tags: Map<number, number[] | string>;
}

export interface TiffFile {
  source: Source;
  little: boolean;
  big: boolean;
  images: TiffImage[];
  /** Optional cache of decoded blocks (servers re-read the same blocks for neighbouring tiles). */
  blockCache?: BlockCache;
}

/** Inflated blocks (un-predicted as reads need their rows) by image and block index, evicted oldest first past `maxBytes`. */
export class BlockCache {
  private readonly map = new Map<string, LazyBlock>();
  private bytes = 0;
  constructor(readonly maxBytes = 128 << 20) {}

  get(key: string): LazyBlock | undefined {
    return this.map.get(key);
  }

  set(key: string, v: LazyBlock): void {
    if (this.map.has(key)) return;
    this.map.set(key, v);
    this.bytes += v.byteLength;
    for (const [k, old] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= old.byteLength;
    }
  }
}

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4, // IFD: a 4-byte offset (without it a count of 5 read past its 5 bytes)
  16: 8,
  17: 8,
  18: 8,
};

export async function openTiff(source: Source, signal?: AbortSignal): Promise<TiffFile> {
  const size = await source.size(signal);
  const head = await source.fetch(0, Math.min(size, 65536), signal);
  if (head.byteLength < 8) throw new CorruptFile(`${source.url}: too short to be a TIFF (${head.byteLength} bytes)`);
  const bo = String.fromCharCode(head[0]!, head[1]!);
  if (bo !== "II" && bo !== "MM") throw new UnsupportedFormat(`${source.url}: not a TIFF file (no II/MM byte-order mark)`);
  const little = bo === "II";
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = dv.getUint16(2, little);
  if (magic !== 42 && magic !== 43) throw new UnsupportedFormat(`${source.url}: not a TIFF file (magic ${magic})`);
  const big = magic === 43;
  if (big && head.byteLength < 16) throw new CorruptFile(`${source.url}: too short to be a BigTIFF (${head.byteLength} bytes)`);
  let ifd = big ? Number(dv.getBigUint64(8, little)) : dv.getUint32(4, little);
  const file: TiffFile = { source, little, big, images: [] };
  // COG writers put every IFD in the first kilobytes: serve those reads from the first fetch.
  const bytesAt: ByteReader = (at, len) =>
    at + len <= head.byteLength ? Promise.resolve(head.subarray(at, at + len)) : fetchExact(source, at, len, size, signal);
  const seen = new Set<number>();
  while (ifd !== 0) {
    if (ifd >= size) throw new CorruptFile(`${source.url}: IFD offset ${ifd} is past the end of the file (${size} bytes): truncated or corrupt`);
    if (seen.has(ifd)) throw new CorruptFile(`${source.url}: IFD chain loops back to offset ${ifd}: corrupt`);
    seen.add(ifd);
    const { tags, next } = await readIfd(file, ifd, bytesAt);
    // Transparency masks (GDAL's 1-bit per-dataset masks, e.g. in JPEG COGs) are not read: skip them
    // rather than fail on their 1-bit samples or take a mask overview for a band overview.
    if (!isMask(tags)) file.images.push(imageFromTags(tags, source.url));
    ifd = next;
  }
  if (file.images.length === 0) throw new CorruptFile(`${source.url}: TIFF holds no image`);
  return file;
}

type ByteReader = (at: number, len: number) => Promise<Uint8Array>;

async function readIfd(f: TiffFile, at: number, bytesAt: ByteReader): Promise<{ tags: Map<number, number[] | string>; next: number }> {
  const entry = f.big ? 20 : 12;
  const countBytes = f.big ? 8 : 2;
  const head = await bytesAt(at, countBytes);
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const n = f.big ? Number(hv.getBigUint64(0, f.little)) : hv.getUint16(0, f.little);
  const body = await bytesAt(at + countBytes, n * entry + (f.big ? 8 : 4));
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const tags = new Map<number, number[] | string>();
  for (let i = 0; i < n; i++) {
    const p = i * entry;
    const tag = dv.getUint16(p, f.little);
    const type = dv.getUint16(p + 2, f.little);
    const count = f.big ? Number(dv.getBigUint64(p + 4, f.little)) : dv.getUint32(p + 4, f.little);
    const bytes = (TYPE_SIZE[type] ?? 1) * count;
    const inline = f.big ? 8 : 4;
    let vbuf: DataView;
    let vp: number;
    if (bytes <= inline) {
      vbuf = dv;
      vp = p + (f.big ? 12 : 8);
    } else {
      const off = f.big ? Number(dv.getBigUint64(p + 12, f.little)) : dv.getUint32(p + 8, f.little);
      const data = await bytesAt(off, bytes);
      vbuf = new DataView(data.buffer, data.byteOffset, data.byteLength);
      vp = 0;
    }
    tags.set(tag, decodeValues(vbuf, vp, type, count, f.little));
  }
  const np = n * entry;
  const next = f.big ? Number(dv.getBigUint64(np, f.little)) : dv.getUint32(np, f.little);
  return { tags, next };
}

async function fetchExact(src: Source, at: number, len: number, size: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (at + len > size) throw new CorruptFile(`${src.url}: needs bytes ${at}..${at + len} but the file has ${size}: truncated`);
  return src.fetch(at, len, signal);
}

function decodeValues(dv: DataView, p: number, type: number, count: number, le: boolean): number[] | string {
  if (type === 2) {
    let s = "";
    for (let i = 0; i < count; i++) {
      const c = dv.getUint8(p + i);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const size = TYPE_SIZE[type] ?? 1;
    const q = p + i * size;
    out[i] =
      type === 3
        ? dv.getUint16(q, le)
        : type === 4 || type === 13
          ? dv.getUint32(q, le)
          : type === 8
            ? dv.getInt16(q, le)
            : type === 9
              ? dv.getInt32(q, le)
              : type === 11
                ? dv.getFloat32(q, le)
                : type === 12
                  ? dv.getFloat64(q, le)
                  : type === 16 || type === 18
                    ? Number(dv.getBigUint64(q, le))
                    : type === 17
                      ? Number(dv.getBigInt64(q, le))
                      : type === 5
                        ? dv.getUint32(q, le) / dv.getUint32(q + 4, le)
                        : type === 10
                          ? dv.getInt32(q, le) / dv.getInt32(q + 4, le)
                          : type === 6
                            ? dv.getInt8(q)
                            : dv.getUint8(q);
  }
  return out;
}

/** NewSubfileType bit 2: the IFD is a transparency mask of another image. */
const isMask = (tags: Map<number, number[] | string>): boolean => {
  const type = tags.get(254);
  return Array.isArray(type) && ((type[0] ?? 0) & 4) !== 0;
};

function imageFromTags(tags: Map<number, number[] | string>, url: string): TiffImage {
  const num = (t: number, dflt?: number): number => {
    const v = tags.get(t);
    if (Array.isArray(v) && v.length) return v[0]!;
    if (dflt === undefined) throw new CorruptFile(`${url}: required TIFF tag ${t} is missing`);
    return dflt;
  };
  const arr = (t: number): number[] => {
    const v = tags.get(t);
    if (!Array.isArray(v)) throw new CorruptFile(`${url}: required TIFF tag ${t} is missing`);
    return v;
  };
  const width = num(256);
  const height = num(257);
  const tiled = tags.has(322);
  const blockWidth = tiled ? num(322) : width;
  const blockHeight = tiled ? num(323) : Math.min(num(278, height), height);
  const image: TiffImage = {
    width,
    height,
    blockWidth,
    blockHeight,
    tiled,
    samples: num(277, 1),
    bitsPerSample: num(258, 1),
    sampleFormat: num(339, 1),
    compression: num(259, 1),
    // As libtiff: only LZW, deflate and ZSTD apply the Predictor tag; other codecs ignore it.
    predictor: predictorApplies(num(259, 1)) ? num(317, 1) : 1,
    planar: num(284, 1),
    offsets: arr(tiled ? 324 : 273),
    counts: arr(tiled ? 325 : 279),
    subfileType: num(254, 0),
    tags,
  };
  checkCompression(url, image.compression, tags);
  if (![8, 16, 32, 64].includes(image.bitsPerSample)) throw new UnsupportedFormat(`${url}: ${image.bitsPerSample}-bit samples are not supported`);
  checkGeometry(image, url);
  return image;
}

/**
 * The largest block we decode, in bytes (1 GiB): far above any real block (a 10980-pixel square
 * float32 band in one strip is 482 MB), far below what a corrupt header can ask for (2^32-pixel tiles).
 */
const MAX_BLOCK_BYTES = 1 << 30;

/**
 * Sizes must be whole and positive: a zero block size makes the block loops of a window read
 * divide by zero and never end; fractional or negative ones (RATIONAL or SSHORT tags) make no sense.
 * A block's decoded size is capped: readers allocate it before the data can tell it is too large.
 */
function checkGeometry(img: TiffImage, url: string): void {
  const dims: [string, number][] = [
    ["width", img.width],
    ["height", img.height],
    ["block width", img.blockWidth],
    ["block height", img.blockHeight],
    ["samples per pixel", img.samples],
  ];
  for (const [what, v] of dims)
    if (!Number.isSafeInteger(v) || v < 1) throw new CorruptFile(`${url}: TIFF ${what} ${v} is not a positive whole number: corrupt`);
  const planes = img.planar === 2 ? 1 : img.samples;
  const bytes = img.blockWidth * img.blockHeight * planes * (img.bitsPerSample / 8);
  if (bytes > MAX_BLOCK_BYTES)
    throw new CorruptFile(
      `${url}: TIFF blocks of ${img.blockWidth}x${img.blockHeight} pixels (${bytes} bytes) are larger than the ${MAX_BLOCK_BYTES}-byte limit: corrupt`,
    );
}
