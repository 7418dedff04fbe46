/**
 * `reewatch indices` end to end on the real samples, checked against GDAL and against index
 * values computed here by hand from the raw DNs (read with GDAL, not with our reader).
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reewatch } from "./helpers/cli.ts";
import { gdalinfoJson, gdalPython, hasGdal, PYTHON } from "./helpers/gdal.ts";

const S2_ITEM = "samples/sentinel2-l2a-29RKH-100m/S2A_29RKH_20200219_0_L2A.json";
const L8_STACK = "samples/landsat8-brumadinho/georef/LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif";
const L8_TAR = "samples/landsat8-brumadinho/original/LC08_L2SP_218074_20190130_20200829_02_T1-cropped.tar.gz";
const L8_CLOUDY = "samples/landsat8-c2l2-cloudy-5pct";

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "reewatch-indices-"));
  const r1 = reewatch(["indices", S2_ITEM, "--index", "ndvi,nbr,bsi,evi,tcw", "--out", out]);
  const r2 = reewatch(["indices", L8_STACK, L8_TAR, L8_CLOUDY, "--index", "ndvi,nbr,ndmi,savi", "--out", out]);
  if (r1.code || r2.code) throw new Error(`indices failed: ${r1.stderr} ${r2.stderr}`);
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const dn = (file: string, band: number, col: number, row: number) =>
  gdalPython<number>(`d=gdal.Open(sys.argv[1]); print(json.dumps(float(d.GetRasterBand(${band}).ReadAsArray(${col},${row},1,1)[0,0])))`, [file]);
const px = (file: string, col: number, row: number) =>
  gdalPython<number | null>(
    `d=gdal.Open(sys.argv[1]); v=float(d.GetRasterBand(1).ReadAsArray(${col},${row},1,1)[0,0]); print(json.dumps(None if v!=v else v))`,
    [file],
  );

describe.skipIf(!hasGdal)("indices COGs read by GDAL", () => {
  it("are valid COGs with the scene's CRS, geotransform and NaN nodata", () => {
    for (const [id, epsg, gt] of [
      ["S2A_29RKH_20200219_0_L2A", 32629, [199980, 100, 0, 2800020, 0, -100]],
      ["LC08_L2SP_218074_20190114_20200829_02_T1", 32623, [583485, 30, 0, -2222685, 0, -30]],
      // The tarball's TIFFs have no geotags: the grid comes from the MTL corners (pixel centres), 30 px east of the other crop.
      ["LC08_L2SP_218074_20190130_20200829_02_T1", 32623, [584385, 30, 0, -2222685, 0, -30]],
    ] as const) {
      const f = join(out, id, "ndvi.tif");
      const v = execFileSync(PYTHON, ["-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", f], {
        encoding: "utf8",
      });
      expect(v).toMatch(/is a valid cloud optimized GeoTIFF/);
      const info = gdalinfoJson(f);
      expect(info.coordinateSystem.wkt).toContain(`ID["EPSG",${epsg}]`);
      expect(info.geoTransform).toEqual(gt);
      expect(String(info.bands[0].noDataValue)).toBe("NaN");
    }
  });

  it("match NDVI/NBR computed by hand from Landsat DNs (SR = DN * 2.75e-5 - 0.2)", () => {
    const sr = (v: number) => v * 0.0000275 - 0.2;
    for (const [col, row] of [
      [0, 0],
      [123, 45],
      [399, 299],
      [200, 150],
    ] as const) {
      const red = sr(dn(L8_STACK, 3, col, row)); // band 3 = SR_B4
      const nir = sr(dn(L8_STACK, 4, col, row)); // band 4 = SR_B5
      const sw2 = sr(dn(L8_STACK, 6, col, row)); // band 6 = SR_B7
      const dir = join(out, "LC08_L2SP_218074_20190114_20200829_02_T1");
      expect(px(join(dir, "ndvi.tif"), col, row)).toBeCloseTo((nir - red) / (nir + red), 5);
      expect(px(join(dir, "nbr.tif"), col, row)).toBeCloseTo((nir - sw2) / (nir + sw2), 5);
      expect(px(join(dir, "savi.tif"), col, row)).toBeCloseTo((1.5 * (nir - red)) / (nir + red + 0.5), 5);
    }
  });

  it("reads the tarball on the MTL grid: a pixel matches the same ground point of the georef crop", () => {
    // Tarball crop (after) column c is georef-after column c; its own TIFF has no geotags.
    const red = dn(join("samples/landsat8-brumadinho/georef/LC08_L2SP_218074_20190130_20200829_02_T1_stack.tif"), 3, 10, 20) * 0.0000275 - 0.2;
    const nir = dn(join("samples/landsat8-brumadinho/georef/LC08_L2SP_218074_20190130_20200829_02_T1_stack.tif"), 4, 10, 20) * 0.0000275 - 0.2;
    expect(px(join(out, "LC08_L2SP_218074_20190130_20200829_02_T1", "ndvi.tif"), 10, 20)).toBeCloseTo((nir - red) / (nir + red), 5);
  });

  it("match Sentinel-2 indices by hand (baseline 02.14: SR = DN / 10000), 20 m bands on the 10 m grid", () => {
    const dir = "samples/sentinel2-l2a-29RKH-100m";
    for (const [col, row] of [
      [0, 0],
      [600, 300],
      [1097, 1097],
    ] as const) {
      const b = dn(`${dir}/B02.tif`, 1, col, row) / 1e4;
      const r = dn(`${dir}/B04.tif`, 1, col, row) / 1e4;
      const n = dn(`${dir}/B08.tif`, 1, col, row) / 1e4;
      // B11/B12 are at 200 m: the 100 m pixel (col, row) lies in 200 m pixel (col >> 1, row >> 1).
      const s1 = dn(`${dir}/B11.tif`, 1, col >> 1, row >> 1) / 1e4;
      const s2 = dn(`${dir}/B12.tif`, 1, col >> 1, row >> 1) / 1e4;
      const scl = dn(`${dir}/SCL.tif`, 1, col >> 1, row >> 1);
      const item = join(out, "S2A_29RKH_20200219_0_L2A");
      if ([0, 1, 3, 8, 9, 10].includes(scl)) {
        expect(px(join(item, "ndvi.tif"), col, row)).toBeNull();
        continue;
      }
      expect(px(join(item, "ndvi.tif"), col, row)).toBeCloseTo((n - r) / (n + r), 5);
      expect(px(join(item, "nbr.tif"), col, row)).toBeCloseTo((n - s2) / (n + s2), 5);
      expect(px(join(item, "bsi.tif"), col, row)).toBeCloseTo((s1 + r - (n + b)) / (s1 + r + (n + b)), 5);
      expect(px(join(item, "evi.tif"), col, row)).toBeCloseTo((2.5 * (n - r)) / (n + 6 * r - 7.5 * b + 1), 5);
    }
  });

  it("masks the cloudy Landsat scene exactly where QA_PIXEL bits 0-4 are set (numpy count)", () => {
    const qa = `${L8_CLOUDY}/LC08_L2SP_001062_20201031_20201106_02_T2_QA_PIXEL.TIF`;
    const expected = gdalPython<number>(`a=gdal.Open(sys.argv[1]).ReadAsArray().astype(np.uint32); print(json.dumps(float(((a & 0b11111) != 0).mean())))`, [
      qa,
    ]);
    const item = JSON.parse(readFileSync(join(out, "LC08_L2SP_001062_20201031_20201106_02_T2", "LC08_L2SP_001062_20201031_20201106_02_T2.json"), "utf8"));
    expect(item.properties["reewatch:masked_fraction"]).toBeCloseTo(expected, 5);
    const nan = gdalPython<number>(`a=gdal.Open(sys.argv[1]).ReadAsArray(); print(json.dumps(float(np.isnan(a).mean())))`, [
      join(out, "LC08_L2SP_001062_20201031_20201106_02_T2", "ndvi.tif"),
    ]);
    expect(nan).toBeGreaterThanOrEqual(expected - 1e-9);
  });
});

/** Files under `root` (not run.json) by relative path, with their SHA-256. */
function fileHashes(root: string): Map<string, string> {
  const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
  return new Map(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== "run.json")
      .map((e) => [join(e.parentPath, e.name).slice(root.length), sha(join(e.parentPath, e.name))] as const)
      .sort((a, b) => a[0].localeCompare(b[0])),
  );
}

describe("-j", () => {
  it("gives the same files when one scene is cut into columns for two threads as in one thread (DI, int16, odd strips)", () => {
    const dir = mkdtempSync(join(tmpdir(), "reewatch-columns-"));
    try {
      const args = ["indices", S2_ITEM, "--index", "ndvi,nbr,bsi,tcw,di", "--dtype", "int16", "--block-rows", "300", "--split-scene"];
      // the 1098-pixel-wide tile splits at pixel 1024: a column of 1024 and one of 74
      for (const j of ["1", "2"]) expect(reewatch([...args, "-j", j, "--out", join(dir, `j${j}`)]).code).toBe(0);
      const [one, two] = [fileHashes(join(dir, "j1")), fileHashes(join(dir, "j2"))];
      expect(one.size).toBe(8); // 5 indices, the mask, the item and the catalog
      expect([...one].filter(([f, h]) => two.get(f) !== h)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the same files with one scene at a time as with scenes side by side (the default, one per core)", () => {
    const dir = mkdtempSync(join(tmpdir(), "reewatch-j1-"));
    try {
      const r = reewatch(["indices", L8_STACK, L8_TAR, L8_CLOUDY, "--index", "ndvi,nbr,ndmi,savi", "-j", "1", "--out", dir]);
      expect(r.code, r.stderr).toBe(0);
      const files = (root: string) =>
        readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name !== "run.json" && e.parentPath !== root)
          .map((e) => join(e.parentPath, e.name).slice(root.length))
          .sort();
      const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
      const one = files(dir);
      expect(one.length).toBeGreaterThanOrEqual(3 * 6);
      for (const f of one) expect(sha(join(dir, f)), f).toBe(sha(join(out, f)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasGdal)("--dtype int16", () => {
  it("stores index / 1e-4 rounded, no-data -32768 where float32 has NaN, scale declared for GDAL and STAC (numpy comparison)", () => {
    const dir = mkdtempSync(join(tmpdir(), "reewatch-int16-"));
    try {
      const r = reewatch(["indices", L8_STACK, "--index", "ndvi,nbr", "--dtype", "int16", "--out", dir]);
      expect(r.code, r.stderr).toBe(0);
      const id = "LC08_L2SP_218074_20190114_20200829_02_T1";
      for (const index of ["ndvi", "nbr"]) {
        const [f32, i16] = [join(out, id, `${index}.tif`), join(dir, id, `${index}.tif`)];
        const info = gdalinfoJson(i16);
        expect([info.bands[0].type, info.bands[0].noDataValue, info.bands[0].scale, info.bands[0].offset]).toEqual(["Int16", -32768, 0.0001, 0]);
        // numpy on GDAL's reading of both files: same no-data pixels, and int16 = round(float / 1e-4) clamped to +-32767
        // (negative surface reflectance puts some NDVI far outside [-1, 1]); float32 rounding: one step at most.
        const cmp = gdalPython<{ sameNodata: boolean; maxSteps: number }>(
          "f=gdal.Open(sys.argv[1]).ReadAsArray().astype(np.float64); q=gdal.Open(sys.argv[2]).ReadAsArray().astype(np.float64); nd=q==-32768; " +
            "ok=~np.isnan(f); print(json.dumps({'sameNodata': bool((nd==np.isnan(f)).all()), 'maxSteps': float(np.abs(q[ok]-np.clip(np.round(f[ok]/1e-4),-32767,32767)).max())}))",
          [f32, i16],
        );
        expect(cmp.sameNodata).toBe(true);
        expect(cmp.maxSteps).toBeLessThanOrEqual(1);
        expect(statSync(i16).size).toBeLessThan(statSync(f32).size);
      }
      const item = JSON.parse(readFileSync(join(dir, id, `${id}.json`), "utf8"));
      expect(item.assets.ndvi["raster:bands"][0]).toMatchObject({ data_type: "int16", nodata: -32768, scale: 0.0001, offset: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("STAC and run records", () => {
  it("writes an item per scene with checksums that match the files, and a catalog and run.json", () => {
    const id = "LC08_L2SP_218074_20190114_20200829_02_T1";
    const item = JSON.parse(readFileSync(join(out, id, `${id}.json`), "utf8"));
    expect(item.stac_version).toBe("1.1.0");
    expect(item.properties["proj:code"]).toBe("EPSG:32623");
    expect(item.assets.ndvi.type).toBe("image/tiff; application=geotiff; profile=cloud-optimized");
    const sha = execFileSync("sha256sum", [join(out, id, "ndvi.tif")], { encoding: "utf8" }).split(" ")[0];
    expect(item.assets.ndvi["file:checksum"]).toBe(`1220${sha}`);
    expect(item.assets.ndvi["file:size"]).toBe(statSync(join(out, id, "ndvi.tif")).size);
    expect(item.properties["reewatch:simulated"]).toBe(false);
    const cat = JSON.parse(readFileSync(join(out, "catalog.json"), "utf8"));
    expect(cat.links.filter((l: { rel: string }) => l.rel === "item")).toHaveLength(4);
    const run = JSON.parse(readFileSync(join(out, id, "run.json"), "utf8"));
    expect(run.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.stages.map((s: { name: string }) => s.name)).toContain("indices");
  });

  it("skips finished work on a rerun with the same inputs and parameters", () => {
    const f = join(out, "S2A_29RKH_20200219_0_L2A", "ndvi.tif");
    const before = statSync(f).mtimeMs;
    const r = reewatch(["indices", S2_ITEM, "--index", "ndvi,nbr,bsi,evi,tcw", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/unchanged/);
    expect(statSync(f).mtimeMs).toBe(before);
  });
});

describe("bad input: one line naming the cause, non-zero exit, nothing written", () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      "truncated TIFF",
      () => {
        const d = mkdtempSync(join(tmpdir(), "rw-bad-"));
        const f = join(d, "LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif");
        writeFileSync(f, readFileSync(L8_STACK).subarray(0, 1000));
        return [f];
      },
      /truncated|corrupt/,
    ],
    [
      "non-TIFF",
      () => {
        const d = mkdtempSync(join(tmpdir(), "rw-bad-"));
        const f = join(d, "LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif");
        writeFileSync(f, "hello, not a tiff\n");
        return [f];
      },
      /not a TIFF/,
    ],
    [
      "missing band",
      () => {
        const d = mkdtempSync(join(tmpdir(), "rw-bad-"));
        for (const n of readdirSync(L8_CLOUDY)) if (!n.includes("SR_B5")) copyFileSync(join(L8_CLOUDY, n), join(d, n));
        return [d];
      },
      /SR_B5.*missing/,
    ],
    [
      "unknown sensor",
      () => {
        const d = mkdtempSync(join(tmpdir(), "rw-bad-"));
        const f = join(d, "mystery.tif");
        copyFileSync(L8_STACK, f);
        return [f];
      },
      /unknown sensor/,
    ],
    [
      "AOI that misses the scene",
      () => {
        const d = mkdtempSync(join(tmpdir(), "rw-bad-"));
        const aoi = join(d, "far.geojson");
        writeFileSync(
          aoi,
          JSON.stringify({
            type: "Polygon",
            coordinates: [
              [
                [10, 10],
                [10.1, 10],
                [10.1, 10.1],
                [10, 10.1],
                [10, 10],
              ],
            ],
          }),
        );
        return [L8_STACK, "--aoi", aoi];
      },
      /AOI does not overlap/,
    ],
    ["unknown index", () => [L8_STACK, "--index", "ndvi,foo"], /--index foo: unknown index/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, () => {
      const dest = mkdtempSync(join(tmpdir(), "rw-out-"));
      const r = reewatch(["indices", ...args(), "--out", dest]);
      expect(r.code).not.toBe(0);
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("npm warn"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      expect(readdirSync(dest)).toEqual([]);
    });
  }

  it("an unwritable output directory", () => {
    // Tests run as root, so permissions cannot make a directory unwritable: use a path under a regular file.
    const file = join(mkdtempSync(join(tmpdir(), "rw-file-")), "plain.txt");
    writeFileSync(file, "x");
    const r = reewatch(["indices", L8_STACK, "--out", join(file, "out")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/--out .*plain.txt\/out: cannot create the directory \(ENOTDIR\)/);
  });
});
