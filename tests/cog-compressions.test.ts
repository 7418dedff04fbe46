/**
 * The TIFF reader on every compression users' COGs come with, checked against GDAL: real sample
 * bands (Sentinel-2 B04 uint16, SCL uint8, B04 / 10000 as float32, B04-B03-B02 as 8-bit RGB) written
 * by gdal_translate as COGs and tiled/stripped GTiffs with LZW, ZSTD, PackBits, LERC, deflate and
 * JPEG, with and without predictors, little- and big-endian, chunky and planar; read whole, as an
 * odd window crossing tile edges (with and without the block cache, so both predictor paths run)
 * and as the first overview, and compared with GDAL's ReadAsArray of the same file.
 * Lossless codecs must match exactly. JPEG is compared within a measured bound: see JPEG_BOUND.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptFile, UnsupportedFormat } from "../pipeline/src/errors.ts";
import { openGeoTiff } from "../pipeline/src/read/geotiff.ts";
import { BlockCache } from "../pipeline/src/read/tiff.ts";
import type { Samples } from "../pipeline/src/read/tiff-window.ts";
import { hasGdal, PYTHON } from "./helpers/gdal.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-compress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!hasGdal) console.warn("GDAL not found: skipped the compression checks against GDAL (tests/cog-compressions.test.ts)");

const S2 = join(import.meta.dirname, "../samples/sentinel2-l2a-29RKH-100m");

/**
 * JPEG against GDAL (libjpeg-turbo), measured on these samples: single-band and RGB-coded tiles
 * differ by at most 1 DN (geotiff.js's IDCT rounds differently from libjpeg's islow IDCT on a few
 * per cent of pixels); YCbCr tiles by at most 3 DN, because a 1 DN Y/Cb/Cr difference grows by the
 * colour conversion (R = Y + 1.402 Cr). Chroma upsampling and the conversion follow libjpeg exactly.
 */
const JPEG_BOUND = { gray: 1, ycbcr: 3 };

type Src = "u16" | "u8" | "f32" | "rgb";
interface Case {
  name: string;
  src: Src;
  driver: "COG" | "GTiff";
  co: string[];
  /** TIFF Compression tag value the file must carry. */
  code: number;
  /** Largest difference allowed from GDAL's pixels (0: lossless). */
  bound?: number;
  /** More gdal_translate arguments. */
  extra?: string[];
}

const TILED = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"];
const CASES: Case[] = [
  { name: "u16_cog_lzw_pred2", src: "u16", driver: "COG", co: ["COMPRESS=LZW", "PREDICTOR=YES"], code: 5 },
  { name: "u16_cog_zstd_pred2", src: "u16", driver: "COG", co: ["COMPRESS=ZSTD", "PREDICTOR=YES"], code: 50000 },
  { name: "u16_cog_deflate_pred2", src: "u16", driver: "COG", co: ["COMPRESS=DEFLATE", "PREDICTOR=YES"], code: 8 },
  { name: "u16_cog_lerc", src: "u16", driver: "COG", co: ["COMPRESS=LERC"], code: 34887 },
  { name: "u16_lzw", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=LZW"], code: 5 },
  { name: "u16_zstd", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=ZSTD"], code: 50000 },
  { name: "u16_packbits", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=PACKBITS"], code: 32773 },
  { name: "u16_lerc_zstd", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=LERC_ZSTD"], code: 34887 },
  { name: "u16_lzw_pred2_strips", src: "u16", driver: "GTiff", co: ["COMPRESS=LZW", "PREDICTOR=2", "BLOCKYSIZE=100"], code: 5 },
  { name: "u16_zstd_pred2_big_endian", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=ZSTD", "PREDICTOR=2", "ENDIANNESS=BIG"], code: 50000 },
  { name: "u16_lerc_deflate_big_endian", src: "u16", driver: "GTiff", co: [...TILED, "COMPRESS=LERC_DEFLATE", "ENDIANNESS=BIG"], code: 34887 },
  { name: "u8_cog_lzw_pred2", src: "u8", driver: "COG", co: ["COMPRESS=LZW", "PREDICTOR=YES", "BLOCKSIZE=256"], code: 5 },
  { name: "u8_cog_zstd", src: "u8", driver: "COG", co: ["COMPRESS=ZSTD", "BLOCKSIZE=256"], code: 50000 },
  { name: "u8_packbits", src: "u8", driver: "GTiff", co: [...TILED, "COMPRESS=PACKBITS"], code: 32773 },
  { name: "u8_lzw_strips", src: "u8", driver: "GTiff", co: ["COMPRESS=LZW", "BLOCKYSIZE=64"], code: 5 },
  { name: "u8_cog_jpeg", src: "u8", driver: "COG", co: ["COMPRESS=JPEG", "BLOCKSIZE=256"], code: 7, bound: JPEG_BOUND.gray },
  { name: "u8_jpeg_strips", src: "u8", driver: "GTiff", co: ["COMPRESS=JPEG", "BLOCKYSIZE=64"], code: 7, bound: JPEG_BOUND.gray },
  { name: "f32_cog_zstd_pred3", src: "f32", driver: "COG", co: ["COMPRESS=ZSTD", "PREDICTOR=YES"], code: 50000 },
  { name: "f32_cog_lerc", src: "f32", driver: "COG", co: ["COMPRESS=LERC"], code: 34887 },
  { name: "f32_lzw_pred2", src: "f32", driver: "GTiff", co: [...TILED, "COMPRESS=LZW", "PREDICTOR=2"], code: 5 },
  { name: "f32_lzw_pred3", src: "f32", driver: "GTiff", co: [...TILED, "COMPRESS=LZW", "PREDICTOR=3"], code: 5 },
  { name: "f32_packbits", src: "f32", driver: "GTiff", co: [...TILED, "COMPRESS=PACKBITS"], code: 32773 },
  { name: "f32_zstd_pred3_big_endian", src: "f32", driver: "GTiff", co: [...TILED, "COMPRESS=ZSTD", "PREDICTOR=3", "ENDIANNESS=BIG"], code: 50000 },
  { name: "rgb_lzw_pred2_chunky", src: "rgb", driver: "GTiff", co: [...TILED, "COMPRESS=LZW", "PREDICTOR=2", "INTERLEAVE=PIXEL"], code: 5 },
  { name: "rgb_zstd_planar", src: "rgb", driver: "GTiff", co: [...TILED, "COMPRESS=ZSTD", "INTERLEAVE=BAND"], code: 50000 },
  { name: "rgb_cog_jpeg_ycbcr", src: "rgb", driver: "COG", co: ["COMPRESS=JPEG"], code: 7, bound: JPEG_BOUND.ycbcr },
  { name: "rgb_jpeg_ycbcr", src: "rgb", driver: "GTiff", co: [...TILED, "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR"], code: 7, bound: JPEG_BOUND.ycbcr },
  { name: "rgb_jpeg_ycbcr_strips", src: "rgb", driver: "GTiff", co: ["COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", "BLOCKYSIZE=32"], code: 7, bound: JPEG_BOUND.ycbcr },
  {
    name: "rgb_jpeg_rgb",
    src: "rgb",
    driver: "GTiff",
    co: [...TILED, "COMPRESS=JPEG", "PHOTOMETRIC=RGB", "INTERLEAVE=PIXEL"],
    code: 7,
    bound: JPEG_BOUND.gray,
  },
];

// Sources, then each case written and read back by GDAL: the whole image, the odd window
// (x, y at 30 % / 20 % plus a few pixels, about half the size: crosses 256- and 512-pixel tile edges)
// and the first overview, as little-endian raw files.
const FIXTURES = `
import json, os, sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
out, s2, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
b04 = gdal.Open(os.path.join(s2, "B04.tif"))
srcs = {
  "u16": b04,
  "u8": gdal.Open(os.path.join(s2, "SCL.tif")),
  "f32": gdal.Translate("", b04, format="MEM", outputType=gdal.GDT_Float32, scaleParams=[[0, 10000, 0, 1]]),
  "rgb": gdal.Translate("", gdal.BuildVRT("", [os.path.join(s2, b + ".tif") for b in ("B04", "B03", "B02")], separate=True),
                        format="MEM", outputType=gdal.GDT_Byte, scaleParams=[[0, 3000, 0, 255]]),
}
def save(a, name):
    a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(out, name))
meta = {}
for c in cases:
    path = os.path.join(out, c["name"] + ".tif")
    gdal.Translate(path, srcs[c["src"]], options=c.get("extra", []), format=c["driver"], creationOptions=c["co"])
    d = gdal.Open(path)
    W, H, n = d.RasterXSize, d.RasterYSize, d.RasterCount
    win = [int(W * 0.3) + 1, int(H * 0.2) + 3, int(W * 0.5) + 1, int(H * 0.45) + 1]
    save(d.ReadAsArray().reshape(n, H, W), c["name"] + ".full.bin")
    save(d.ReadAsArray(*win).reshape(n, win[3], win[2]), c["name"] + ".win.bin")
    b1 = d.GetRasterBand(1)
    ov, ovCount = None, b1.GetOverviewCount()
    if ovCount:
        o = b1.GetOverview(0); ov = [o.XSize, o.YSize]
        save(o.ReadAsArray(), c["name"] + ".ov.bin")
    dtype = str(d.ReadAsArray(0, 0, 1, 1).dtype)
    meta[c["name"]] = {"width": W, "height": H, "bands": n, "win": win, "ov": ov, "ovCount": ovCount, "dtype": dtype,
                       "compression": d.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE")}
# Unsupported compressions: a real WebP file when this GDAL writes WebP, and JPEG 2000 patched into an uncompressed copy.
try:
    gdal.Translate(os.path.join(out, "webp.tif"), srcs["rgb"], format="GTiff", creationOptions=["TILED=YES", "COMPRESS=WEBP"])
    meta["webp"] = True
except Exception:
    meta["webp"] = False
gdal.Translate(os.path.join(out, "jp2k.tif"), srcs["u8"], format="GTiff")
import struct
buf = bytearray(open(os.path.join(out, "jp2k.tif"), "rb").read())
ifd = struct.unpack_from("<I", buf, 4)[0]
n = struct.unpack_from("<H", buf, ifd)[0]
for i in range(n):
    e = ifd + 2 + 12 * i
    if struct.unpack_from("<H", buf, e)[0] == 259: struct.pack_into("<H", buf, e + 8, 34712)
open(os.path.join(out, "jp2k.tif"), "wb").write(buf)
print(json.dumps(meta))
`;

interface Meta {
  width: number;
  height: number;
  bands: number;
  win: [number, number, number, number];
  ov: [number, number] | null;
  ovCount: number;
  dtype: string;
  compression: string;
}
let meta: Record<string, Meta> & { webp?: boolean } = {};

beforeAll(() => {
  if (!hasGdal) return;
  const r = spawnSync(PYTHON, ["-c", FIXTURES, dir, S2, JSON.stringify(CASES)], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`fixture script failed: ${r.stderr}`);
  meta = JSON.parse(r.stdout);
});

const CTORS: Record<string, { new (b: ArrayBuffer): Samples }> = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array };

/** GDAL's pixels of one band from a band-major raw file. */
function gdalBand(file: string, dtype: string, band: number, size: number): Samples {
  const buf = readFileSync(join(dir, file));
  const all = new CTORS[dtype]!(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return all.subarray(band * size, (band + 1) * size);
}

/** Largest |ours - GDAL| and how many pixels differ; NaN equals NaN. */
function compare(got: Samples, want: Samples): { max: number; differing: number } {
  expect(got.length).toBe(want.length);
  let max = 0;
  let differing = 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    differing++;
    max = Math.max(max, Math.abs(a - b));
  }
  return { max, differing };
}

function expectClose(got: Samples[], file: string, m: Meta, size: number, bound: number, label: string): void {
  for (let b = 0; b < m.bands; b++) {
    const { max, differing } = compare(got[b]!, gdalBand(file, m.dtype, b, size));
    if (bound === 0) expect(differing, `${label} band ${b}: ${differing} pixels differ (max ${max})`).toBe(0);
    else {
      console.log(`${label} band ${b}: ${differing} of ${size} pixels differ from GDAL, max ${max} DN`);
      expect(max, `${label} band ${b}`).toBeLessThanOrEqual(bound);
      // Most pixels match exactly: a wrong colour model or upsampling would differ almost everywhere.
      expect(differing / size, `${label} band ${b}`).toBeLessThan(0.2);
    }
  }
}

/** Seeded byte noise (a linear congruential generator's top bytes). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe.skipIf(!hasGdal)("compressions against GDAL", () => {
  it.each(CASES)("$name: whole image, odd window (fused and cached predictor paths), overview", async (c) => {
    const m = meta[c.name]!;
    const t = await openGeoTiff(join(dir, `${c.name}.tif`));
    try {
      expect(t.image.compression, `GDAL wrote ${m.compression}`).toBe(c.code);
      const bands = Array.from({ length: m.bands }, (_, i) => i);
      const whole = await t.read({ x: 0, y: 0, width: m.width, height: m.height }, bands);
      expectClose(whole, `${c.name}.full.bin`, m, m.width * m.height, c.bound ?? 0, `${c.name} whole`);
      const [x, y, width, height] = m.win;
      const win = { x, y, width, height };
      expectClose(await t.read(win, bands), `${c.name}.win.bin`, m, width * height, c.bound ?? 0, `${c.name} window`);
      t.file.blockCache = new BlockCache();
      expectClose(await t.read(win, bands), `${c.name}.win.bin`, m, width * height, c.bound ?? 0, `${c.name} cached window`);
      expect(t.overviews.length).toBe(m.ovCount);
      if (m.ov) {
        const ov = t.overviews[0]!;
        expect([ov.width, ov.height]).toEqual(m.ov);
        const got = await t.read({ x: 0, y: 0, width: ov.width, height: ov.height }, [0], ov);
        expectClose(got, `${c.name}.ov.bin`, { ...m, bands: 1 }, ov.width * ov.height, c.bound ?? 0, `${c.name} overview`);
      }
    } finally {
      await t.close();
    }
  });

  // Decoders meet damaged blocks too: each must end in an error, never in an endless loop, a huge
  // allocation or WASM heap bytes taken for pixels (geotiff.js's LZW, JPEG and ZSTD paths did all three).
  it.each([
    ["u16_lzw", "random", /: block 0: LZW code \d+ is not in the table \(\d+ entries\): corrupt$/],
    ["u16_zstd", "random", /: block 0 holds 0 bytes, expected 131072: corrupt$/],
    ["u8_cog_jpeg", "0xFF fill", /: block 0: JPEG data does not start with SOI and end with EOI: corrupt or truncated$/],
    ["u8_cog_jpeg", "frame header", /: block 0: JPEG frame 53504x256 with 1 components, expected 256x256 with 1: corrupt$/],
  ] as const)("%s with a damaged first block (%s): a one-line CorruptFile naming the file and the block", async (name, damage, message) => {
    const path = join(dir, `${name}-damaged.tif`);
    const buf = readFileSync(join(dir, `${name}.tif`));
    const t = await openGeoTiff(join(dir, `${name}.tif`));
    const [off, n] = [t.image.offsets[0]!, t.image.counts[0]!];
    await t.close();
    const block = buf.subarray(off, off + n);
    if (damage === "random") block.set(noise(n - 4, 12345), 4);
    else if (damage === "0xFF fill") block.fill(0xff, 4);
    else block[block.findIndex((v, i) => v === 0xff && block[i + 1] === 0xc0) + 7] = 0xd1; // frame width 256 -> 53504
    writeFileSync(path, buf);
    const u = await openGeoTiff(path);
    try {
      const err = await u.read({ x: 0, y: 0, width: 10, height: 10 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptFile);
      expect((err as Error).message.startsWith(`${path}: block 0`)).toBe(true);
      expect((err as Error).message).toMatch(message);
    } finally {
      await u.close();
    }
  });

  it("unsupported compressions fail at open with a one-line UnsupportedFormat naming the file and the compression", async () => {
    const jp2k = join(dir, "jp2k.tif");
    await expect(openGeoTiff(jp2k)).rejects.toThrow(UnsupportedFormat);
    await expect(openGeoTiff(jp2k)).rejects.toThrow(
      `${jp2k}: TIFF compression JPEG 2000 (34712) is not supported (none, LZW, JPEG, Deflate, PackBits, LERC, ZSTD are)`,
    );
    if (!meta.webp) console.warn("this GDAL cannot write WebP: checked the patched JPEG 2000 file only");
    else await expect(openGeoTiff(join(dir, "webp.tif"))).rejects.toThrow(/webp\.tif: TIFF compression WebP \(50001\) is not supported \([^)]*\)$/);
  });
});
