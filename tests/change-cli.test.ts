/**
 * `reewatch change` (and `reewatch recovery`) on composites users bring and on a reewatch run
 * directory: the BC wildfire folder checked against NBR computed by hand from GDAL-read DNs, and a
 * small SIMULATED run whose own change/ folder the command must reproduce.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disturbanceSegments, greatestDisturbance, LANDTRENDR_DEFAULTS, segment } from "../pipeline/src/change/segment.ts";
import { readWhole } from "../pipeline/src/read/geotiff.ts";
import { reewatch, reewatchSteps } from "./helpers/cli.ts";
import { gdalinfoJson, gdalPython, hasGdal, PYTHON } from "./helpers/gdal.ts";

const DIR = "samples/landsat-annual-bc-wildfire-2002-2011";
const YEARS = [2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011];

let root: string;
const out = (name: string) => join(root, name);
const band = async (path: string) => Array.from((await readWhole(path, [0]))[0]! as ArrayLike<number>);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reewatch-change-"));
  const steps: string[][] = [
    ["change", "--composites", DIR, "--index", "nbr", "--out", out("bc")],
    ["change", "--composites", DIR, "--index", "nbr", "--aoi", `${DIR}/test_single_polygon.geojson`, "--min-magnitude", "0.05", "--out", out("bc-aoi")],
    ["simulate", "--site", "ganzhou", "--years", "2016-2021", "--resolution", "100", "--out", out("sim")],
    ["run", "ganzhou", "--scenes", out("sim"), "--out", out("run")],
    ["change", "--composites", out("run"), "--index", "nbr", "--out", out("run-change")],
  ];
  reewatchSteps(steps);
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("on a folder of annual GeoTIFFs (BC wildfire)", () => {
  it("writes the change/ folder a site run writes, with STAC", () => {
    const item = JSON.parse(readFileSync(join(out("bc"), "change", "change.json"), "utf8"));
    const want = [
      "disturbance_year",
      "magnitude",
      "duration",
      "pre_value",
      "recovery_rate",
      "rmse",
      "segment_year",
      "segment_magnitude",
      "segment_duration",
      "ts_slope",
      "mk_p",
      ...YEARS.map((y) => `fitted_${y}`),
    ];
    expect(Object.keys(item.assets).sort()).toEqual(want.sort());
    expect(item.properties["reewatch:min_magnitude"]).toBe(0.15); // the site-run default
    expect(item.properties["reewatch:rules"]).toMatch(/pre minus post over that segment \(the dNBR sign convention/);
    const cat = JSON.parse(readFileSync(join(out("bc"), "catalog.json"), "utf8"));
    expect(cat.links.map((l: { href: string }) => l.href)).toContain("./change/collection.json");
    const run = JSON.parse(readFileSync(join(out("bc"), "run.json"), "utf8"));
    expect(run.inputs).toHaveLength(10);
  });

  it.skipIf(!hasGdal)("disturbance_year is a valid int16 COG with no-data 0 (GDAL)", () => {
    const f = join(out("bc"), "change", "disturbance_year.tif");
    expect(execFileSync(PYTHON, ["-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", f], { encoding: "utf8" })).toMatch(
      /is a valid cloud optimized GeoTIFF/,
    );
    const info = gdalinfoJson(f);
    expect(info.bands[0].type).toBe("Int16");
    expect(info.bands[0].noDataValue).toBe(0);
  });

  it.skipIf(!hasGdal)("matches NBR by hand from GDAL-read DNs: Theil-Sen slope, and the segmentation of that series", async () => {
    const pixels = [
      [60, 30],
      [42, 42],
      [66, 48],
      [20, 80],
    ];
    const dn = gdalPython<number[][][]>(
      `d, px = sys.argv[1], json.loads(sys.argv[2])
st = [gdal.Open(f"{d}/{y}.tif").ReadAsArray().astype(np.float64) for y in range(2002, 2012)]
print(json.dumps([[s[:, r, c].tolist() for s in st] for c, r in px]))`,
      [DIR, JSON.stringify(pixels)],
    );
    // Every band of the per-segment products at each pixel, as GDAL reads them: [product][pixel][band].
    const perSegment = gdalPython<number[][][]>(
      `d, px = sys.argv[1], json.loads(sys.argv[2])
out = []
for name in ["segment_year", "segment_magnitude", "segment_duration"]:
    a = gdal.Open(f"{d}/{name}.tif").ReadAsArray().astype(np.float64)
    out.append([[None if np.isnan(v) else v for v in a[:, r, c].tolist()] for c, r in px])
print(json.dumps(out))`,
      [join(out("bc"), "change"), JSON.stringify(pixels)],
    );
    const files = Object.fromEntries(
      await Promise.all(
        ["disturbance_year", "magnitude", "duration", "ts_slope", ...YEARS.map((y) => `fitted_${y}`)].map(async (n) => [
          n,
          await band(join(out("bc"), "change", `${n}.tif`)),
        ]),
      ),
    );
    for (const [p, [col, row]] of pixels.entries()) {
      const i = row! * 118 + col!;
      // NBR = (nir - swir2) / (nir + swir2), float32 like the index products; all-zero bands = no data
      const nbr = dn[p]!.map((b) => (b.every((v) => v === 0) ? Number.NaN : Math.fround((b[3]! - b[5]!) / (b[3]! + b[5]!))));
      const ok = YEARS.flatMap((y, k) => (Number.isNaN(nbr[k]!) ? [] : [[y, nbr[k]!] as const]));
      const slopes: number[] = [];
      for (let a = 0; a < ok.length; a++) for (let b = a + 1; b < ok.length; b++) slopes.push((ok[b]![1] - ok[a]![1]) / (ok[b]![0] - ok[a]![0]));
      slopes.sort((x, y) => x - y);
      const h = slopes.length >> 1;
      const sen = slopes.length % 2 ? slopes[h]! : (slopes[h - 1]! + slopes[h]!) / 2;
      expect(files.ts_slope[i], `slope ${col},${row}`).toBeCloseTo(sen, 6);
      // the segmentation of the same series, loss oriented positive (-NBR)
      const s = segment(
        ok.map((v) => v[0]),
        ok.map((v) => -v[1]),
      )!;
      const d = greatestDisturbance(s, 0.15);
      expect(files.disturbance_year[i], `year ${col},${row}`).toBe(d ? d.year : 0);
      if (d) {
        expect(files.magnitude[i]).toBeCloseTo(d.magnitude, 5);
        expect(files.duration[i]).toBe(d.duration);
      } else expect(files.magnitude[i]).toBeNaN();
      for (const [k, [y]] of ok.entries()) expect(files[`fitted_${y}`][i]).toBeCloseTo(-s.fitted[k]!, 5);
      // band k of the per-segment products = the (k+1)-th loss segment >= 0.15, no-data after the last
      const segs = disturbanceSegments(s, 0.15);
      const [sy, sm, sd] = perSegment.map((prod) => prod[p]!);
      expect(sy).toHaveLength(LANDTRENDR_DEFAULTS.maxSegments);
      for (let k = 0; k < LANDTRENDR_DEFAULTS.maxSegments; k++) {
        expect(sy![k], `segment ${k + 1} year at ${col},${row}`).toBe(segs[k]?.year ?? 0);
        expect(sd![k]).toBe(segs[k]?.duration ?? 0);
        if (segs[k]) expect(sm![k]).toBeCloseTo(segs[k]!.magnitude, 5);
        else expect(sm![k]).toBeNull();
      }
    }
    expect(
      perSegment[0]!.some((px) => px[0]! > 0),
      "at least one chosen pixel has a loss segment",
    ).toBe(true);
  });

  it.skipIf(!hasGdal)("--aoi: only pixels whose centre is inside the polygon are segmented (count as GDAL rasterises it)", async () => {
    const inside = gdalPython<number>(
      `from osgeo import ogr
d = sys.argv[1]
ref = gdal.Open(f"{d}/2005.tif")
mem = gdal.GetDriverByName("MEM").Create("", ref.RasterXSize, ref.RasterYSize, 1, gdal.GDT_Byte)
mem.SetGeoTransform(ref.GetGeoTransform()); mem.SetProjection(ref.GetProjection())
src = ogr.Open(f"{d}/test_single_polygon.geojson")
gdal.RasterizeLayer(mem, [1], src.GetLayer(0), burn_values=[1])
print(int(mem.ReadAsArray().sum()))`,
      [DIR],
    );
    const slope = await band(join(out("bc-aoi"), "change", "ts_slope.tif"));
    expect(slope.filter(Number.isFinite).length).toBe(inside);
    const item = JSON.parse(readFileSync(join(out("bc-aoi"), "change", "change.json"), "utf8"));
    expect(item.properties["reewatch:min_magnitude"]).toBe(0.05);
  });
});

describe("on a reewatch run directory (SIMULATED Ganzhou, 100 m, 2016-2021)", () => {
  it("reproduces the run's own disturbance, magnitude, duration and fit", async () => {
    for (const name of ["disturbance_year", "magnitude", "duration", "fitted_2016", "fitted_2021"]) {
      const a = await band(join(out("run"), "change", `${name}.tif`));
      const b = await band(join(out("run-change"), "change", `${name}.tif`));
      expect(b, name).toEqual(a);
    }
    const run = JSON.parse(readFileSync(join(out("run-change"), "run.json"), "utf8"));
    expect(run.parameters.layout).toBe("reewatch run");
    expect(run.parameters.minMagnitude).toBe(0.15); // the run's site value
  });

  it("recovery reads the run's NDVI composites and an EPSG:4326 polygon", () => {
    const site = JSON.parse(readFileSync(join(out("run"), "site.json"), "utf8"));
    const zone = site.zones.find((z: { name: string }) => z.name === "Lingbei hillside A");
    const f = out("hillside-a.geojson");
    writeFileSync(f, JSON.stringify({ type: "FeatureCollection", features: [{ type: "Feature", properties: { name: zone.name }, geometry: zone.geometry }] }));
    const r = reewatch([
      "recovery",
      "--composites",
      out("run"),
      "--polygon",
      f,
      "--disturbance-year",
      "2016",
      "--restoration-year",
      "2017",
      "--historic",
      "2016-2016",
      "--index",
      "ndvi",
      "--timestep",
      "3",
      "--out",
      out("run-recovery"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(out("run-recovery"), "summary.json"), "utf8"));
    expect(s.layout).toBe("reewatch run");
    expect(s.polygons[0].properties.name).toBe("Lingbei hillside A");
    expect(s.polygons[0].pixels).toBeGreaterThan(20);
    // the historic target of a one-year window is the polygon's median NDVI of that year
    expect(s.polygons[0].indices.ndvi.target.value).toBeCloseTo(s.polygons[0].indices.ndvi.median_by_year["2016"], 6);
  });

  it("names the missing index composite and exits non-zero", () => {
    const r = reewatch(["change", "--composites", out("run"), "--index", "evi", "--out", out("x")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^reewatch change: --composites .*run: the run has no evi composite for 2016/);
  });
});
