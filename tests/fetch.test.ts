/**
 * `reewatch fetch` against a STAC API on 127.0.0.1 (tests/helpers/stac-server.ts) serving the real
 * samples: windows equal GDAL's reading of the originals, faults give the same bytes as a clean
 * fetch, reruns resume by checksum, Planetary Computer signing, and bad input in one line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonResult, reewatchAsync } from "./helpers/cli.ts";
import { aoiGeoJson, buildFixtures, type Fixtures, L8_AOI_UTM, S2_AOI_UTM } from "./helpers/fetch-fixtures.ts";
import { freePort } from "./helpers/free-port.ts";
import { gdalPython, hasGdal, PYTHON } from "./helpers/gdal.ts";
import { type StacServer, startStacServer } from "./helpers/stac-server.ts";

let tmp: string;
let fx: Fixtures;
let api: StacServer;
let s2Aoi: string;
let l8Aoi: string;
let clean: string;

const S2_ARGS = () => ["--from", "2020-01-01", "--to", "2020-12-31", "--stac", api.url, "--collection", "sentinel-2-l2a", "--retries", "8", "--timeout", "1"];
const fetchCli = (args: string[]) => reewatchAsync(["fetch", ...args], 120_000);
const sha256 = (path: string) => execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0]!;
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "fetch.json"), "utf8"));

/** Every file under the scene folders of `dir` with its SHA-256 (by `sha256sum`, not our code). */
function sums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const scene of readdirSync(dir).filter((n) => !n.includes(".")))
    for (const f of readdirSync(join(dir, scene))) out[`${scene}/${f}`] = sha256(join(dir, scene, f));
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "reewatch-fetch-"));
  fx = await buildFixtures(tmp);
  api = await startStacServer({ items: fx.items, files: fx.files, collections: ["sentinel-2-l2a", "landsat-c2-l2"], pageSize: 2 });
  s2Aoi = join(tmp, "aoi-s2.geojson");
  writeFileSync(s2Aoi, JSON.stringify(aoiGeoJson("EPSG:32629", S2_AOI_UTM)));
  l8Aoi = join(tmp, "aoi-l8.geojson");
  writeFileSync(l8Aoi, JSON.stringify(aoiGeoJson("EPSG:32620", L8_AOI_UTM)));
  clean = join(tmp, "clean");
  const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--json", "--out", clean]);
  if (r.code !== 0) throw new Error(`clean fetch failed: ${r.stderr}`);
}, 180_000);
afterAll(async () => {
  await api?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("reewatch fetch on a loopback STAC API", () => {
  it("pages through the search, drops the 80 % item by cloud cover and writes one folder per scene", () => {
    const m = manifest(clean);
    expect(m.items.map((e: { id: string }) => e.id).sort()).toEqual(["S2A_29RKH_20200219_0_L2A", "S2A_29RKH_20200520_0_L2A", "S2B_29RKH_20200701_0_L2A"]);
    expect(m.items.every((e: { status: string }) => e.status === "fetched")).toBe(true);
    for (const e of m.items) {
      const files = readdirSync(join(clean, e.id)).sort();
      expect(files).toEqual(["B02.tif", "B03.tif", "B04.tif", "B08.tif", "B11.tif", "B12.tif", "B8A.tif", "SCL.tif", `${e.id}.json`].sort());
      for (const f of e.files) {
        expect(f.sha256).toBe(sha256(join(clean, e.id, f.file)));
        expect(f.bytes).toBe(readFileSync(join(clean, e.id, f.file)).byteLength);
      }
    }
    // The cloudy scene's AOI is all class 9 in its SCL: the manifest says so (no skip without --max-aoi-cloud).
    expect(m.items.find((e: { id: string }) => e.id === "S2A_29RKH_20200520_0_L2A").aoiCloud).toBe(100);
  });

  it("items point at the local files and keep the source hrefs as alternates", () => {
    const id = "S2A_29RKH_20200219_0_L2A";
    const item = JSON.parse(readFileSync(join(clean, id, `${id}.json`), "utf8"));
    expect(item.assets.red.href).toBe("./B04.tif");
    expect(item.assets.red.alternate.source.href).toBe(`${api.url}/files/orig/B04.tif`);
    expect(Object.keys(item.assets).sort()).toEqual(["blue", "green", "nir", "nir08", "red", "scl", "swir16", "swir22"]);
    expect(item.properties["s2:processing_baseline"]).toBe("02.14");
  });

  it.skipIf(!hasGdal)("fetched windows hold the originals' pixels on the originals' grid (GDAL), covering the AOI plus the margin", () => {
    const id = "S2A_29RKH_20200219_0_L2A";
    for (const band of ["B04", "B11", "SCL"]) {
      const r = gdalPython<{ dx: number; dy: number; equal: boolean; sameRes: boolean; epsg: string; bounds: [number, number, number, number] }>(
        `f=gdal.Open(sys.argv[1]); o=gdal.Open(sys.argv[2]); gf=f.GetGeoTransform(); go=o.GetGeoTransform()
dx=(gf[0]-go[0])/go[1]; dy=(gf[3]-go[3])/go[5]
a=f.GetRasterBand(1).ReadAsArray(); b=o.GetRasterBand(1).ReadAsArray(int(round(dx)), int(round(dy)), f.RasterXSize, f.RasterYSize)
print(json.dumps({"dx": dx, "dy": dy, "equal": bool((a==b).all()), "sameRes": gf[1]==go[1] and gf[5]==go[5], "epsg": f.GetSpatialRef().GetAuthorityCode(None),
  "bounds": [gf[0], gf[3]+gf[5]*f.RasterYSize, gf[0]+gf[1]*f.RasterXSize, gf[3]]}))`,
        [join(clean, id, `${band}.tif`), join("samples/sentinel2-l2a-29RKH-100m", `${band}.tif`)],
      );
      expect(Number.isInteger(r.dx) && Number.isInteger(r.dy)).toBe(true);
      expect(r.equal).toBe(true);
      expect(r.sameRes).toBe(true);
      expect(r.epsg).toBe("32629");
      // AOI 241000..246000 x 2735000..2739000 plus 200 m, snapped to the 200 m grid of the coarsest band.
      expect(r.bounds[0]).toBeLessThanOrEqual(240_800);
      expect(r.bounds[1]).toBeLessThanOrEqual(2_734_800);
      expect(r.bounds[2]).toBeGreaterThanOrEqual(246_200);
      expect(r.bounds[3]).toBeGreaterThanOrEqual(2_739_200);
      expect(r.bounds[2] - r.bounds[0]).toBeLessThan(5_400 + 400);
    }
    const v = execFileSync(PYTHON, ["-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", join(clean, id, "B04.tif")], { encoding: "utf8" });
    expect(v).toContain("is a valid cloud optimized GeoTIFF");
  });

  it("reads a small part of the full files", async () => {
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--json", "--out", join(tmp, "bytes")]);
    const s = jsonResult(r);
    expect(s.fetched).toBe(3);
    // 8 files of 0.01-2.4 MB per scene whose tiles are 51 km wide: the one tile under the AOI and the
    // header of each file are about a fifth of that (on real 10 m tiles, 10 km wide, far less).
    expect(s.bytesRead).toBeLessThan(0.3 * s.fullBytes);
    const fetched = fx.items.filter((i) => ["S2A_29RKH_20200219_0_L2A", "S2A_29RKH_20200520_0_L2A", "S2B_29RKH_20200701_0_L2A"].includes(i.id as string));
    const full = fetched.flatMap((i) => Object.values(i.assets as Record<string, { href: string }>)).reduce((n, a) => n + statSync(fx.files[a.href]!).size, 0);
    expect(s.fullBytes).toBe(full);
  });

  it("--max-aoi-cloud reads the SCL window first and skips the cloudy scene without opening its bands", async () => {
    const before = api.stats.byPath.get("/files/cloudy/B04.tif") ?? 0;
    const out = join(tmp, "aoicloud");
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--max-aoi-cloud", "50", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 fetched, 0 kept from an earlier fetch, 1 skipped/);
    expect(r.stderr).toMatch(/skipped 1: AOI too cloudy: cloud or shadow > --max-aoi-cloud 50/);
    expect(api.stats.byPath.get("/files/cloudy/B04.tif") ?? 0).toBe(before);
    expect(existsSync(join(out, "S2A_29RKH_20200520_0_L2A"))).toBe(false);
  });

  it("survives 503, 429 with Retry-After, cut bodies, a shifted Content-Range, a slow answer and a reset with the same bytes", async () => {
    const faulty: [string, ("503" | "429" | "cut" | "slow" | "reset" | "badrange")[]][] = [
      ["/files/orig/B04.tif", ["503", "cut", "badrange"]],
      ["/files/orig/B08.tif", ["429"]],
      ["/files/orig/SCL.tif", ["reset", "503"]],
      ["/files/orig/B11.tif", ["slow"]],
      ["/files/pb0400/B02.tif", ["cut", "cut"]],
    ];
    for (const [p, f] of faulty) api.faults.set(p, [...f]);
    const out = join(tmp, "faults");
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const s = jsonResult(r);
    expect(s.retries).toBeGreaterThanOrEqual(9);
    for (const [p] of faulty) expect(api.faults.get(p)).toEqual([]);
    expect(sums(out)).toEqual(sums(clean));
  }, 90_000);

  it("a rerun keeps intact scenes without reading them again and refetches a damaged one", async () => {
    const out = join(tmp, "resume");
    await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--out", out]);
    const before = api.stats.bytesServed;
    const again = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--json", "--out", out]);
    expect(jsonResult(again)).toMatchObject({ fetched: 0, kept: 3 });
    expect(api.stats.bytesServed).toBe(before);
    appendFileSync(join(out, "S2A_29RKH_20200219_0_L2A", "B08.tif"), "x");
    const third = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--json", "--out", out]);
    expect(jsonResult(third)).toMatchObject({ fetched: 1, kept: 2 });
    expect(sums(out)).toEqual(sums(clean));
  });

  it("a fetch killed mid-scene leaves no scene folder without its item, and the rerun completes it", async () => {
    const out = join(tmp, "killed");
    api.faults.set("/files/orig/B12.tif", ["slow", "slow", "slow"]);
    const child = reewatchAsync(["fetch", "--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--timeout", "5", "--out", out], 60_000);
    await waitFor(() => existsSync(out) && readdirSync(out).some((n) => n.endsWith(".tmp")), 20_000);
    execFileSync("pkill", ["-KILL", "-f", `reewatch.js fetch .*${out}`]);
    await child;
    for (const n of readdirSync(out).filter((x) => !x.startsWith(".") && x !== "fetch.json")) expect(existsSync(join(out, n, `${n}.json`))).toBe(true);
    api.faults.delete("/files/orig/B12.tif");
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
    expect(sums(out)).toEqual(sums(clean));
  }, 90_000);

  it("--dry-run lists the scenes with dates, cloud cover and an estimated volume, and writes nothing", async () => {
    const out = join(tmp, "dry");
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--dry-run", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/4 scene\(s\) found \(dry run: nothing fetched\)/);
    expect(r.stderr).toMatch(/2020-09-15 {2}S2B_29RKH_20200915_0_L2A {2}cloud 80 %/);
    const est = Number(/estimated ([\d.]+) MB in all/.exec(r.stderr)?.[1]);
    const real = manifest(clean).items.reduce((n: number, e: { files: { bytes: number }[] }) => n + e.files.reduce((m, f) => m + f.bytes, 0), 0) / 1e6;
    // Compressed source tiles under the window plus headers, against what was written: same order of magnitude.
    expect(est).toBeGreaterThan(real / 3);
    expect(existsSync(out)).toBe(false);
  });

  it("finds the same items by GET when POST is refused and with CQL2 when `query` is refused", async () => {
    for (const opts of [{ noPost: true }, { noQuery: true }]) {
      const alt = await startStacServer({ items: fx.items, files: fx.files, collections: ["sentinel-2-l2a"], pageSize: 3, ...opts });
      try {
        const r = await reewatchAsync([
          "fetch",
          "--aoi",
          s2Aoi,
          ...S2_ARGS().map((a) => (a === api.url ? alt.url : a)),
          "--max-cloud",
          "50",
          "--dry-run",
          "--json",
          "--out",
          join(tmp, "x"),
        ]);
        expect(r.code, r.stderr).toBe(0);
        const s = jsonResult(r);
        expect(s.items.map((i: { id: string }) => i.id)).toEqual(["S2A_29RKH_20200219_0_L2A", "S2A_29RKH_20200520_0_L2A", "S2B_29RKH_20200701_0_L2A"]);
        expect(s.serverFilter).toBe(opts.noPost ? "client-only" : "cql2");
      } finally {
        await alt.close();
      }
    }
  });
});

describe.skipIf(!hasGdal)("the processing baseline 04.00 offset after fetch", () => {
  it("a 04.00 item (DN + 1000, offset -0.1) and the 02.14 item of the same ground give the same NDVI", async () => {
    const out = join(tmp, "ndvi");
    const a = join(clean, "S2A_29RKH_20200219_0_L2A");
    const b = join(clean, "S2B_29RKH_20200701_0_L2A");
    const r = await reewatchAsync(["indices", a, b, "--index", "ndvi,nbr", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const d = gdalPython<{ maxdiff: number; sameNan: boolean; n: number }>(
      `a=gdal.Open(sys.argv[1]).ReadAsArray(); b=gdal.Open(sys.argv[2]).ReadAsArray()
print(json.dumps({"maxdiff": float(np.nanmax(np.abs(a-b))), "sameNan": bool((np.isnan(a)==np.isnan(b)).all()), "n": int((~np.isnan(a)).sum())}))`,
      [join(out, "S2A_29RKH_20200219_0_L2A", "ndvi.tif"), join(out, "S2B_29RKH_20200701_0_L2A", "ndvi.tif")],
    );
    expect(d.n).toBeGreaterThan(1000);
    expect(d.sameNan).toBe(true);
    expect(d.maxdiff).toBeLessThan(1e-6);
  });
});

describe("commands that read a URL retry too", () => {
  it("`indices` on an item URL gets through a 503 on the item and on a band", async () => {
    const id = "S2A_29RKH_20200219_0_L2A";
    const itemPath = `/collections/sentinel-2-l2a/items/${id}`;
    api.faults.set(itemPath, ["503"]);
    api.faults.set("/files/orig/B04.tif", ["503"]);
    const out = join(tmp, "url-indices");
    const r = await reewatchAsync(["indices", `${api.url}${itemPath}`, "--index", "ndvi", "--aoi", s2Aoi, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(api.faults.get(itemPath)).toEqual([]);
    expect(api.faults.get("/files/orig/B04.tif")).toEqual([]);
    expect(existsSync(join(out, id, "ndvi.tif"))).toBe(true);
  });
});

describe("a full disk", () => {
  it("stops the fetch with one line, and leaves no partial scene", async () => {
    const mnt = join(tmp, "small-disk");
    mkdirSync(mnt);
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", mnt]).status === 0;
    if (!mounted) {
      console.warn("cannot mount a 48 kB tmpfs (not root?): the full-disk fetch test is SKIPPED");
      return;
    }
    try {
      const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--out", join(mnt, "scenes")]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^reewatch fetch: .*no space left on device \(ENOSPC\)$/);
      const left = readdirSync(join(mnt, "scenes")).filter((n) => n !== "fetch.json");
      expect(left).toEqual([]);
    } finally {
      spawnSync("umount", [mnt]);
    }
  });
});

describe("fetched folders are scenes for `run`", () => {
  it("a pair-mode site over the AOI runs on two fetched scenes of the same ground, with equal composites", async () => {
    const scenes = join(tmp, "pair-scenes");
    const r = await fetchCli(["--aoi", s2Aoi, ...S2_ARGS(), "--max-cloud", "50", "--max-aoi-cloud", "50", "--out", scenes]);
    expect(r.code, r.stderr).toBe(0);
    const [x0, y0, x1, y1] = S2_AOI_UTM as [number, number, number, number];
    const box = (e: number) => aoiGeoJson("EPSG:32629", [x0 + e, y0 + e, x1 - e, y1 - e]).geometry;
    const site = {
      key: "test-29rkh",
      name: { en: "Test AOI in tile 29RKH", zh: "测试区 29RKH" },
      simulated: false,
      description: "Two fetched windows of one real scene (baseline 02.14 and the same DNs re-encoded as 04.00).",
      aoi: box(0),
      grid: { crs: "EPSG:32629", resolution: 100, transform: [100, 0, x0 - 100, 0, -100, y1 + 100], width: (x1 - x0) / 100 + 2, height: (y1 - y0) / 100 + 2 },
      season: { start: "01-01", end: "12-31" },
      years: [2020, 2020],
      mode: "pair",
      indices: ["ndvi", "nbr"],
      changeIndex: "nbr",
      maskOverrides: [],
      controls: [{ name: "control", geometry: box(1500) }],
      zones: [{ name: "whole", kind: "disturbance", geometry: box(500) }],
      claims: [],
      sources: "test fixture: the real 29RKH sample served by a loopback STAC API",
    };
    const sitePath = join(tmp, "test-29rkh.json");
    writeFileSync(sitePath, JSON.stringify(site));
    const out = join(tmp, "pair-run");
    const run = await reewatchAsync(["run", sitePath, "--scenes", scenes, "--out", out], 120_000);
    expect(run.code, run.stderr).toBe(0);
    const runJson = readFileSync(join(out, "run.json"), "utf8");
    expect(runJson).toContain("S2A_29RKH_20200219_0_L2A");
    expect(runJson).toContain("S2B_29RKH_20200701_0_L2A");
    if (!hasGdal) return;
    // The two scenes hold the same reflectance (one as baseline 02.14 DNs, one as 04.00 DNs with the
    // -1000 offset): their composites on the site grid agree to float precision.
    const d = gdalPython<{ maxAbs: number; n: number }>(
      `a=gdal.Open(sys.argv[1]).ReadAsArray(); b=gdal.Open(sys.argv[2]).ReadAsArray()
print(json.dumps({"maxAbs": float(np.nanmax(np.abs(a-b))), "n": int((~np.isnan(a)).sum())}))`,
      [join(out, "composites", "2020-02-19", "ndvi.tif"), join(out, "composites", "2020-07-01", "ndvi.tif")],
    );
    expect(d.n).toBeGreaterThan(1500);
    expect(d.maxAbs).toBeLessThan(1e-6);
  }, 120_000);
});

describe("Planetary Computer style signing", () => {
  const l8Args = () => ["--aoi", l8Aoi, "--from", "2020-10-01", "--to", "2020-11-30", "--stac", api.url, "--collection", "landsat-c2-l2", "--retries", "3"];

  it("signs blob URLs with a SAS token fetched once, and the scene reads offline", async () => {
    const out = join(tmp, "landsat");
    const tokens = api.stats.tokens;
    const r = await fetchCli([...l8Args(), "--sas-token-url", `${api.url}/api/sas/v1/token`, "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonResult(r)).toMatchObject({ fetched: 1, tokens: 1 });
    expect(api.stats.tokens).toBe(tokens + 1);
    const folder = join(out, "LC08_L2SP_001062_20201031_02_T2");
    const info = await reewatchAsync(["info", folder, "--json"]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/landsat-8/);
    const item = JSON.parse(readFileSync(join(folder, "LC08_L2SP_001062_20201031_02_T2.json"), "utf8"));
    expect(item.assets.qa_pixel.alternate.source.href).not.toMatch(/sig=/);
  });

  it.skipIf(!hasGdal)("the fetched Landsat window equals GDAL's window of the original", () => {
    const name = "LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.TIF";
    const r = gdalPython<{ equal: boolean; dx: number; dy: number }>(
      `f=gdal.Open(sys.argv[1]); o=gdal.Open(sys.argv[2]); gf=f.GetGeoTransform(); go=o.GetGeoTransform()
dx=(gf[0]-go[0])/go[1]; dy=(gf[3]-go[3])/go[5]
a=f.ReadAsArray(); b=o.ReadAsArray(int(round(dx)), int(round(dy)), f.RasterXSize, f.RasterYSize)
print(json.dumps({"equal": bool((a==b).all()), "dx": dx, "dy": dy}))`,
      [join(tmp, "landsat", "LC08_L2SP_001062_20201031_02_T2", name), join("samples/landsat8-c2l2-cloudy-5pct", name)],
    );
    expect(Math.abs(r.dx - Math.round(r.dx))).toBeLessThan(1e-6);
    expect(Math.abs(r.dy - Math.round(r.dy))).toBeLessThan(1e-6);
    expect(r.equal).toBe(true);
  });

  it("renews a token the blob server stopped accepting", async () => {
    const out = join(tmp, "landsat-renew");
    api.revokeTokens();
    const r = await fetchCli([...l8Args(), "--sas-token-url", `${api.url}/api/sas/v1/token`, "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonResult(r).fetched).toBe(1);
  });

  it("an expired token from the endpoint is a one-line error", async () => {
    const expired = await startStacServer({ items: fx.items, files: fx.files, collections: ["landsat-c2-l2"], tokenTtlMs: -60_000 });
    try {
      const r = await fetchCli([
        ...l8Args().map((a) => (a === api.url ? expired.url : a)),
        "--sas-token-url",
        `${expired.url}/api/sas/v1/token`,
        "--out",
        join(tmp, "exp"),
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/token that has already expired/);
    } finally {
      await expired.close();
    }
  });
});

describe("bad input gives one line and a non-zero exit (0 for an empty search)", () => {
  const one = (s: string) =>
    s
      .trim()
      .split("\n")
      .filter((l) => /^reewatch( fetch)?:/.test(l));
  /** A January 2020 search over the test AOI at `stac`. */
  const january = (stac: string) => ["--aoi", s2Aoi, "--from", "2020-01-01", "--to", "2020-02-01", "--stac", stac];

  it("an unreachable API", async () => {
    const port = await freePort();
    const r = await fetchCli([...january(`http://127.0.0.1:${port}`), "--retries", "2", "--out", join(tmp, "u")]);
    expect(r.code).not.toBe(0);
    expect(one(r.stderr)).toHaveLength(1);
    expect(one(r.stderr)[0]).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/collections/sentinel-2-l2a: ECONNREFUSED.*gave up after 2 tries`));
    expect(existsSync(join(tmp, "u"))).toBe(false);
  });

  it("a URL that is not a STAC API, and a collection that does not exist", async () => {
    const notStac = await fetchCli([...january(`${api.url}/files/orig`), "--out", join(tmp, "n")]);
    expect(notStac.code).not.toBe(0);
    expect(one(notStac.stderr)[0]).toMatch(/not JSON|not a STAC API|no such collection/);
    const coll = await fetchCli([...january(api.url), "--collection", "sentinel-2-c1-l2a", "--out", join(tmp, "c")]);
    expect(coll.code).not.toBe(0);
    expect(one(coll.stderr)[0]).toMatch(/--collection sentinel-2-c1-l2a: no such collection at/);
  });

  it("--site takes the site's AOI, years, season and cloud limits (here against the loopback API: no scene there)", async () => {
    const r = await fetchCli(["--site", "bayan-obo", "--collection", "sentinel-2-l2a", "--stac", api.url, "--dry-run", "--json", "--out", join(tmp, "site")]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonResult(r)).toMatchObject({ found: 0, dryRun: true });
    const g = await fetchCli(["--site", "ganzhou", "--stac", api.url, "--dry-run", "--out", join(tmp, "site")]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/sentinel-2-l2a 2016-01-01\.\.2024-12-31: 0 scene\(s\) found/);
    expect(g.stderr).toMatch(/landsat-c2-l2 1986-01-01\.\.2015-12-31: 0 scene\(s\) found/);
  });

  it("an empty search is exit 0 with a 0 scenes line", async () => {
    const r = await fetchCli(["--aoi", s2Aoi, "--from", "1990-01-01", "--to", "1990-12-31", "--stac", api.url, "--out", join(tmp, "e")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/0 scene\(s\) found: 0 scenes to fetch/);
  });

  it("an AOI outside every item's rasters", async () => {
    // Inside the items' advertised bbox but beyond the clip's rasters: the search finds them, the windows are empty.
    const far = join(tmp, "far.geojson");
    // The top-left corner of the items' lon/lat bbox lies 1.5 km north of the UTM tile's top edge.
    const ring = [
      [-11.978, 25.3],
      [-11.975, 25.3],
      [-11.975, 25.3035],
      [-11.978, 25.3035],
      [-11.978, 25.3],
    ];
    writeFileSync(far, JSON.stringify({ type: "Polygon", coordinates: [ring] }));
    const r = await fetchCli(["--aoi", far, "--from", "2020-01-01", "--to", "2020-12-31", "--stac", api.url, "--out", join(tmp, "far")]);
    expect(r.code).not.toBe(0);
    expect(one(r.stderr)[0]).toMatch(/AOI lies outside the rasters of every item found/);
  });

  it("bad dates and seasons name the flag", async () => {
    const r = await fetchCli(["--aoi", s2Aoi, "--from", "2020-13-01", "--to", "2020-02-01", "--stac", api.url, "--out", join(tmp, "d")]);
    expect(one(r.stderr)[0]).toMatch(/--from 2020-13-01: expected a date/);
    const s = await fetchCli(["--aoi", s2Aoi, "--from", "2020-01-01", "--to", "2020-02-01", "--season", "13-02", "--stac", api.url, "--out", join(tmp, "d")]);
    expect(one(s.stderr)[0]).toMatch(/--season 13-02: months must be 01..12/);
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
