/**
 * The TIFF/GeoTIFF reader against GDAL: files GDAL writes in every layout we claim to read
 * (tiles/strips, chunky/planar, predictors 1-3, 8-64 bit, big-endian, BigTIFF, sparse tiles,
 * overviews, rotated transforms), compared pixel for pixel with GDAL's ReadAsArray of the same file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGdal, PYTHON } from "../../../tests/helpers/gdal.ts";
import { CorruptFile, OutsideBounds, UnsupportedFormat } from "../errors.ts";
import type { Window } from "../raster.ts";
import { openGeoTiff } from "./geotiff.ts";
import type { Samples } from "./tiff-window.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-geotiff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each case: name, numpy dtype, bands, driver, creation options. Data: seeded numpy noise plus a
// smooth ramp; the expected arrays are GDAL's ReadAsArray of the written file, saved as raw bytes.
const FIXTURES = `
import json, sys, os
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
out = sys.argv[1]
rng = np.random.RandomState(7)
W, H = 700, 500
cases = [
  ("u16_cog", "uint16", 1, "COG", ["COMPRESS=DEFLATE", "PREDICTOR=YES", "BLOCKSIZE=256"]),
  ("i16_pred2", "int16", 1, "GTiff", ["TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=DEFLATE", "PREDICTOR=2"]),
  ("f32_pred3", "float32", 1, "GTiff", ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=3"]),
  ("u8_strips_chunky", "uint8", 3, "GTiff", ["INTERLEAVE=PIXEL", "COMPRESS=DEFLATE", "PREDICTOR=2", "BLOCKYSIZE=7"]),
  ("u16_planar", "uint16", 3, "GTiff", ["INTERLEAVE=BAND", "TILED=YES", "COMPRESS=DEFLATE"]),
  ("u32_big_endian", "uint32", 1, "GTiff", ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "ENDIANNESS=BIG"]),
  ("f32_big_endian_pred3", "float32", 2, "GTiff", ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=3", "ENDIANNESS=BIG", "INTERLEAVE=PIXEL"]),
  ("f64_bigtiff_raw", "float64", 1, "GTiff", ["BIGTIFF=YES", "TILED=YES"]),
  ("i32_strips_raw", "int32", 1, "GTiff", ["BLOCKYSIZE=64"]),
]
types = {"uint8": gdal.GDT_Byte, "uint16": gdal.GDT_UInt16, "int16": gdal.GDT_Int16, "uint32": gdal.GDT_UInt32,
         "int32": gdal.GDT_Int32, "float32": gdal.GDT_Float32, "float64": gdal.GDT_Float64}
yy, xx = np.mgrid[0:H, 0:W]
meta = {}
for name, dt, nb, driver, co in cases:
    mem = gdal.GetDriverByName("MEM").Create("", W, H, nb, types[dt])
    mem.SetGeoTransform([500000, 10, 0, 4000000, 0, -10])
    mem.SetProjection("EPSG:32649")
    for b in range(nb):
        ramp = (xx * 3 + yy * 5 + b * 100)
        if dt.startswith("float"):
            a = (ramp / 7.0 + rng.normal(0, 50, (H, W))).astype(dt)
            a[10:20, 30:40] = np.nan
        else:
            info = np.iinfo(dt)
            a = np.clip(ramp + rng.randint(-40, 40, (H, W)), info.min, info.max).astype(dt)
            if dt.startswith("i"): a = (a - 1200).astype(dt)
        mem.GetRasterBand(b + 1).WriteArray(a)
    path = os.path.join(out, name + ".tif")
    gdal.Translate(path, mem, format=driver, creationOptions=co)
    d = gdal.Open(path)
    arr = d.ReadAsArray()
    arr = arr.reshape((nb, H, W))
    arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(out, name + ".bin"))
    meta[name] = {"dtype": dt, "bands": nb, "gt": list(d.GetGeoTransform()), "overviews": []}
    ovs = [d.GetRasterBand(1).GetOverview(i) for i in range(d.GetRasterBand(1).GetOverviewCount())]
    for i, ov in enumerate(ovs):
        ov.ReadAsArray().astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(out, f"{name}.ov{i}.bin"))
        meta[name]["overviews"].append([ov.XSize, ov.YSize])
# Sparse tiles: only the top-left tile is written; GDAL reads the others as nodata (7).
sp = gdal.GetDriverByName("GTiff").Create(os.path.join(out, "sparse.tif"), 512, 512, 1, gdal.GDT_UInt16,
    ["TILED=YES", "SPARSE_OK=TRUE", "COMPRESS=DEFLATE"])
sp.SetGeoTransform([0, 1, 0, 0, 0, -1]); sp.SetProjection("EPSG:3857")
sp.GetRasterBand(1).SetNoDataValue(7)
sp.GetRasterBand(1).WriteArray(np.full((256, 256), 300, dtype="uint16"))
sp = None
d = gdal.Open(os.path.join(out, "sparse.tif")); d.ReadAsArray().astype("<u2").tofile(os.path.join(out, "sparse.bin"))
meta["sparse"] = {"dtype": "uint16", "bands": 1, "gt": list(d.GetGeoTransform()), "overviews": []}
# Compression 32946 (the old deflate code): same file with the tag value patched in place.
import struct
src = open(os.path.join(out, "i16_pred2.tif"), "rb").read()
buf = bytearray(src)
ifd = struct.unpack_from("<I", buf, 4)[0]
while ifd:
    n = struct.unpack_from("<H", buf, ifd)[0]
    for i in range(n):
        e = ifd + 2 + 12 * i
        if struct.unpack_from("<H", buf, e)[0] == 259: struct.pack_into("<H", buf, e + 8, 32946)
    ifd = struct.unpack_from("<I", buf, ifd + 2 + 12 * n)[0]
open(os.path.join(out, "i16_32946.tif"), "wb").write(buf)
d = gdal.Open(os.path.join(out, "i16_32946.tif"))
assert d.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") == "DEFLATE"
d.ReadAsArray().reshape((1, H, W)).astype("<i2").tofile(os.path.join(out, "i16_32946.bin"))
meta["i16_32946"] = dict(meta["i16_pred2"])
# A rotated grid is stored as ModelTransformation.
rot = gdal.GetDriverByName("GTiff").Create(os.path.join(out, "rotated.tif"), 20, 10, 1, gdal.GDT_Byte)
rot.SetGeoTransform([1000, 8, 3, 2000, 2, -9]); rot.SetProjection("EPSG:32633"); rot = None
meta["rotated"] = {"gt": list(gdal.Open(os.path.join(out, "rotated.tif")).GetGeoTransform())}
# PixelIsPoint: GDAL stores the tie point at a pixel centre and reads back the corner geotransform.
pt = gdal.GetDriverByName("GTiff").Create(os.path.join(out, "point.tif"), 8, 6, 1, gdal.GDT_Byte)
pt.SetGeoTransform([300000, 30, 0, 4500000, 0, -30]); pt.SetProjection("EPSG:32650"); pt.SetMetadataItem("AREA_OR_POINT", "Point"); pt = None
meta["point"] = {"gt": list(gdal.Open(os.path.join(out, "point.tif")).GetGeoTransform())}
print(json.dumps(meta))
`;

interface Meta {
  dtype: string;
  bands: number;
  gt: number[];
  overviews: [number, number][];
}
const CTORS: Record<string, { new (b: ArrayBuffer): Samples }> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};
let meta: Record<string, Meta> = {};

beforeAll(() => {
  if (!hasGdal) return;
  const r = spawnSync(PYTHON, ["-c", FIXTURES, dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`fixture script failed: ${r.stderr}`);
  meta = JSON.parse(r.stdout);
});

function expected(file: string, dtype: string): Samples {
  const b = readFileSync(join(dir, file));
  return new CTORS[dtype]!(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** The `win` part of band `band` of a width x height x bands array. */
function cut(all: Samples, width: number, height: number, band: number, win: Window): number[] {
  const out: number[] = [];
  for (let y = win.y; y < win.y + win.height; y++) for (let x = win.x; x < win.x + win.width; x++) out.push(all[band * width * height + y * width + x]!);
  return out;
}

/** Equal, NaN matching NaN. */
function expectSame(got: Samples, want: number[], label: string): void {
  expect(got.length, label).toBe(want.length);
  let bad = -1;
  for (let i = 0; i < want.length && bad < 0; i++) if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) bad = i;
  expect(bad, `${label}: first mismatch at ${bad}: got ${got[bad]} want ${want[bad]}`).toBe(-1);
}

const WINDOWS: Window[] = [
  { x: 0, y: 0, width: 700, height: 500 },
  { x: 250, y: 120, width: 17, height: 301 },
  { x: 699, y: 499, width: 1, height: 1 },
  { x: 5, y: 497, width: 690, height: 3 },
];

describe.skipIf(!hasGdal)("GeoTIFF reader vs GDAL ReadAsArray", () => {
  if (!hasGdal) console.warn("GDAL not found: skipped the reader-vs-GDAL checks");
  const names = [
    "u16_cog",
    "i16_pred2",
    "f32_pred3",
    "u8_strips_chunky",
    "u16_planar",
    "u32_big_endian",
    "f32_big_endian_pred3",
    "f64_bigtiff_raw",
    "i32_strips_raw",
    "i16_32946",
  ];
  for (const name of names) {
    it(`${name}: every band, whole image and edge windows`, async () => {
      const m = meta[name]!;
      const all = expected(`${name}.bin`, m.dtype);
      const t = await openGeoTiff(join(dir, `${name}.tif`));
      try {
        expect(t.bandCount).toBe(m.bands);
        const [a, b, c, d, e, f] = m.gt;
        expect(t.grid).toEqual({ crs: "EPSG:32649", transform: [b, c, a, e, f, d], width: 700, height: 500 });
        for (const win of WINDOWS) {
          const bands = Array.from({ length: m.bands }, (_, i) => m.bands - 1 - i);
          const got = await t.read(win, bands);
          for (const [k, band] of bands.entries()) expectSame(got[k]!, cut(all, 700, 500, band, win), `${name} band ${band} ${JSON.stringify(win)}`);
        }
      } finally {
        await t.close();
      }
    });
  }

  it("reads COG overviews, the same pixels as GDAL's overview bands", async () => {
    const m = meta.u16_cog!;
    const t = await openGeoTiff(join(dir, "u16_cog.tif"));
    expect(t.overviews.map((o) => [o.width, o.height])).toEqual(m.overviews);
    for (const [i, ov] of t.overviews.entries()) {
      const [w, h] = m.overviews[i]!;
      const want = expected(`u16_cog.ov${i}.bin`, "uint16");
      const [got] = await t.read({ x: 0, y: 0, width: w, height: h }, [0], ov);
      expectSame(got!, Array.from(want), `overview ${i}`);
    }
    // The coarsest level whose pixels are no larger than asked for.
    expect(t.imageFor(10).width).toBe(700);
    expect(t.imageFor(25).width).toBe(m.overviews[0]![0]);
    expect(t.imageFor(1000).width).toBe(m.overviews[m.overviews.length - 1]![0]);
    await t.close();
  });

  it("fills sparse tiles (byte count 0) with the nodata value, as GDAL does", async () => {
    const t = await openGeoTiff(join(dir, "sparse.tif"));
    expect(t.image.counts.filter((c) => c === 0).length).toBe(3);
    expect(t.nodata).toBe(7);
    const [got] = await t.read({ x: 200, y: 200, width: 100, height: 100 });
    expectSame(got!, cut(expected("sparse.bin", "uint16"), 512, 512, 0, { x: 200, y: 200, width: 100, height: 100 }), "sparse");
    expect(got![0]).toBe(300);
    expect(got![99 * 100 + 99]).toBe(7);
    await t.close();
  });

  it("takes a rotated grid from ModelTransformation", async () => {
    const t = await openGeoTiff(join(dir, "rotated.tif"));
    const [a, b, c, d, e, f] = meta.rotated!.gt;
    expect(t.grid).toEqual({ crs: "EPSG:32633", transform: [b, c, a, e, f, d], width: 20, height: 10 });
    await t.close();
  });

  it("shifts a PixelIsPoint tie point to the corner, as GDAL does", async () => {
    const t = await openGeoTiff(join(dir, "point.tif"));
    const [a, b, c, d, e, f] = meta.point!.gt;
    expect(t.image.tags.get(34735)).toContain(1025); // GTRasterTypeGeoKey present
    expect(t.grid).toEqual({ crs: "EPSG:32650", transform: [b, c, a, e, f, d], width: 8, height: 6 });
    await t.close();
  });

  it("band descriptions, scale/offset, nodata and dataset metadata as gdalinfo reports them", async () => {
    const STACK = "samples/landsat8-brumadinho/georef/LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif";
    // Without -stats: gdalinfo -stats would write a .aux.xml beside the sample.
    const info = JSON.parse(execFileSync("gdalinfo", ["-json", STACK], { encoding: "utf8" }));
    const t = await openGeoTiff(STACK);
    const bands = info.bands as { description: string; scale: number; offset: number; noDataValue: number }[];
    expect(t.descriptions).toEqual(bands.map((b) => b.description));
    expect(t.scales).toEqual(bands.map((b) => b.scale));
    expect(t.offsets).toEqual(bands.map((b) => b.offset));
    expect(t.nodata).toBe(bands[0]!.noDataValue);
    expect(t.metadata.SOURCE_SCENE).toBe(info.metadata[""].SOURCE_SCENE);
    expect(t.metadata.SCALE_NOTE).toBe(info.metadata[""].SCALE_NOTE);
    await t.close();
  });

  it("refuses windows and bands outside the image", async () => {
    const t = await openGeoTiff(join(dir, "u16_planar.tif"));
    await expect(t.read({ x: 690, y: 0, width: 20, height: 5 })).rejects.toThrow(OutsideBounds);
    await expect(t.read({ x: 0, y: 0, width: 5, height: 5 }, [3])).rejects.toThrow(/band index 3 is outside 0..2/);
    await t.close();
  });
});

describe("bad files", () => {
  const B04 = "samples/sentinel2-l2a-29RKH-100m/B04.tif";
  it("a truncated TIFF is CorruptFile naming the file", async () => {
    const p = join(dir, "truncated.tif");
    writeFileSync(p, readFileSync(B04).subarray(0, 1000));
    const err = await openGeoTiff(p).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(CorruptFile);
    expect(err!.message).toContain(p);
    expect(err!.message).toMatch(/truncated/);
    expect(err!.message).not.toContain("\n");
  });

  it("a TIFF cut inside the tile data fails on read, naming the file", async () => {
    const p = join(dir, "cut-tiles.tif");
    const whole = readFileSync(B04);
    writeFileSync(p, whole.subarray(0, whole.byteLength - 500_000));
    const t = await openGeoTiff(p);
    await expect(t.read({ x: 0, y: 0, width: 1098, height: 1098 })).rejects.toThrow(CorruptFile);
    await expect(t.read({ x: 0, y: 0, width: 1098, height: 1098 })).rejects.toThrow(p);
    await t.close();
  });

  it("a text file named .tif is UnsupportedFormat", async () => {
    const p = join(dir, "notes.tif");
    writeFileSync(p, "these are not pixels\n");
    await expect(openGeoTiff(p)).rejects.toThrow(UnsupportedFormat);
    await expect(openGeoTiff(p)).rejects.toThrow(`${p}: not a TIFF file`);
  });

  it("an empty file is CorruptFile, a missing file names the path", async () => {
    const p = join(dir, "empty.tif");
    writeFileSync(p, "");
    await expect(openGeoTiff(p)).rejects.toThrow(CorruptFile);
    await expect(openGeoTiff(join(dir, "nope.tif"))).rejects.toThrow(/nope\.tif: cannot open \(no such file\)/);
  });

  it("corrupt deflate data is CorruptFile", async () => {
    const p = join(dir, "garbled.tif");
    const bytes = Buffer.from(readFileSync(B04));
    const t0 = await openGeoTiff(B04);
    const at = t0.image.offsets[0]!;
    await t0.close();
    bytes.fill(0x55, at, at + 64);
    writeFileSync(p, bytes);
    const t = await openGeoTiff(p);
    await expect(t.read({ x: 0, y: 0, width: 10, height: 10 })).rejects.toThrow(/cannot inflate block 0/);
    await t.close();
  });
});
