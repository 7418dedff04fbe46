/**
 * TIFF block decoders for every compression but deflate, and the table of compressions by name.
 * Why libraries here: ZSTD, PackBits, JPEG and LERC are each a format of their own (the JPEG
 * decoder alone is a thousand lines of Huffman coding and IDCT); geotiff.js keeps maintained,
 * widely used decoders for them, so we borrow those rather than keep second copies. ZSTD goes to
 * zstddec (the WASM zstd geotiff.js wraps) directly, so it decodes into a buffer of the block's
 * size: geotiff.js trusts the size in the frame header and on a corrupt one returns WASM heap bytes
 * as pixels. LZW is our own (tiff-lzw.ts says why). Deflate, what our own COGs and most others use,
 * stays on node:zlib in tiff-block.ts, in parallel on the thread pool; these run on the main thread.
 * Only the decoders' `decodeBlock` is called, never `decode` (which would also undo the
 * predictor): tiff-block.ts undoes the predictor exactly once, whatever the compression.
 */
import type { BaseDecoder } from "geotiff";
import type { ZSTDDecoder } from "zstddec";
import { CorruptFile, oneLine, ReewatchError, UnsupportedFormat } from "../errors.ts";
import type { TiffImage } from "./tiff.ts";
import type { BlockRef } from "./tiff-block.ts";
import { checkJpegBlock, ycbcrToRgb } from "./tiff-jpeg.ts";
import { lzwDecode } from "./tiff-lzw.ts";

/** TIFF tags the decoders need, by name. */
const Tag = { Photometric: 262, JpegTables: 347, YCbCrSubsampling: 530, LercParameters: 50674 } as const;
const YCBCR = 6;

interface Codec {
  name: string;
  /** We can decode it (deflate and none in tiff-block.ts, the others here). */
  decoded: boolean;
  /** libtiff applies the Predictor tag to it (LZW, deflate, ZSTD, LZMA); the others ignore the tag. */
  predicts: boolean;
}

const codec = (name: string, decoded: boolean, predicts = false): Codec => ({ name, decoded, predicts });

/** TIFF Compression (tag 259) values. */
const CODECS: Record<number, Codec> = {
  1: codec("none", true),
  2: codec("CCITT RLE", false),
  3: codec("CCITT Group 3 fax", false),
  4: codec("CCITT Group 4 fax", false),
  5: codec("LZW", true, true),
  6: codec("old-style JPEG", false),
  7: codec("JPEG", true),
  8: codec("Deflate", true, true),
  32773: codec("PackBits", true),
  32946: codec("Deflate", true, true),
  34712: codec("JPEG 2000", false),
  34887: codec("LERC", true),
  34925: codec("LZMA", false, true),
  50000: codec("ZSTD", true, true),
  50001: codec("WebP", false),
  50002: codec("JPEG XL", false),
  52546: codec("JPEG XL", false),
};

export const compressionName = (c: number): string => `${CODECS[c]?.name ?? "unknown"} (${c})`;

/** Whether libtiff (and so GDAL) undoes the Predictor tag for this compression. */
export const predictorApplies = (c: number): boolean => CODECS[c]?.predicts ?? false;

/** Deflate decodes on node:zlib in tiff-block.ts. */
export const isDeflate = (c: number): boolean => c === 8 || c === 32946;

/** Throws a one-line UnsupportedFormat for compressions (and colour models) we cannot decode. */
export function checkCompression(url: string, compression: number, tags: TiffImage["tags"]): void {
  if (!CODECS[compression]?.decoded) {
    const ok = new Set(Object.values(CODECS).flatMap((c) => (c.decoded ? [c.name] : [])));
    throw new UnsupportedFormat(`${url}: TIFF compression ${compressionName(compression)} is not supported (${[...ok].join(", ")} are)`);
  }
  const photometric = (tags.get(Tag.Photometric) as number[] | undefined)?.[0];
  if (photometric === YCBCR && compression !== 7)
    throw new UnsupportedFormat(`${url}: YCbCr pixels with compression ${compressionName(compression)} are not supported (only JPEG-compressed YCbCr is)`);
}

const decoders = new WeakMap<TiffImage, Promise<BaseDecoder>>();

/** One decoder per image: JPEG decoders parse the shared JPEGTables once. Loaded on first use. */
function decoderFor(img: TiffImage): Promise<BaseDecoder> {
  let d = decoders.get(img);
  if (!d) {
    const tables = img.tags.get(Tag.JpegTables);
    const params = {
      tileWidth: img.blockWidth,
      tileHeight: img.blockHeight,
      planarConfiguration: img.planar,
      bitsPerSample: img.bitsPerSample,
      predictor: 1,
      JPEGTables: Array.isArray(tables) ? Uint8Array.from(tables) : undefined,
      LercParameters: img.tags.get(Tag.LercParameters),
    };
    d = import("geotiff").then((g) => g.getDecoder(img.compression, params));
    decoders.set(img, d);
  }
  return d;
}

/**
 * Decoded block bytes in file byte order, predictor not undone, YCbCr JPEG as RGB. LERC too: libtiff
 * byte-swaps big-endian samples before LERC-encoding them, so the blob holds file-order values.
 */
export async function decodeBlock(url: string, img: TiffImage, bytes: Uint8Array, ref: BlockRef): Promise<Uint8Array> {
  let data: Uint8Array;
  try {
    data = await decodeWith(img, bytes, ref, `${url}: block ${ref.index}`);
  } catch (err) {
    if (err instanceof ReewatchError) throw err;
    throw new CorruptFile(`${url}: cannot decode ${compressionName(img.compression)} block ${ref.index} (${oneLine(err)}): corrupt or truncated`);
  }
  if (img.compression === 7 && (img.tags.get(Tag.Photometric) as number[] | undefined)?.[0] === YCBCR) {
    const sub = (img.tags.get(Tag.YCbCrSubsampling) as number[] | undefined) ?? [2, 2];
    // The whole JPEG frame: chroma upsampling at its last rows uses the frame's edge, as libjpeg does.
    ycbcrToRgb(data, img.blockWidth, Math.floor(data.byteLength / (img.blockWidth * 3)), sub[0]!, sub[1]!);
  }
  return data;
}

async function decodeWith(img: TiffImage, bytes: Uint8Array, ref: BlockRef, where: string): Promise<Uint8Array> {
  const samples = ref.plane < 0 ? img.samples : 1;
  // A whole block's bytes: an upper bound for what a block decodes to (a last strip holds fewer rows).
  // Capped by what the compressed bytes can expand to, so a corrupt header cannot make us allocate more.
  const capacity = Math.min(img.blockWidth * img.blockHeight * samples * (img.bitsPerSample / 8), bytes.length * (MAX_RATIO[img.compression] ?? 1) + 1024);
  if (img.compression === 5) return lzwDecode(bytes, capacity, where);
  if (img.compression === 50000) return (await zstdDecoder()).decode(bytes, capacity);
  if (img.compression === 7) {
    checkJpegBlock(bytes, img.blockWidth, img.blockHeight, samples, where);
    // The decoder allocates the whole frame before it reads the data.
    if (img.blockWidth * img.blockHeight * samples > capacity)
      throw new CorruptFile(`${where}: a ${img.blockWidth}x${img.blockHeight} JPEG frame cannot come from ${bytes.length} bytes: corrupt`);
  }
  const decoder = await decoderFor(img);
  return new Uint8Array(await decoder.decodeBlock(bytes.slice().buffer));
}

/**
 * Most bytes one compressed byte can decode to, for the decoders that allocate the block up front:
 * LZW emits at most a 4096-entry table's longest string (3840 bytes) per 9-bit code; ZSTD at most a
 * 128 KiB RLE block per 4-byte block header; JPEG needs at least one bit per 8x8 block (a
 * progressive DC scan), 6 blocks for 768 bytes of 2x2-subsampled YCbCr.
 */
const MAX_RATIO: Record<number, number> = { 5: 3414, 7: 1024, 50000: 32768 };

let zstd: Promise<ZSTDDecoder> | undefined;

/** The zstd WASM module, instantiated on first use. */
function zstdDecoder(): Promise<ZSTDDecoder> {
  zstd ??= import("zstddec").then(async ({ ZSTDDecoder }) => {
    const d = new ZSTDDecoder();
    await d.init();
    return d;
  });
  return zstd;
}
