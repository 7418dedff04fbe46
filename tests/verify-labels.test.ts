/**
 * `verify` on a run with the reviewer's labels (estimate/labels.csv): the claim is judged on the
 * labelled points inside its zone. Expected values come from GDAL and numpy: the zone rasterised by
 * GDAL (pixel centres) on the class map's grid, the labelled points tallied by stratum inside it,
 * and the stratified estimator written out in numpy (area = A sum W_h p_h; variance with the finite
 * population correction; the restored fraction as a ratio of two such estimates). On the real
 * Brumadinho pair (a polygon over part of the clip) and on a SIMULATED Bayan Obo run whose sample is
 * labelled here with deliberate disagreements.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonResult, reewatch, reewatchSteps, sampleSiteSteps } from "./helpers/cli.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

const root = mkdtempSync(join(tmpdir(), "reewatch-verify-labels-"));
const brum = join(root, "brumadinho");
const annual = join(root, "bayan-obo");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Brumadinho's AOI and a polygon over its western half (EPSG:4326). */
const site = (key: string) => JSON.parse(readFileSync(`samples/sites/${key}.json`, "utf8"));
const WEST_HALF = (() => {
  const ring: number[][] = site("brumadinho").aoi.coordinates[0];
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mid = (w + e) / 2;
  return {
    type: "Polygon",
    coordinates: [
      [
        [w, s],
        [mid, s],
        [mid, n],
        [w, n],
        [w, s],
      ],
    ],
  };
})();

beforeAll(() => {
  reewatchSteps(sampleSiteSteps(root));
  labelAnnualSample();
}, 300_000);

/** The SIMULATED run's sample labelled by a made-up reviewer: the map class, but every fifth point given the next class. */
function labelAnnualSample(): void {
  const dir = join(annual, "estimate");
  const names = (JSON.parse(readFileSync(join(dir, "strata.json"), "utf8")) as { classes: { name: string }[] }).classes.map((c) => c.name);
  const rows = parse(readFileSync(join(dir, "sample.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  const filled = rows.map((r) => {
    const k = names.indexOf(r.stratum!);
    const ref = Number(r.id) % 5 === 0 ? names[(k + 1) % names.length]! : r.stratum!;
    return { ...r, reference_class: ref, labeller: "Test Reviewer", confidence: "high", stratum_shown: "false" };
  });
  writeFileSync(join(dir, "labels.csv"), stringify(filled, { header: true, record_delimiter: "\r\n" }));
}

interface Oracle {
  points: number;
  /** Per class (strata.json order): pixels in the zone, mapped km2, estimated km2, CI. */
  classes: { name: string; pixels: number; mapped: number; area: number; ci: [number, number] }[];
  /** Share of "disturbed or later" reference area that is "recovering or restored". */
  fraction: number;
}

/** The estimate inside a zone, from GDAL-read rasters and a plain CSV reader, in numpy. */
function oracle(run: string, zone: unknown): Oracle {
  return gdalPython<Oracle>(
    `import csv
from osgeo import ogr, osr
run, zone = sys.argv[1], sys.argv[2]
strata = json.load(open(f"{run}/estimate/strata.json"))
ds = gdal.Open(f"{run}/{strata['map']}")
m = ds.ReadAsArray()
gt = ds.GetGeoTransform()
mem = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
mem.SetGeoTransform(gt)
mem.SetProjection(ds.GetProjection())
src = osr.SpatialReference(); src.ImportFromEPSG(4326); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
dst = osr.SpatialReference(wkt=ds.GetProjection()); dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
g = ogr.CreateGeometryFromJson(zone)
g.Transform(osr.CoordinateTransformation(src, dst))
vds = ogr.GetDriverByName("Memory").CreateDataSource("z")
lyr = vds.CreateLayer("z", dst)
f = ogr.Feature(lyr.GetLayerDefn()); f.SetGeometry(g); lyr.CreateFeature(f)
gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1])
inzone = mem.ReadAsArray().astype(bool)
names = [c["name"] for c in strata["classes"]]
codes = [c["code"] for c in strata["classes"]]
N = np.array([np.count_nonzero(inzone & (m == c)) for c in codes], dtype=float)
n = np.zeros((len(names), len(names)))
points = 0
for r in csv.DictReader(open(f"{run}/estimate/labels.csv", newline="", encoding="utf-8")):
    col = int(np.floor((float(r["x"]) - gt[0]) / gt[1])); row = int(np.floor((float(r["y"]) - gt[3]) / gt[5]))
    if not inzone[row, col]: continue
    points += 1
    if r["reference_class"]: n[names.index(r["stratum"]), names.index(r["reference_class"])] += 1
A = N.sum() * strata["pixelAreaKm2"]
W = N / N.sum()
nh = n.sum(axis=1)
ok = nh > 0
out = []
for j, name in enumerate(names):
    p = np.where(ok, n[:, j] / np.where(ok, nh, 1), 0)
    share = (W * p).sum()
    fpc = np.where(N > 0, 1 - nh / np.where(N > 0, N, 1), 1)
    var = (np.where(nh > 1, fpc * W**2 * p * (1 - p) / np.where(nh > 1, nh - 1, 1), 0)).sum()
    se = A * np.sqrt(var)
    area = A * share
    out.append({"name": name, "pixels": int(N[j]), "mapped": float(N[j] * strata["pixelAreaKm2"]), "area": float(area), "ci": [float(max(0, area - 1.96 * se)), float(min(A, area + 1.96 * se))]})
ratio = float("nan")
if len(names) == 4:
    pw = lambda cols: (W * np.where(ok, n[:, cols].sum(axis=1) / np.where(ok, nh, 1), 0)).sum()
    ratio = float(pw([2, 3]) / pw([1, 2, 3]))
print(json.dumps({"points": points, "classes": out, "fraction": None if np.isnan(ratio) else ratio}))`,
    [run, JSON.stringify(zone)],
  );
}

function verify(run: string, claim: Record<string, unknown>): any {
  const path = join(root, `${claim.id}.json`);
  writeFileSync(path, JSON.stringify(claim));
  const r = reewatch(["verify", path, "--run", run, "--json"]);
  if (r.code) throw new Error(r.stderr);
  return jsonResult(r)[0];
}

describe.skipIf(!hasGdal)("verify judges a claim on the reviewer's labels inside its zone", () => {
  it("Brumadinho, a polygon over the western half: the Olofsson estimate from the points inside it", () => {
    const claim = {
      id: "brum-west",
      site: "brumadinho",
      zone: WEST_HALF,
      period: ["2019-01-14", "2019-01-30"],
      metric: "disturbed_area_km2",
      comparator: ">=",
      value: 0.5,
    };
    const rep = verify(brum, claim);
    const o = oracle(brum, WEST_HALF);
    const disturbed = o.classes.find((c) => c.name === "disturbed")!;
    expect(rep.labels.pointsInZone).toBe(o.points);
    expect(o.points).toBeGreaterThan(30);
    expect(rep.labels.pointsInZone + rep.labels.outsideZone).toBe(parse(readFileSync(join(brum, "estimate", "labels.csv"), "utf8")).length - 1);
    expect(rep.mappedValue).toBeCloseTo(disturbed.mapped, 5);
    expect(rep.measured.value).toBeCloseTo(disturbed.area, 5);
    expect(rep.measured.ci95[0]).toBeCloseTo(disturbed.ci[0], 5);
    expect(rep.measured.ci95[1]).toBeCloseTo(disturbed.ci[1], 5);
    for (const c of o.classes) expect(rep.labels.classes.find((k: { class: string }) => k.class === c.name).estimatedKm2).toBeCloseTo(c.area, 5);
    expect(rep.notes.join(" ")).toMatch(/Judged on the reviewer's labels \(estimate\/labels\.csv\)/);
    expect(rep.notes.join(" ")).toMatch(/The map shows .* km2 of "disturbed" in the zone; the labels estimate/);
  });

  it("SIMULATED Bayan Obo: restored area and restored fraction in the map's year come from the labels", () => {
    const aoi = site("bayan-obo").aoi;
    const claim = {
      id: "aoi-restored",
      site: "bayan-obo",
      zone: "AOI",
      period: ["2017-06-01", "2024-09-30"],
      metric: "restored_area_km2",
      comparator: ">=",
      value: 1,
    };
    const area = verify(annual, claim);
    const f = oracle(annual, aoi);
    const restored = f.classes.find((c) => c.name === "restored")!;
    expect(area.labels).toMatchObject({ blind: true, labellers: [{ name: "Test Reviewer" }], pointsInZone: f.points, noEstimate: null });
    expect(area.mappedValue).toBeCloseTo(restored.mapped, 5);
    // One boundary pixel of the AOI may fall differently (below): the estimate moves by at most that pixel's share.
    expect(Math.abs(area.measured.value - restored.area)).toBeLessThan(1e-3);
    expect(Math.abs(area.measured.ci95[1] - restored.ci[1])).toBeLessThan(1e-3);

    // A zone with a single sample point of a stratum has no variance for it: inconclusive, and the reason is given.
    const dump = verify(annual, JSON.parse(readFileSync("samples/claims/bayan-obo-north-dump-restored.json", "utf8")));
    expect(dump.verdict).toBe("inconclusive");
    expect(dump.labels.noEstimate).toMatch(/^inside the zone, stratum "stable" has 1 labelled point\(s\) of 1 drawn; at least 2 are needed for a variance$/);
    expect(dump.measured.value).toBeNull();

    const frac = verify(annual, JSON.parse(readFileSync("samples/claims/bayan-obo-restored-fraction.json", "utf8")));
    expect(frac.labels.pointsInZone).toBe(f.points);
    // The AOI's edge runs through pixel centres here: GDAL and reewatch may place one boundary pixel differently.
    for (const c of f.classes)
      expect(Math.abs(frac.labels.classes.find((k: { class: string }) => k.class === c.name).mappedKm2 - c.mapped)).toBeLessThanOrEqual(0.0144 + 1e-9);
    expect(Math.abs(frac.measured.value - f.fraction)).toBeLessThan(1e-4);
    expect(frac.measured.ci95[0]).toBeLessThanOrEqual(frac.measured.value);
    expect(frac.measured.ci95[1]).toBeGreaterThanOrEqual(frac.measured.value);
    const html = readFileSync(join(annual, "reports", "bayan-obo-restored-fraction", "report.zh.html"), "utf8");
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("参考标注");
    expect(html).toContain('id="error-matrix"');
  });

  it("a claim the labels do not answer is measured as before, and the report says why", () => {
    const rep = verify(annual, JSON.parse(readFileSync("samples/claims/bayan-obo-disturbed-area.json", "utf8")));
    expect(rep.labels).toBeUndefined();
    expect(rep.notes[0]).toMatch(/^estimate\/labels\.csv labels the 2024 map change\/class_2024\.tif; disturbed_area_km2 is not a class of that map/);
    expect(rep.notes.join(" ")).toContain("SIMULATED planted truth");
  });

  it("names the row of a label that is not a class of the map", () => {
    const p = join(annual, "estimate", "labels.csv");
    const good = readFileSync(p, "utf8");
    try {
      writeFileSync(p, good.replace(/,restored,Test Reviewer/, ",tailings,Test Reviewer"));
      const r = reewatch(["verify", "samples/claims/bayan-obo-restored-fraction.json", "--run", annual]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/labels\.csv row \d+: reference_class "tailings" is not a class of the map/);
    } finally {
      writeFileSync(p, good);
    }
  });
});
