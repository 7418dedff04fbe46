/**
 * `reewatch recovery` on the BC 2006 wildfire composites (samples/landsat-annual-bc-wildfire-2002-
 * 2011; the worked example of docs/recovery.md): the metric COGs against values computed here by
 * hand from the DNs read with GDAL (not with our reader), the polygon mask against GDAL's
 * rasteriser, and bad input against one-line errors.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openGeoTiff, readWhole } from "../pipeline/src/read/geotiff.ts";
import { writeCog } from "../pipeline/src/write/cog.ts";
import { reewatch } from "./helpers/cli.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

const DIR = "samples/landsat-annual-bc-wildfire-2002-2011";
const SITE = `${DIR}/bc06_wildfire_restoration_site.geojson`;
const YEARS = [2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011];
const [D, R, T, P] = [2005, 2006, 5, 80];
const METRICS = ["y2r", "r80p", "yryr", "dir", "rri"] as const;

let root: string;
const out = (name: string) => join(root, name);
const run = (name: string, args: string[]) =>
  reewatch(["recovery", "--composites", DIR, "--disturbance-year", String(D), "--restoration-year", String(R), ...args, "--out", out(name)]);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reewatch-recovery-"));
  for (const [name, args] of [
    ["polygon", ["--polygon", SITE, "--historic", "2003-2005", "--index", "nbr,ndvi"]],
    ["pixel", ["--polygon", SITE, "--historic", "2003-2005", "--scale", "pixel"]],
    ["reference", ["--polygon", SITE, "--reference", `${DIR}/test_reference.geojson`, "--reference-years", "2003-2005", "--index", "ndvi"]],
    ["multi", ["--polygon", `${DIR}/test_multiple_polygons.geojson`, "--historic", "2002-2004", "--timestep", "4"]],
  ] as const) {
    const r = run(name, [...args]);
    if (r.code) throw new Error(`${name}: ${r.stderr}`);
  }
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// --- values by hand -----------------------------------------------------------------------------

/** The pixels the checks use, named after what they exercise (col, row on the 118 x 97 grid). */
const PIXELS = {
  recoversIn2011: [66, 48], // Y2R 5: reaches 0.8 target in the last year
  recoversIn2009: [42, 24],
  neverRecovers: [48, 36], // Y2R -9999 with a valid 2011
  fill2011: [60, 30], // 2011 all-zero fill: R80P, dIR, YrYr NaN; RRI from 2010 alone
  fillInYearR: [36, 24], // 2006 all-zero fill: dIR, YrYr, RRI NaN; Y2R still counted from 2006
  recoveredInYearR: [24, 30], // Y2R 0
  outside: [110, 5],
} as const;

interface Oracle {
  /** DN series per pixel: [year][band] (6 bands, 0-based blue..swir2). */
  dn: Record<string, number[][]>;
  /** GDAL-rasterised polygon (pixel centre inside) at the pixel, and the count over the grid. */
  inside: Record<string, boolean>;
  maskCount: number;
  /** Polygon-scale historic targets from numpy: median over 2003-2005 per pixel, then over the polygon. */
  target: { nbr: number; ndvi: number };
  /** Reference target of NDVI: per polygon median over years then pixels, then over the polygons. */
  refTarget: number;
}

/** Everything GDAL + numpy read, in one Python call. */
function oracle(): Oracle {
  return gdalPython<Oracle>(
    `
from osgeo import ogr
d, pixels = sys.argv[1], json.loads(sys.argv[2])
years = list(range(2002, 2012))
st = np.stack([gdal.Open(f"{d}/{y}.tif").ReadAsArray().astype(np.float64) for y in years])
fill = (st == 0).all(axis=1)
nir, red, sw2 = st[:, 3], st[:, 2], st[:, 5]
with np.errstate(all="ignore"):
    idx = {"nbr": np.where(fill, np.nan, (nir - sw2) / (nir + sw2)), "ndvi": np.where(fill, np.nan, (nir - red) / (nir + red))}
ref = gdal.Open(f"{d}/2005.tif")
def masks(path):
    out = []
    src = ogr.Open(path)  # keep the data source alive while its layer is used
    layer = src.GetLayer(0)
    for f in layer:
        mem = gdal.GetDriverByName("MEM").Create("", ref.RasterXSize, ref.RasterYSize, 1, gdal.GDT_Byte)
        mem.SetGeoTransform(ref.GetGeoTransform()); mem.SetProjection(ref.GetProjection())
        tmp = ogr.GetDriverByName("Memory").CreateDataSource("m"); l = tmp.CreateLayer("l", layer.GetSpatialRef())
        g = ogr.Feature(l.GetLayerDefn()); g.SetGeometry(f.GetGeometryRef().Clone()); l.CreateFeature(g)
        gdal.RasterizeLayer(mem, [1], l, burn_values=[1])
        out.append(mem.ReadAsArray().astype(bool))
    return out
site = masks(f"{d}/bc06_wildfire_restoration_site.geojson")[0]
hist = {k: np.nanmedian(v[1:4], axis=0) for k, v in idx.items()}
refs = masks(f"{d}/test_reference.geojson")
ref_t = float(np.median([np.nanmedian(hist["ndvi"][m]) for m in refs]))
print(json.dumps({
  "dn": {k: st[:, :, r, c].tolist() for k, (c, r) in pixels.items()},
  "inside": {k: bool(site[r, c]) for k, (c, r) in pixels.items()},
  "maskCount": int(site.sum()),
  "target": {k: float(np.nanmedian(v[site])) for k, v in hist.items()},
  "refTarget": ref_t,
}))`,
    [DIR, JSON.stringify(PIXELS)],
  );
}

/** The index of one year from its DNs, as float32 like the index products; all-zero bands = no data. */
const indexOf = (name: "nbr" | "ndvi", b: number[]) =>
  b.every((v) => v === 0) ? Number.NaN : Math.fround(name === "nbr" ? (b[3]! - b[5]!) / (b[3]! + b[5]!) : (b[3]! - b[2]!) / (b[3]! + b[2]!));

/** The five metrics written out longhand for a series x over YEARS. */
function byHand(x: number[], target: number, t = T) {
  const at = (y: number) => x[YEARS.indexOf(y)] ?? Number.NaN;
  const level = (P / 100) * target;
  let y2r = Number.NaN;
  const after = YEARS.filter((y) => y >= R && !Number.isNaN(at(y)));
  if (after.length) y2r = after.find((y) => at(y) >= level)! - R;
  if (after.length && Number.isNaN(y2r)) y2r = -9999;
  const last = [at(R + t - 1), at(R + t)].filter((v) => !Number.isNaN(v));
  return {
    y2r,
    r80p: at(R + t) / level,
    yryr: (at(R + t) - at(R)) / t,
    dir: at(R + t) - at(R),
    rri: last.length ? (Math.max(...last) - at(R)) / (at(D) - at(R)) : Number.NaN,
  };
}

async function cogAt(dir: string, metric: string, col: number, row: number): Promise<number[]> {
  const t = await openGeoTiff(join(dir, `${metric}.tif`));
  const bands = await t.read(
    { x: col, y: row, width: 1, height: 1 },
    t.descriptions.map((_, i) => i),
  );
  await t.close();
  return bands.map((b) => b[0]!);
}

function expectSame(got: number, want: number, label: string) {
  if (Number.isNaN(want)) expect(got, label).toBeNaN();
  else expect(got, label).toBeCloseTo(want, 5);
}

describe.skipIf(!hasGdal)("BC wildfire recovery metrics against values by hand (GDAL DNs)", () => {
  let o: Oracle;
  beforeAll(() => {
    o = oracle();
  });

  it("puts a pixel in the polygon when its centre is inside, as GDAL's rasteriser does", () => {
    const s = JSON.parse(readFileSync(join(out("polygon"), "summary.json"), "utf8"));
    expect(s.polygons[0].pixels).toBe(o.maskCount);
    expect(s.polygons[0].pixels_off_raster).toBeGreaterThan(0); // the site runs past the clip's east and south edges
    for (const [k, inside] of Object.entries(o.inside)) expect(inside, k).toBe(k !== "outside");
  });

  it("historic polygon target = median over 2003-2005, then over the polygon's pixels", () => {
    const s = JSON.parse(readFileSync(join(out("polygon"), "summary.json"), "utf8"));
    expect(s.polygons[0].indices.nbr.target.value).toBeCloseTo(o.target.nbr, 5);
    expect(s.polygons[0].indices.ndvi.target.value).toBeCloseTo(o.target.ndvi, 5);
  });

  it("every metric of every chosen pixel, NBR and NDVI bands, matches the definitions by hand", async () => {
    for (const [k, [col, row]] of Object.entries(PIXELS)) {
      for (const [b, name] of (["nbr", "ndvi"] as const).entries()) {
        const x = o.dn[k]!.map((dn) => indexOf(name, dn));
        const want = byHand(x, o.target[name]);
        for (const m of METRICS) {
          const got = (await cogAt(out("polygon"), m, col, row))[b]!;
          expectSame(got, k === "outside" ? Number.NaN : want[m], `${k} ${name} ${m}`);
        }
      }
    }
  });

  it("the chosen pixels exercise what they are named after", () => {
    const y2r = (k: keyof typeof PIXELS) =>
      byHand(
        o.dn[k]!.map((dn) => indexOf("nbr", dn)),
        o.target.nbr,
      );
    expect(y2r("recoversIn2011").y2r).toBe(5);
    expect(y2r("recoversIn2009").y2r).toBe(3);
    expect(y2r("neverRecovers").y2r).toBe(-9999);
    expect(y2r("neverRecovers").r80p).toBeLessThan(1);
    expect(y2r("fill2011").r80p).toBeNaN();
    expect(y2r("fill2011").rri).not.toBeNaN();
    expect(y2r("fillInYearR").dir).toBeNaN();
    expect(y2r("fillInYearR").y2r).toBeGreaterThan(0);
    expect(y2r("recoveredInYearR").y2r).toBe(0);
  });

  it("pixel scale: each pixel against its own median over 2003-2005", async () => {
    for (const k of ["recoversIn2011", "neverRecovers"] as const) {
      const [col, row] = PIXELS[k];
      const x = o.dn[k]!.map((dn) => indexOf("nbr", dn));
      const own = [x[1]!, x[2]!, x[3]!].sort((a, b) => a - b)[1]!;
      const want = byHand(x, own);
      for (const m of METRICS) expectSame((await cogAt(out("pixel"), m, col, row))[0]!, want[m], `${k} ${m}`);
    }
  });

  it("reference target = median over years, then each reference polygon's pixels, then polygons", async () => {
    const s = JSON.parse(readFileSync(join(out("reference"), "summary.json"), "utf8"));
    expect(s.polygons[0].indices.ndvi.target.value).toBeCloseTo(o.refTarget, 5);
    const [col, row] = PIXELS.recoversIn2011;
    const want = byHand(
      o.dn.recoversIn2011!.map((dn) => indexOf("ndvi", dn)),
      o.refTarget,
    );
    for (const m of METRICS) expectSame((await cogAt(out("reference"), m, col, row))[0]!, want[m], m);
  });

  it("writes one band per index, named after it, in the composites' grid", async () => {
    for (const m of METRICS) {
      const t = await openGeoTiff(join(out("polygon"), `${m}.tif`));
      expect(t.descriptions).toEqual(["nbr", "ndvi"]);
      expect(t.grid).toEqual({ crs: "EPSG:26910", transform: [10, 0, 492241, 0, -10, 5967885.3728], width: 118, height: 97 });
      await t.close();
    }
    const item = JSON.parse(readFileSync(join(out("polygon"), "recovery.json"), "utf8"));
    expect(Object.keys(item.assets).sort()).toEqual([...METRICS].sort());
    expect(item.assets.dir.description).toMatch(/pre minus post/);
  });
});

describe("several polygons", () => {
  it("summarises each polygon with its own historic target", () => {
    const s = JSON.parse(readFileSync(join(out("multi"), "summary.json"), "utf8"));
    expect(s.polygons).toHaveLength(5);
    const targets = s.polygons.map((p: any) => p.indices.nbr.target.value);
    expect(new Set(targets).size).toBe(5);
    for (const p of s.polygons) expect(p.pixels).toBeGreaterThan(100);
  });
});

describe("bad input: one-line error naming the file or flag, non-zero exit", () => {
  const oneLine = (r: { code: number; stderr: string }, pattern: RegExp) => {
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reewatch recovery: /);
    expect(lines[0]).toMatch(pattern);
  };

  it("a missing year", () => {
    const dir = out("gap");
    mkdirSync(dir);
    for (const y of YEARS.filter((y) => y !== 2007)) copyFileSync(`${DIR}/${y}.tif`, join(dir, `${y}.tif`));
    oneLine(
      reewatch([
        "recovery",
        "--composites",
        dir,
        "--polygon",
        SITE,
        "--disturbance-year",
        "2005",
        "--restoration-year",
        "2006",
        "--historic",
        "2003-2005",
        "--out",
        out("x1"),
      ]),
      /--composites .*gap: no composite for 2007/,
    );
  });

  it("bands without descriptions", async () => {
    const dir = out("nodesc");
    mkdirSync(dir);
    for (const y of YEARS) copyFileSync(`${DIR}/${y}.tif`, join(dir, `${y}.tif`));
    const t = await openGeoTiff(`${DIR}/2004.tif`);
    const bands = (await readWhole(`${DIR}/2004.tif`)) as Float32Array[];
    await writeCog(join(dir, "2004.tif"), t.grid!, bands, {});
    await t.close();
    oneLine(
      reewatch([
        "recovery",
        "--composites",
        dir,
        "--polygon",
        SITE,
        "--disturbance-year",
        "2005",
        "--restoration-year",
        "2006",
        "--historic",
        "2003-2005",
        "--out",
        out("x2"),
      ]),
      /nodesc\/2004\.tif: band 1 has no description/,
    );
  });

  it("a polygon outside the raster", () => {
    const fc = JSON.parse(readFileSync(`${DIR}/test_single_polygon.geojson`, "utf8"));
    fc.features[0].geometry.coordinates[0] = fc.features[0].geometry.coordinates[0].map(([x, y]: number[]) => [x! + 50_000, y]);
    const f = out("far.geojson");
    writeFileSync(f, JSON.stringify(fc));
    oneLine(run("x3", ["--polygon", f, "--historic", "2003-2005"]), /--polygon .*far\.geojson: polygon 1 has no pixel centre on the raster/);
  });

  it("flags that contradict each other or the series", () => {
    oneLine(
      run("x4", ["--polygon", SITE, "--historic", "2003-2005", "--reference", `${DIR}/test_reference.geojson`]),
      /--historic \/ --reference: give exactly one/,
    );
    oneLine(
      run("x5", ["--polygon", SITE, "--historic", "2003-2005", "--timestep", "6"]),
      /--timestep 6: restoration year 2006 \+ 6 = 2012 is not in the composites/,
    );
    oneLine(run("x6", ["--polygon", SITE, "--historic", "2003-2007"]), /--historic 2003-2007: the historic window must end by the disturbance year 2005/);
    oneLine(run("x7", ["--polygon", SITE, "--historic", "2003-2005", "--index", "nbr,nope"]), /--index nope: unknown index/);
  });
});
