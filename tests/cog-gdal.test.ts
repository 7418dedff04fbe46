/** The COG writer checked by GDAL: validation, tags, exact pixel values, overview averages, BigTIFF. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Grid } from "../pipeline/src/raster.ts";
import { openGeoTiff } from "../pipeline/src/read/geotiff.ts";
import { CogWriter, writeCog } from "../pipeline/src/write/cog.ts";
import { gdalinfoJson, gdalPython, hasGdal, PYTHON } from "./helpers/gdal.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-cog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utm: Grid = {
  crs: "EPSG:32649",
  transform: [20, 0, 408540, 0, -20, 4632600],
  width: 1037,
  height: 531,
};
const validate = (f: string) =>
  execFileSync(PYTHON, ["-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", f], {
    encoding: "utf8",
  });

describe.skipIf(!hasGdal)("COG writer against GDAL", () => {
  it("float32 with NaN, odd size: valid COG, exact values, NaN-aware overview means", async () => {
    const n = utm.width * utm.height;
    const a = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    a[0] = Number.NaN; // pixel (0,0): overview pixel (0,0) averages the 3 others
    const f = join(dir, "f32.tif");
    await writeCog(f, utm, [a], { bandDescriptions: ["ndvi"], metadata: { SIMULATED: "true" } });
    expect(validate(f)).toMatch(/is a valid cloud optimized GeoTIFF/);
    const info = gdalinfoJson(f);
    expect(info.coordinateSystem.wkt).toContain('ID["EPSG",32649]');
    expect(info.geoTransform).toEqual([408540, 20, 0, 4632600, 0, -20]);
    expect(info.bands[0].block).toEqual([512, 512]);
    expect(info.bands[0].overviews.map((o: { size: number[] }) => o.size)).toEqual([
      [519, 266],
      [260, 133],
    ]);
    expect(info.metadata.IMAGE_STRUCTURE.COMPRESSION).toBe("DEFLATE");
    expect(info.metadata[""].SIMULATED).toBe("true");
    expect(info.bands[0].description).toBe("ndvi");
    const r = gdalPython<{ equal: boolean; ov: number }>(
      `d=gdal.Open(sys.argv[1]); a=d.ReadAsArray(); w=${utm.width}; h=${utm.height}
ref=((np.arange(w*h, dtype=np.int64)*7919 % 1000)/1000.0 - 0.5).astype(np.float32).reshape(h,w); ref[0,0]=np.nan
o=d.GetRasterBand(1).GetOverview(0).ReadAsArray()
print(json.dumps({"equal": bool(np.array_equal(a, ref, equal_nan=True)), "ov": float(o[0,0])}))`,
      [f],
    );
    expect(r.equal).toBe(true);
    // Overview (0,0) = mean of the three valid pixels (0,1), (1,0), (1,1), computed here from the formula.
    const v = (i: number) => Math.fround(((i * 7919) % 1000) / 1000 - 0.5);
    expect(r.ov).toBeCloseTo((v(1) + v(utm.width) + v(utm.width + 1)) / 3, 6);
  });

  it("uint8 RGB, uint16 and int16 rasters, and an EPSG:4326 grid", async () => {
    const geo: Grid = {
      crs: "EPSG:4326",
      transform: [0.001, 0, 114.5, 0, -0.001, 25.3],
      width: 300,
      height: 200,
    };
    const n = geo.width * geo.height;
    const rgb = [0, 1, 2].map((k) => Uint8Array.from({ length: n }, (_, i) => ((i * (k + 3)) % 255) + 1));
    await writeCog(join(dir, "rgb.tif"), geo, rgb, { nodata: 0 });
    await writeCog(join(dir, "u16.tif"), utm, [Uint16Array.from({ length: utm.width * utm.height }, (_, i) => i % 60000)], { nodata: 0 });
    await writeCog(join(dir, "i16.tif"), utm, [Int16Array.from({ length: utm.width * utm.height }, (_, i) => (i % 4000) - 2000)], { nodata: -32768 });
    for (const f of ["rgb", "u16", "i16"]) expect(validate(join(dir, `${f}.tif`))).toMatch(/valid cloud optimized/);
    expect(gdalinfoJson(join(dir, "rgb.tif")).coordinateSystem.wkt).toContain('ID["EPSG",4326]');
    const ok = gdalPython<boolean[]>(
      `
a=gdal.Open(sys.argv[1]).ReadAsArray(); b=gdal.Open(sys.argv[2]).ReadAsArray(); dc=gdal.Open(sys.argv[3]); c=dc.ReadAsArray()
i=np.arange(300*200); i2=np.arange(${utm.width * utm.height})
print(json.dumps([bool(np.array_equal(a[k].ravel(), (i*(k+3))%255+1)) for k in range(3)] + [bool(np.array_equal(b.ravel(), i2 % 60000)), bool(np.array_equal(c.ravel(), (i2 % 4000) - 2000)), dc.GetRasterBand(1).GetNoDataValue() == -32768]))`,
      [join(dir, "rgb.tif"), join(dir, "u16.tif"), join(dir, "i16.tif")],
    );
    expect(ok).toEqual([true, true, true, true, true, true]);
  });

  it("writes BigTIFF when asked, and GDAL and our reader agree on it", async () => {
    const f = join(dir, "big.tif");
    const a = Float32Array.from({ length: utm.width * utm.height }, (_, i) => i);
    await writeCog(f, utm, [a], { bigtiff: "yes" });
    expect(validate(f)).toMatch(/valid cloud optimized/);
    expect(execFileSync("gdalinfo", [f], { encoding: "utf8" })).toContain("GTiff");
    const head = execFileSync("head", ["-c", "4", f]);
    expect([head[2], head[3]]).toEqual([43, 0]);
    const t = await openGeoTiff(f);
    const [back] = await t.read({ x: 1000, y: 500, width: 2, height: 1 });
    await t.close();
    expect(Array.from(back!)).toEqual([500 * utm.width + 1000, 500 * utm.width + 1001]);
  });
});

describe("COG writer errors leave nothing behind", () => {
  it("refuses rows out of order and removes its temporary files on abort", async () => {
    const w = await CogWriter.create(join(dir, "bad.tif"), utm, "float32", 1);
    await expect(w.writeRows(5, [new Float32Array(utm.width)])).rejects.toThrow(/rows must arrive in order \(expected row 0, got 5\)/);
    await expect(w.writeRows(0, [new Float32Array(utm.width), new Float32Array(utm.width)])).rejects.toThrow(/expected 1 band/);
    await expect(w.finish()).rejects.toThrow(/only 0 of 531 rows/);
    await w.abort();
    expect(readdirSync(dir).filter((f) => f.includes("bad"))).toEqual([]);
  });

  it("names an unwritable directory", async () => {
    await expect(CogWriter.create(join(dir, "missing", "x.tif"), utm, "uint8", 1)).rejects.toThrow(/x.tif: cannot write: directory .*missing does not exist \(ENOENT\)/);
  });
});
