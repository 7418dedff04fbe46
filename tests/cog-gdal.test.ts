/**
 * The COG writer checked by GDAL (the validator, gdalinfo, ReadAsArray with numpy references)
 * and by geotiff.js: structure, georeferencing, metadata, exact pixels, overview values.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromFile } from "geotiff";
import { afterAll, describe, expect, it } from "vitest";
import type { Grid } from "../pipeline/src/raster.ts";
import { writeCog } from "../pipeline/src/write/cog.ts";
import { gdalinfoJson, gdalPython, hasGdal, PYTHON } from "./helpers/gdal.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-cog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!hasGdal) console.warn("GDAL not found: skipped the COG checks against GDAL (tests/cog-gdal.test.ts)");

/** 1037 x 531: neither a multiple of the 512 tile nor even. */
const utm: Grid = { crs: "EPSG:32649", transform: [20, 0, 408540, 0, -20, 4632600], width: 1037, height: 531 };
const geo: Grid = { crs: "EPSG:4326", transform: [0.001, 0, 114.5, 0, -0.001, 25.3], width: 300, height: 200 };
const N = utm.width * utm.height;
/** The float test pattern, also written in numpy below: ((i * 7919) % 1000) / 1000 - 0.5, NaN where i % 11 == 3. */
const f32 = Float32Array.from({ length: N }, (_, i) => (i % 11 === 3 ? Number.NaN : ((i * 7919) % 1000) / 1000 - 0.5));
const NUMPY_F32 = `i=np.arange(${N}, dtype=np.int64); ref=((i*7919 % 1000)/1000.0 - 0.5).astype(np.float32); ref[i % 11 == 3]=np.nan; ref=ref.reshape(${utm.height},${utm.width})`;

/** Runs GDAL's COG validator with the leader/trailer check; returns its report. */
const validate = (f: string) =>
  execFileSync(PYTHON, ["-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", "--full-check=yes", f], { encoding: "utf8" });
const expectValid = (f: string) => {
  const out = validate(f);
  expect(out).toMatch(/is a valid cloud optimized GeoTIFF/);
  expect(out).not.toMatch(/warning/i);
};

async function geotiffJs(f: string): Promise<{ width: number; images: number; data: ArrayLike<number>[] }> {
  const tiff = await fromFile(f);
  try {
    const image = await tiff.getImage(0);
    const data = (await image.readRasters()) as unknown as ArrayLike<number>[];
    return { width: image.getWidth(), images: await tiff.getImageCount(), data };
  } finally {
    await tiff.close();
  }
}

describe.skipIf(!hasGdal)("COG writer against GDAL", () => {
  it("float32 with NaN on EPSG:32649, odd size: valid COG, tags, exact values, NaN-aware overview means", async () => {
    const f = join(dir, "f32.tif");
    await writeCog(f, utm, [f32], { bandDescriptions: ["ndvi"], metadata: { SIMULATED: "true", REEWATCH_PRODUCT: "ndvi" }, scale: [1], offset: [0] });
    expectValid(f);
    const info = gdalinfoJson(f);
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",32649\]\]$/);
    expect(info.geoTransform).toEqual([408540, 20, 0, 4632600, 0, -20]);
    expect(info.metadata[""]).toMatchObject({ AREA_OR_POINT: "Area", SIMULATED: "true", REEWATCH_PRODUCT: "ndvi" });
    expect(info.metadata.IMAGE_STRUCTURE).toEqual({ COMPRESSION: "DEFLATE", INTERLEAVE: "BAND", LAYOUT: "COG", PREDICTOR: "3" });
    const band = info.bands[0];
    expect([band.type, band.block, band.noDataValue, band.description, band.colorInterpretation]).toEqual(["Float32", [512, 512], "NaN", "ndvi", "Gray"]);
    expect(band.overviews.map((o: { size: number[] }) => o.size)).toEqual([
      [519, 266],
      [260, 133],
    ]);
    // numpy reference: NaN-aware 2x2 means; an odd last row/column is averaged on its own.
    const r = gdalPython<{ equal: boolean; ov: boolean[]; ov00: number }>(
      `d=gdal.Open(sys.argv[1]); b=d.GetRasterBand(1); a=b.ReadAsArray()
${NUMPY_F32}
def down(x):
    h,w=x.shape; p=np.pad(x.astype(np.float64), ((0,h%2),(0,w%2)), mode="edge")
    import warnings; warnings.simplefilter("ignore")
    return np.nanmean(p.reshape(p.shape[0]//2,2,p.shape[1]//2,2), axis=(1,3)).astype(np.float32)
o1=down(ref); o2=down(o1)
g1=b.GetOverview(0).ReadAsArray(); g2=b.GetOverview(1).ReadAsArray()
print(json.dumps({"equal": bool(np.array_equal(a, ref, equal_nan=True)), "ov": [bool(np.array_equal(g1, o1, equal_nan=True)), bool(np.array_equal(g2, o2, equal_nan=True))], "ov00": float(g1[0,0])}))`,
      [f],
    );
    expect(r.equal).toBe(true);
    expect(r.ov).toEqual([true, true]);
    // By hand: pixel 1037 (row 1, column 0) is NaN (1037 % 11 == 3), so overview (0,0) = mean of pixels 0, 1 and 1038.
    const v = (i: number) => Math.fround(((i * 7919) % 1000) / 1000 - 0.5);
    expect(r.ov00).toBe(Math.fround((v(0) + v(1) + v(1038)) / 3));
    const js = await geotiffJs(f);
    expect(js.images).toBe(3);
    expect(Array.from(js.data[0]!).every((x, i) => Object.is(x, f32[i]) || (Number.isNaN(x) && Number.isNaN(f32[i]!)))).toBe(true);
  });

  it("uint8 RGB and uint8 3-band (not RGB) on EPSG:4326", async () => {
    const n = geo.width * geo.height;
    const rgb = [0, 1, 2].map((k) => Uint8Array.from({ length: n }, (_, i) => ((i * (k + 3)) % 255) + 1));
    await writeCog(join(dir, "rgb.tif"), geo, rgb, { nodata: 0, bandDescriptions: ["red", "green", "blue"] });
    await writeCog(join(dir, "three.tif"), geo, rgb, { nodata: 0 });
    for (const f of ["rgb", "three"]) expectValid(join(dir, `${f}.tif`));
    const info = gdalinfoJson(join(dir, "rgb.tif"));
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",4326\]\]$/);
    expect(info.geoTransform).toEqual([114.5, 0.001, 0, 25.3, 0, -0.001]);
    expect(info.metadata.IMAGE_STRUCTURE).toMatchObject({ COMPRESSION: "DEFLATE", INTERLEAVE: "PIXEL", PREDICTOR: "2" });
    expect(info.bands.map((b: { colorInterpretation: string; noDataValue: number }) => [b.colorInterpretation, b.noDataValue])).toEqual([
      ["Red", 0],
      ["Green", 0],
      ["Blue", 0],
    ]);
    expect(gdalinfoJson(join(dir, "three.tif")).bands.map((b: { colorInterpretation: string }) => b.colorInterpretation)).toEqual([
      "Gray",
      "Undefined",
      "Undefined",
    ]);
    const ok = gdalPython<boolean[]>(
      `a=gdal.Open(sys.argv[1]).ReadAsArray(); i=np.arange(${n})
print(json.dumps([bool(np.array_equal(a[k].ravel(), (i*(k+3))%255+1)) for k in range(3)]))`,
      [join(dir, "three.tif")],
    );
    expect(ok).toEqual([true, true, true]);
    const js = await geotiffJs(join(dir, "rgb.tif"));
    expect(js.data.map((b, k) => Array.from(b).every((x, i) => x === rgb[k]![i]))).toEqual([true, true, true]);
  });

  it("uint16 and int16 with no-data: exact values, nearest overviews (top-left pixel of each 2x2)", async () => {
    const u16 = Uint16Array.from({ length: N }, (_, i) => (i * 37) % 60000);
    const i16 = Int16Array.from({ length: N }, (_, i) => ((i * 13) % 4000) - 2000);
    await writeCog(join(dir, "u16.tif"), utm, [u16], { nodata: 0 });
    await writeCog(join(dir, "i16.tif"), utm, [i16], { nodata: -32768 });
    for (const f of ["u16", "i16"]) expectValid(join(dir, `${f}.tif`));
    expect(gdalinfoJson(join(dir, "i16.tif")).bands[0]).toMatchObject({ type: "Int16", noDataValue: -32768 });
    const ok = gdalPython<boolean[]>(
      `du=gdal.Open(sys.argv[1]); di=gdal.Open(sys.argv[2]); i=np.arange(${N}, dtype=np.int64)
u=((i*37) % 60000).reshape(${utm.height},${utm.width}); s=(((i*13) % 4000) - 2000).reshape(${utm.height},${utm.width})
bu=du.GetRasterBand(1); bi=di.GetRasterBand(1)
print(json.dumps([bool(np.array_equal(bu.ReadAsArray(), u)), bool(np.array_equal(bi.ReadAsArray(), s)),
  bool(np.array_equal(bu.GetOverview(0).ReadAsArray(), u[::2, ::2])), bool(np.array_equal(bi.GetOverview(1).ReadAsArray(), s[::4, ::4])),
  bu.GetNoDataValue() == 0, du.GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE") == "2"]))`,
      [join(dir, "u16.tif"), join(dir, "i16.tif")],
    );
    expect(ok).toEqual([true, true, true, true, true, true]);
    expect(Array.from((await geotiffJs(join(dir, "i16.tif"))).data[0]!).slice(0, 4)).toEqual([-2000, -1987, -1974, -1961]);
  });

  it("multi-band float32 and uint16: pixel-interleaved predictors 3 and 2 decode exactly in GDAL", async () => {
    const n = geo.width * geo.height;
    const fb = [0, 1].map((k) => Float32Array.from({ length: n }, (_, i) => (i % 7 === k ? Number.NaN : Math.sin(i * (k + 1) * 0.001))));
    const ub = [0, 1, 2].map((k) => Uint16Array.from({ length: n }, (_, i) => (i * (k + 7)) % 65536));
    await writeCog(join(dir, "f2.tif"), geo, fb);
    await writeCog(join(dir, "u3.tif"), geo, ub, { nodata: 0 });
    for (const f of ["f2", "u3"]) expectValid(join(dir, `${f}.tif`));
    const ok = gdalPython<boolean[]>(
      `f=gdal.Open(sys.argv[1]).ReadAsArray().astype(np.float64); u=gdal.Open(sys.argv[2]).ReadAsArray(); i=np.arange(${n})
fr=[np.sin((i*(k+1)*0.001)).astype(np.float32) for k in range(2)]
for k in range(2): fr[k][i % 7 == k]=np.nan
print(json.dumps([bool(np.array_equal(f[k].ravel(), fr[k].astype(np.float64), equal_nan=True)) for k in range(2)] + [bool(np.array_equal(u[k].ravel(), (i*(k+7)) % 65536)) for k in range(3)]))`,
      [join(dir, "f2.tif"), join(dir, "u3.tif")],
    );
    expect(ok).toEqual([true, true, true, true, true]);
  });

  it("BigTIFF when forced, a rotated grid through ModelTransformation, band scale/offset, the full LZ77 strategy", async () => {
    const f = join(dir, "big.tif");
    await writeCog(f, utm, [f32], { bigtiff: "yes", scale: [0.5], offset: [-1] });
    expectValid(f);
    expect(execFileSync("head", ["-c", "4", f])[2]).toBe(43);
    const info = gdalinfoJson(f);
    expect([info.bands[0].scale, info.bands[0].offset]).toEqual([0.5, -1]);
    const rot = join(dir, "rot.tif");
    await writeCog(rot, { ...utm, transform: [20, 2, 408540, 1, -20, 4632600] }, [f32]);
    expectValid(rot);
    expect(gdalinfoJson(rot).geoTransform).toEqual([408540, 20, 2, 4632600, 1, -20]);
    const back = await geotiffJs(f);
    expect(back.data[0]![1000]).toBe(f32[1000]);
    const lz = join(dir, "lz77.tif");
    await writeCog(lz, utm, [f32], { strategy: "default", level: 4 });
    expectValid(lz);
    const same = gdalPython<boolean>(
      `${NUMPY_F32}
print(json.dumps(bool(np.array_equal(gdal.Open(sys.argv[1]).ReadAsArray(), ref, equal_nan=True))))`,
      [lz],
    );
    expect(same).toBe(true);
  });
});
