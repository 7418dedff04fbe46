/**
 * The SIMULATED sites end to end: simulate -> run -> verify, checked against the planted truth
 * read back from the truth rasters (independently of the pipeline's own classes).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAoi, projectAoi, rasterizeRings } from "../pipeline/src/aoi/aoi.ts";
import { openGeoTiff, readWhole } from "../pipeline/src/read/geotiff.ts";
import { ENDMEMBERS, mix } from "../pipeline/src/simulate/spectra.ts";
import { jsonResult, reewatch } from "./helpers/cli.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

const SITES = ["bayan-obo", "ganzhou"] as const;
let root: string;

const band = async (path: string) => (await readWhole(path, [0]))[0]!;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reewatch-sites-"));
  for (const s of SITES) {
    const sim = reewatch(["simulate", "--site", s, "--years", "2016-2024", "--resolution", "40", "--out", join(root, "sim", s)]);
    if (sim.code) throw new Error(sim.stderr);
    const run = reewatch(["run", s, "--scenes", join(root, "sim", s), "--out", join(root, "run", s)]);
    if (run.code) throw new Error(run.stderr);
  }
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Truth {
  eventYear: ArrayLike<number>;
  veg: Map<number, ArrayLike<number>>;
  width: number;
  pxKm2: number;
}

async function truthOf(site: string): Promise<Truth> {
  const dir = join(root, "sim", site, "truth");
  const eventYear = await band(join(dir, "event_year.tif"));
  const veg = new Map<number, ArrayLike<number>>();
  for (let y = 2016; y <= 2024; y++) veg.set(y, await band(join(dir, `veg_fraction_${y}.tif`)));
  const t = await openGeoTiff(join(dir, "event_year.tif"));
  const g = t.grid!;
  await t.close();
  return { eventYear, veg, width: g.width, pxKm2: (g.transform[0] * g.transform[0]) / 1e6 };
}

/** Share of the pre-event vegetation present in `year` (1 where there was no event). */
const share = (t: Truth, i: number, year: number) => {
  const e = t.eventYear[i]!;
  return !e || e > year ? 1 : t.veg.get(year)![i]! / t.veg.get(e - 1)![i]!;
};

describe.each(SITES)("SIMULATED site %s", (site) => {
  it("finds the disturbance year within 1 year for >= 90 % of truly disturbed pixels", async () => {
    const t = await truthOf(site);
    const found = await band(join(root, "run", site, "change", "disturbance_year.tif"));
    let n = 0;
    let ok = 0;
    for (let i = 0; i < t.eventYear.length; i++) {
      if (!t.eventYear[i]) continue;
      n++;
      if (Math.abs(found[i]! - t.eventYear[i]!) <= 1) ok++;
    }
    expect(n).toBeGreaterThan(500);
    expect(ok / n).toBeGreaterThanOrEqual(0.9);
  });

  it("estimates the restored area within 10 % of the planted truth", async () => {
    const t = await truthOf(site);
    let restored = 0;
    for (let i = 0; i < t.eventYear.length; i++) if (t.eventYear[i] && share(t, i, 2024) >= 0.8) restored++;
    const truthKm2 = restored * t.pxKm2;
    const est = JSON.parse(readFileSync(join(root, "run", site, "estimate", "estimate.json"), "utf8"));
    const r = est.estimate.classes.find((c: { class: string }) => c.class === "restored");
    expect(Math.abs(r.area - truthKm2) / truthKm2).toBeLessThan(0.1);
    expect(r.areaCi95[0]).toBeLessThan(r.area);
  });

  it("gives each example claim the verdict the truth calls for", async () => {
    const t = await truthOf(site);
    const siteJson = JSON.parse(readFileSync(join(root, "run", site, "site.json"), "utf8"));
    const grid = await openGeoTiff(join(root, "sim", site, "truth", "event_year.tif")).then(async (g) => {
      await g.close();
      return g.grid!;
    });
    const files = readdirSync("samples/claims").filter((f) => f.startsWith(site));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const claim = JSON.parse(readFileSync(join("samples/claims", f), "utf8"));
      const r = reewatch(["verify", join("samples/claims", f), "--run", join(root, "run", site), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const report = jsonResult(r)[0];
      expect(report.verdict, `${claim.id}: ${report.reason}`).toBe(claim.expected);
      if (report.verdict === "inconclusive") continue;
      const zoneDef = claim.zone === "AOI" ? siteJson.aoi : siteJson.zones.find((z: { name: string }) => z.name === claim.zone).geometry;
      const zone = rasterizeRings(projectAoi(parseAoi(zoneDef), grid.crs), grid, {
        x: 0,
        y: 0,
        width: grid.width,
        height: grid.height,
      });
      const [y0, y1] = [Number(claim.period[0].slice(0, 4)), Number(claim.period[1].slice(0, 4))];
      const truth = truthValue(claim.metric, t, zone, y0, y1, site);
      const holds = claim.comparator === ">=" ? truth >= claim.value : truth <= claim.value;
      expect(holds, `${claim.id}: truth ${truth} vs ${claim.comparator} ${claim.value}`).toBe(report.verdict === "supported");
      expect(readFileSync(join(root, "run", site, "reports", claim.id, "report.html"), "utf8")).toContain("SIMULATED DATA");
    }
  });

  it.skipIf(!hasGdal)("keeps every scene's NDVI, equal to NDVI by hand from the scene's DNs, masked where SCL says so (GDAL)", () => {
    const site_ = JSON.parse(readFileSync(join(root, "run", site, "site.json"), "utf8"));
    const kept = [...new Set(site_.maskOverrides.flatMap((o: { keepSclClasses?: number[] }) => o.keepSclClasses ?? []))];
    const maskedAlways = [0, 1, 3, 8, 9, 10].filter((c) => !kept.includes(c));
    const r = gdalPython<{ scenes: number; compared: number; maxErr: number; leaked: number; clearKept: number; clear: number; descriptionsOk: boolean }>(
      `
run, sim, year = sys.argv[1], sys.argv[2], sys.argv[3]
masked_always = json.loads(sys.argv[4])
stack = gdal.Open(f"{run}/observations/{year}/ndvi.tif")
scenes = json.load(open(f"{run}/observations/{year}/{year}.json"))["properties"]["reewatch:scenes"]
res = dict(scenes=len(scenes), compared=0, maxErr=0.0, leaked=0, clearKept=0, clear=0, descriptionsOk=stack.RasterCount == len(scenes))
for k, sc in enumerate(scenes):
    b = stack.GetRasterBand(k + 1)
    res["descriptionsOk"] &= b.GetDescription() == sc["datetime"]
    q = b.ReadAsArray()
    valid = q != b.GetNoDataValue()
    v = q * b.GetScale() + b.GetOffset()
    d = f"{sim}/{sc['id']}"
    item = json.load(open(f"{d}/{sc['id']}.json"))
    def sr(key):  # surface reflectance by the item's raster:bands scale/offset; DN 0 = no data
        a = item["assets"][key]; rb = a["raster:bands"][0]
        dn = gdal.Open(f"{d}/{a['href'][2:]}").ReadAsArray().astype(np.float64)
        return np.where(dn == 0, np.nan, dn * rb["scale"] + rb["offset"])
    red, nir = sr("red"), sr("nir")
    ndvi = (nir - red) / (nir + red)
    scl = gdal.Open(f"{d}/{item['assets']['scl']['href'][2:]}").ReadAsArray()
    # SCL comes at 20 m beside 10 m bands: nearest upsampling by the (whole) size ratio.
    f = red.shape[0] // scl.shape[0]
    scl = np.repeat(np.repeat(scl, f, axis=0), f, axis=1)[: red.shape[0], : red.shape[1]]
    both = valid & np.isfinite(ndvi)
    res["compared"] += int(both.sum())
    if both.any(): res["maxErr"] = max(res["maxErr"], float(np.abs(v[both] - ndvi[both]).max()))
    res["leaked"] += int((valid & np.isin(scl, masked_always)).sum())
    clear = np.isin(scl, [4, 5, 6, 7]) & np.isfinite(ndvi)
    res["clear"] += int(clear.sum()); res["clearKept"] += int((clear & valid).sum())
print(json.dumps(res))`,
      [join(root, "run", site), join(root, "sim", site), "2020", JSON.stringify(maskedAlways)],
    );
    expect(r.descriptionsOk).toBe(true);
    expect(r.scenes).toBeGreaterThanOrEqual(2);
    expect(r.compared).toBeGreaterThan(1000);
    // int16 steps of 1e-4: at most half a step of rounding, plus float32 arithmetic.
    expect(r.maxErr).toBeLessThan(0.5e-4 + 1e-6);
    expect(r.leaked).toBe(0);
    // Clear pixels outside the AOI polygon (grid corners) are no-data too: most, not all, are kept.
    expect(r.clearKept / r.clear).toBeGreaterThan(0.8);
  });

  it("says SIMULATED in items, COG metadata and reports", async () => {
    const item = JSON.parse(readFileSync(join(root, "run", site, "composites", "2020", "2020.json"), "utf8"));
    expect(item.properties["reewatch:simulated"]).toBe(true);
    expect(item.properties.title).toMatch(/^SIMULATED/);
    const t = await openGeoTiff(join(root, "run", site, "composites", "2020", "ndvi.tif"));
    expect(t.metadata.SIMULATED).toBe("true");
    await t.close();
    const scene = readdirSync(join(root, "sim", site)).find((d) => d.startsWith("S2A_SIM"))!;
    const sItem = JSON.parse(readFileSync(join(root, "sim", site, scene, `${scene}.json`), "utf8"));
    expect(sItem.properties["reewatch:simulated"]).toBe(true);
  });
});

/** The claim's quantity computed from the planted truth only. */
function truthValue(metric: string, t: Truth, zone: Uint8Array, y0: number, y1: number, site: string): number {
  let a = 0;
  let b = 0;
  let sum = 0;
  for (let i = 0; i < zone.length; i++) {
    if (!zone[i]) continue;
    const e = t.eventYear[i]!;
    if (metric === "disturbed_area_km2" && e >= y0 && e <= y1) a++;
    if (metric === "restored_area_km2" && e && e <= y1 && share(t, i, y1) >= 0.8) a++;
    if (metric === "restored_fraction" && e && e <= y1) {
      b++;
      if (share(t, i, y1) >= 0.5) a++;
    }
    if (metric === "mean_index_change") {
      sum += ndviOf(site, t.veg.get(y1)![i]!) - ndviOf(site, t.veg.get(y0)![i]!);
      b++;
    }
  }
  if (metric === "restored_fraction") return a / b;
  if (metric === "mean_index_change") return sum / b;
  return a * t.pxKm2;
}

/** Noise-free NDVI of the simulator's mixture, from the endmember table. */
function ndviOf(site: string, f: number): number {
  const veg = site === "ganzhou" ? ENDMEMBERS.forest : ENDMEMBERS.steppe;
  const bare = site === "ganzhou" ? ENDMEMBERS.laterite : ENDMEMBERS.rock;
  const n = mix(veg, bare, f, 3);
  const r = mix(veg, bare, f, 2);
  return (n - r) / (n + r);
}

describe("rerun", () => {
  it("of run and verify into the same directory rewrites every file byte for byte but run.json's timings; the run key stays", () => {
    const dir = join(root, "run", "ganzhou");
    const claim = "samples/claims/ganzhou-restored-fraction.json";
    const hashes = () => {
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      return new Map(
        files.map((e) => [
          join(e.parentPath, e.name),
          createHash("sha256")
            .update(readFileSync(join(e.parentPath, e.name)))
            .digest("hex"),
        ]),
      );
    };
    expect(reewatch(["verify", claim, "--run", dir]).code).toBe(0);
    const before = hashes();
    const key = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).key;
    expect(reewatch(["run", "ganzhou", "--scenes", join(root, "sim", "ganzhou"), "--out", dir]).code).toBe(0);
    expect(reewatch(["verify", claim, "--run", dir]).code).toBe(0);
    const after = hashes();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after].filter(([f, h]) => before.get(f) !== h).map(([f]) => f.slice(dir.length + 1));
    expect(changed).toEqual(["run.json"]);
    const rerun = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(rerun.key).toMatch(/^[0-9a-f]{64}$/);
    expect(rerun.key).toBe(key);
    const report = JSON.parse(readFileSync(join(dir, "reports", "ganzhou-restored-fraction", "report.json"), "utf8"));
    expect(report.provenance.runKey).toBe(key);
  }, 120_000);
});

describe("catalog of a rerun", () => {
  it("lists what this run wrote, not what the folder holds: a rerun over fewer years leaves the older years out", () => {
    const out = join(root, "fewer-years");
    const sim = (years: string) => {
      const dir = join(root, `fewer-sim-${years}`);
      expect(reewatch(["simulate", "--site", "ganzhou", "--years", years, "--resolution", "200", "-o", dir, "-q"]).code).toBe(0);
      expect(reewatch(["run", "ganzhou", "--scenes", dir, "-o", out, "-q"]).code).toBe(0);
    };
    const listed = () => {
      const c = JSON.parse(readFileSync(join(out, "composites", "collection.json"), "utf8"));
      return c.links.filter((l: { rel: string }) => l.rel === "item").map((l: { href: string }) => l.href);
    };
    sim("2016-2018");
    expect(listed()).toEqual(["./2016/2016.json", "./2017/2017.json", "./2018/2018.json"]);
    sim("2016-2017");
    expect(listed()).toEqual(["./2016/2016.json", "./2017/2017.json"]);
  }, 120_000);
});

describe("simulate", () => {
  it("is deterministic: the same seed gives the same bytes", () => {
    const a = join(root, "det-a");
    const b = join(root, "det-b");
    for (const d of [a, b]) expect(reewatch(["simulate", "--site", "ganzhou", "--years", "2020-2020", "--resolution", "100", "--out", d]).code).toBe(0);
    const scene = readdirSync(a).find((d) => d.startsWith("S2A_SIM"))!;
    const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
    expect(sha(join(a, scene, "B04.tif"))).toBe(sha(join(b, scene, "B04.tif")));
    expect(sha(join(a, scene, "SCL.tif"))).toBe(sha(join(b, scene, "SCL.tif")));
  });
});
