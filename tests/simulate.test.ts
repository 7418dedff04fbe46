/**
 * `reewatch simulate` end to end: byte-identical reruns, DN encoding by hand on written pixels,
 * SCL files equal to the planted clouds, truth areas against independent rasterisations (GDAL),
 * reruns that keep complete scenes, and SIMULATED on every item and every file.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAoi, projectAoi } from "../pipeline/src/aoi/aoi.ts";
import { openScene } from "../pipeline/src/read/open-scene.ts";
import { synthesize } from "../pipeline/src/simulate/scene.ts";
import { planScenes } from "../pipeline/src/simulate/schedule.ts";
import { type SimulateResult, simulateSite } from "../pipeline/src/simulate/simulate.ts";
import { buildTruth } from "../pipeline/src/simulate/truth.ts";
import { ringSignedArea } from "../pipeline/src/site/checks.ts";
import { loadSite, type Site } from "../pipeline/src/site/site.ts";
import { reewatch } from "./helpers/cli.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

let root: string;
let site: Site;
let run: SimulateResult;
const out = () => join(root, "bo");
const YEARS: [number, number] = [2016, 2024];
const OPTS = { years: YEARS, seed: 3, resolution: 40, scenesPerYear: 2 };

const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
const sceneDirs = (dir: string) => readdirSync(dir).filter((d) => d.startsWith("S2A_SIM_"));
const item = (dir: string, id: string) => JSON.parse(readFileSync(join(dir, id, `${id}.json`), "utf8"));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "reewatch-simulate-"));
  site = await loadSite("bayan-obo");
  run = await simulateSite({ site, out: out(), ...OPTS });
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasGdal) console.warn("GDAL not found: skipped the GDAL checks of simulate outputs");

describe("reewatch simulate (CLI)", () => {
  it("is deterministic: the same seed gives the same bytes (with one thread or one per core), another seed other bytes", () => {
    const args = (dir: string, seed: string) => [
      "simulate",
      "--site",
      "ganzhou",
      "--years",
      "2021-2022",
      "--scenes-per-year",
      "3",
      "--resolution",
      "100",
      "--seed",
      seed,
      "--out",
      dir,
    ];
    for (const [d, s, jobs] of [
      ["a", "1", "2"],
      ["b", "1", "1"],
      ["c", "2", "2"],
    ] as const) {
      const r = reewatch([...args(join(root, d), s), "-j", jobs]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^SIMULATED 6 scenes for ganzhou 2021-2022/m);
    }
    const a = filesUnder(join(root, "a")).map((p) => p.slice(join(root, "a").length));
    expect(a.length).toBeGreaterThan(6 * 9);
    for (const rel of a) expect(sha(join(root, "b", rel)), rel).toBe(sha(join(root, "a", rel)));
    const red = (d: string) => new Set(sceneDirs(join(root, d)).map((s) => sha(join(root, d, s, "B04.tif"))));
    const other = red("c");
    expect([...red("a")].filter((h) => other.has(h))).toEqual([]);
    // Into a folder holding another seed's scenes: refused without --overwrite, replaced with it.
    const refused = reewatch(args(join(root, "a"), "2"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds 6 scene folder\(s\) of another simulation or plan .*use --overwrite/);
    expect(reewatch([...args(join(root, "a"), "2"), "--overwrite"]).code).toBe(0);
    for (const rel of filesUnder(join(root, "c")).map((p) => p.slice(join(root, "c").length)))
      expect(sha(join(root, "a", rel)), rel).toBe(sha(join(root, "c", rel)));
    expect(sceneDirs(join(root, "a"))).toEqual(sceneDirs(join(root, "c")));
  });

  it("refuses a real site and a backwards year range with one line", () => {
    const real = reewatch(["simulate", "--site", "brumadinho", "--out", join(root, "x")]);
    expect(real.code).toBe(2);
    expect(real.stderr.trim()).toMatch(/^reewatch simulate: --site brumadinho: not a simulated site/);
    expect(real.stderr.trim().split("\n")).toHaveLength(1);
    const back = reewatch(["simulate", "--site", "ganzhou", "--years", "2024-2016", "--out", join(root, "x")]);
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(/--years 2024-2016: expected YYYY-YYYY, first <= last/);
  });
});

describe("a simulated Bayan Obo stack", () => {
  it("writes every planned scene with the L2A band set at two resolutions and an Earth Search-like item", () => {
    expect(run.scenes).toHaveLength(18);
    for (const id of sceneDirs(out())) {
      const it = item(out(), id);
      expect(Object.keys(it.assets).sort()).toEqual(["blue", "green", "nir", "nir08", "red", "scl", "swir16", "swir22"]);
      expect(it.properties["proj:code"]).toBe("EPSG:32649");
      expect(it.properties["proj:shape"]).toEqual([run.grid.height, run.grid.width]);
      expect(it.properties["proj:transform"]).toEqual([...run.grid.transform]);
      expect(it.properties.datetime).toMatch(/^\d{4}-\d\d-\d\dT03:10:0\dZ$/);
      expect(it.assets.red["proj:transform"][0]).toBe(40);
      expect(it.assets.swir16["proj:transform"][0]).toBe(80);
      expect(it.assets.scl["proj:shape"]).toEqual([Math.ceil(run.grid.height / 2), Math.ceil(run.grid.width / 2)]);
      for (const a of Object.values<any>(it.assets)) expect(statSync(join(out(), id, a.href)).size).toBe(a["file:size"]);
      const pb = Number(it.properties["s2:processing_baseline"]);
      expect(pb >= 4).toBe(id.slice(-12, -4) >= "20220125");
      expect(it.assets.red["raster:bands"][0].offset).toBe(pb >= 4 ? -0.1 : 0);
    }
  });

  it.skipIf(!hasGdal)("encodes DN = round(reflectance x 10000) (+1000 from baseline 04.00) on written pixels, and the reader undoes it", async () => {
    const truth = buildTruth(
      site,
      run.grid,
      Array.from({ length: 9 }, (_, k) => 2016 + k),
      3,
    );
    const plan = planScenes(site, YEARS, 2, 3);
    for (const spec of [plan.find((p) => p.date >= "2022-01-25")!, plan.find((p) => p.date < "2022-01-25")!]) {
      const a = synthesize(site, truth, spec, (41.765 + 41.835) / 2);
      const i = [...a.fine[2]!.keys()].find((k) => k > 5000 && Number.isFinite(a.fine[2]![k]!))!;
      const [x, y] = [i % run.grid.width, Math.floor(i / run.grid.width)];
      const dn = gdalPython<number>("print(int(gdal.Open(sys.argv[1]).ReadAsArray()[int(sys.argv[3]), int(sys.argv[2])]))", [
        join(out(), spec.id, "B04.tif"),
        String(x),
        String(y),
      ]);
      const offset = spec.date >= "2022-01-25" ? 1000 : 0;
      expect(dn).toBe(Math.round(a.fine[2]![i]! * 10000) + offset);
      const scene = await openScene(join(out(), spec.id));
      const red = (await scene.readBands({ x, y, width: 1, height: 1 }, ["R"])).R![0]!;
      await scene.close();
      expect(red).toBeCloseTo((dn - offset) / 10000, 6);
      expect(Math.abs(red - a.fine[2]![i]!)).toBeLessThanOrEqual(0.5e-4 + 1e-7);
      // SCL on disk is the planted classification, pixel for pixel.
      const scl = gdalPython<number[]>("print(json.dumps(gdal.Open(sys.argv[1]).ReadAsArray().ravel().tolist()))", [join(out(), spec.id, "SCL.tif")]);
      expect(scl).toEqual([...a.scl]);
    }
  });

  it.skipIf(!hasGdal)("reports eo:cloud_cover as the share of SCL 8, 9 and 10 among data pixels (numpy count)", () => {
    for (const id of sceneDirs(out()).slice(0, 8)) {
      const pct = gdalPython<number>("a = gdal.Open(sys.argv[1]).ReadAsArray(); d = (a != 0).sum(); print(float(100.0 * np.isin(a, [8, 9, 10]).sum() / d))", [
        join(out(), id, "SCL.tif"),
      ]);
      expect(item(out(), id).properties["eo:cloud_cover"]).toBeCloseTo(pct, 3);
    }
  });
});

describe("the planted truth", () => {
  const summary = () => JSON.parse(readFileSync(join(out(), "truth", "truth.json"), "utf8"));

  it.skipIf(!hasGdal)("has zone and class areas equal to GDAL rasterisations x pixel area", () => {
    const s = summary();
    const px = 0.04 * 0.04;
    expect(s.pixelAreaKm2).toBeCloseTo(px, 12);
    const zones = site.zones.filter((z) => !z.outsideAoi);
    const counts = gdalPython<Record<string, number[]>>(
      `
from osgeo import ogr, osr
ds = gdal.Open(sys.argv[1]); et = ds.ReadAsArray()
feats = json.loads(sys.argv[2])
srs = osr.SpatialReference(); srs.ImportFromEPSG(4326); srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
out = {}
for name, geom in feats:
    mem = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(ds.GetGeoTransform()); mem.SetProjection(ds.GetProjection())
    vds = ogr.GetDriverByName("Memory").CreateDataSource(""); lyr = vds.CreateLayer("z", srs)
    f = ogr.Feature(lyr.GetLayerDefn()); f.SetGeometry(ogr.CreateGeometryFromJson(json.dumps(geom))); lyr.CreateFeature(f)
    gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1])
    m = mem.ReadAsArray() == 1
    out[name] = [int(m.sum())] + [int(((et == c) & m).sum()) for c in range(4)]
print(json.dumps(out))`,
      [join(out(), "truth", "event_type.tif"), JSON.stringify([["AOI", site.aoi], ...zones.map((z) => [z.name, z.geometry])])],
    );
    for (const z of zones) {
      const t = s.areas.zones[z.name];
      const [n, ...types] = counts[z.name]!;
      expect(Math.abs(t.pixels - n!) / n!, z.name).toBeLessThan(0.01);
      const byType = [t.eventTypeKm2.stable, t.eventTypeKm2.mining, t.eventTypeKm2.abandonment, t.eventTypeKm2.restoration];
      // Pixel-centre rasterisation by GDAL and by aoi.ts may split a boundary pixel differently: 1 % of the zone at most.
      for (const c of [1, 2, 3]) expect(Math.abs(byType[c]! / px - types[c]!), `${z.name} class ${c}`).toBeLessThanOrEqual(Math.max(1, 0.01 * n!));
    }
    const aoi = s.areas.AOI;
    const [, , mining, abandonment, restoration] = counts.AOI!;
    expect(aoi.eventTypeKm2.mining).toBeCloseTo(mining! * px, 6);
    expect(aoi.eventTypeKm2.abandonment).toBeCloseTo(abandonment! * px, 6);
    expect(aoi.eventTypeKm2.restoration).toBeCloseTo(restoration! * px, 6);
  });

  it("matches the zones' polygon areas (shoelace in UTM) and their planted cores", () => {
    const s = summary();
    for (const z of site.zones.filter((z) => !z.outsideAoi)) {
      const [poly] = projectAoi(parseAoi(z.geometry), "EPSG:32649");
      const km2 = ringSignedArea(poly![0]!) / 1e6;
      const t = s.areas.zones[z.name];
      expect(Math.abs(t.areaKm2 - km2) / km2, z.name).toBeLessThan(0.06);
      const ev = t.eventTypeKm2;
      const sum = ev.stable + ev.mining + ev.abandonment + ev.restoration;
      expect(sum).toBeCloseTo(t.areaKm2, 6);
      const core = z.simulation?.event === "stable" ? 1 : (z.simulation?.core ?? 0);
      expect(Math.abs(t.preExistingBareKm2 / t.areaKm2 - core), z.name).toBeLessThan(0.03);
    }
    const all = s.areas.AOI.areaKm2;
    const parts = s.areas.outsideZones.areaKm2 + Object.values<any>(s.areas.zones).reduce((a, z) => a + z.areaKm2, 0);
    expect(parts).toBeCloseTo(all, 6);
  });

  it("reaches each zone's declared outcome by the last year on at least 95 % of its event area", () => {
    const s = summary();
    const key = { complete: "complete", partial: "partial", failed: "notRecovered" } as const;
    for (const z of site.zones.filter((z) => z.simulation?.outcome && z.simulation.outcome !== "none")) {
      const t = s.areas.zones[z.name];
      const events = t.eventTypeKm2.mining + t.eventTypeKm2.abandonment + t.eventTypeKm2.restoration;
      expect(events, z.name).toBeGreaterThan(0);
      expect(t.recoveryKm2[key[z.simulation!.outcome as keyof typeof key]] / events, z.name).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe("reruns", () => {
  it("keep complete scenes, redo a missing one byte for byte and clear a cut-off run's leftovers", async () => {
    const again = await simulateSite({ site, out: out(), ...OPTS });
    expect(again.written).toBe(0);
    expect(again.kept).toBe(18);
    const id = sceneDirs(out())[5]!;
    const saved = join(root, "saved");
    cpSync(join(out(), id), saved, { recursive: true });
    rmSync(join(out(), id), { recursive: true });
    mkdirSync(join(out(), `.${id}.partial-99999`));
    const third = await simulateSite({ site, out: out(), ...OPTS });
    expect(third.written).toBe(1);
    for (const f of readdirSync(saved)) expect(sha(join(out(), id, f)), f).toBe(sha(join(saved, f)));
    expect(readdirSync(out()).filter((n) => n.startsWith("."))).toEqual([]);
    const other = await simulateSite({ site, out: join(root, "bo4"), ...OPTS, seed: 4 });
    expect(other.written).toBe(18);
    await expect(simulateSite({ site, out: join(root, "bo4"), ...OPTS, onStale: "refuse" })).rejects.toThrow(/of another simulation or plan/);
  });
});

describe("SIMULATED everywhere", () => {
  it("on every item, asset title and the truth documents", () => {
    for (const id of sceneDirs(out())) {
      const p = item(out(), id).properties;
      expect(p["reewatch:simulated"]).toBe(true);
      expect(p.title).toMatch(/^SIMULATED /);
      expect(p.description).toMatch(/^SIMULATED /);
      for (const a of Object.values<any>(item(out(), id).assets)) expect(a.title).toMatch(/^SIMULATED /);
    }
    const truth = JSON.parse(readFileSync(join(out(), "truth", "truth.json"), "utf8"));
    expect(truth.simulated).toBe(true);
    expect(truth.title).toMatch(/^SIMULATED /);
    const ti = JSON.parse(readFileSync(join(out(), "truth", "truth-item.json"), "utf8"));
    expect(ti.properties["reewatch:simulated"]).toBe(true);
    expect(ti.properties.title).toMatch(/^SIMULATED /);
  });

  it.skipIf(!hasGdal)("in the GDAL metadata of every COG (gdalinfo's reading)", () => {
    const tifs = filesUnder(out()).filter((p) => p.endsWith(".tif"));
    expect(tifs.length).toBe(18 * 8 + 4 + 9);
    const meta = gdalPython<string[]>("print(json.dumps([gdal.Open(p).GetMetadataItem('SIMULATED') for p in sys.argv[1:]]))", tifs);
    expect(meta.every((m) => m === "true")).toBe(true);
  });
});
