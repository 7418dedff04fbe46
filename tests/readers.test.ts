/**
 * Scene readers on the real samples, checked against GDAL (pixel DNs, grids, band metadata) and
 * against the scale/offset formulas computed here by hand; bad inputs give one-line named errors;
 * a scene served over HTTP ranges on loopback reads the same pixels as from disk.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptFile, MissingBand, UnknownScale, UnsupportedFormat } from "../pipeline/src/errors.ts";
import type { Window } from "../pipeline/src/raster.ts";
import { openScene } from "../pipeline/src/read/open-scene.ts";
import { jsonResult, reewatch } from "./helpers/cli.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

const STACK = "samples/landsat8-brumadinho/georef/LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif";
const TARBALL = "samples/landsat8-brumadinho/original/LC08_L2SP_218074_20190114_20200829_02_T1-cropped.tar.gz";
const S2_DIR = "samples/sentinel2-l2a-29RKH-100m";
const S2_ITEM = `${S2_DIR}/S2A_29RKH_20200219_0_L2A.json`;
const CLOUDY = "samples/landsat8-c2l2-cloudy-5pct";
const CLOUDY_ID = "LC08_L2SP_001062_20201031_20201106_02_T2";
const tmp = mkdtempSync(join(tmpdir(), "reewatch-readers-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface GdalWindow {
  gt: number[];
  epsg: string;
  size: [number, number];
  dn: number[];
}
/** GDAL's view of a file: geotransform, EPSG code, size and the DNs of `win` in band `band` (1-based). */
function gdalWindow(path: string, band: number, win: Window): GdalWindow {
  return gdalPython<GdalWindow>(
    `gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO"); gdal.SetConfigOption("CPL_VSIL_GZIP_WRITE_PROPERTIES", "NO")  # leave samples/ untouched
d = gdal.Open(sys.argv[1]); x, y, w, h, b = map(int, sys.argv[2:7])
srs = d.GetSpatialRef()
a = d.GetRasterBand(b).ReadAsArray(x, y, w, h)
print(json.dumps({"gt": d.GetGeoTransform(), "epsg": (srs.GetAuthorityName(None) + ":" + srs.GetAuthorityCode(None)) if srs else "",
  "size": [d.RasterXSize, d.RasterYSize], "dn": a.ravel().tolist()}))`,
    [path, String(win.x), String(win.y), String(win.width), String(win.height), String(band)],
  );
}
const affine = (gt: number[]) => [gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]];
/** By hand: physical = DN * scale + offset, NaN for DN 0 (fill in both products). */
const physical = (dn: number[], scale: number, offset: number) => dn.map((v) => (v === 0 ? Number.NaN : v * scale + offset));

/** Float32 results against float64 hand values: |got - want| < 0.5 * 10^-digits, NaN where NaN. */
function expectClose(got: Float32Array, want: number[], digits = 6): void {
  expect(got.length).toBe(want.length);
  const tol = 0.5 * 10 ** -digits;
  const bad = want.findIndex((w, i) => (Number.isNaN(w) ? !Number.isNaN(got[i]!) : !(Math.abs(got[i]! - w) < tol)));
  expect(bad, bad < 0 ? "" : `pixel ${bad}: got ${got[bad]} want ${want[bad]}`).toBe(-1);
}

describe.skipIf(!hasGdal)("real samples against GDAL", () => {
  if (!hasGdal) console.warn("GDAL not found: skipped the reader-vs-GDAL scene checks");

  it("Brumadinho stack: grid, band names from descriptions, reflectance = DN * 2.75e-5 - 0.2", async () => {
    const win = { x: 150, y: 80, width: 23, height: 11 };
    const red = gdalWindow(STACK, 3, win);
    const nir = gdalWindow(STACK, 4, win);
    const scene = await openScene(STACK);
    expect(scene.sensor).toBe("landsat-8");
    expect(scene.id).toBe("LC08_L2SP_218074_20190114_20200829_02_T1");
    expect(scene.datetime.slice(0, 10)).toBe("2019-01-14");
    expect(scene.grid).toEqual({ crs: red.epsg, transform: affine(red.gt), width: 400, height: 300 });
    expect([scene.bands.R?.name, scene.bands.N?.name, scene.nirBand]).toEqual(["SR_B4", "SR_B5", "SR_B5"]);
    const b = await scene.readBands(win, ["R", "N"]);
    expectClose(b.R!, physical(red.dn, 0.0000275, -0.2));
    expectClose(b.N!, physical(nir.dn, 0.0000275, -0.2));
    await scene.close();
  });

  it("tarball: grid from the MTL corners equals the georeferenced COG's, pixels equal GDAL's /vsitar/ read", async () => {
    const win = { x: 390, y: 290, width: 10, height: 10 };
    const cog = gdalWindow(STACK, 3, win);
    const member = `/vsitar/${resolve(TARBALL)}/LC08_L2SP_218074_20190114_20200829_02_T1_SR_B4.TIF`;
    const raw = gdalWindow(member, 1, win);
    expect(raw.gt).toEqual([0, 1, 0, 0, 0, 1]); // the member has no geotags
    const scene = await openScene(TARBALL);
    // UL of the MTL = centre of the corner pixel (583500, -2222700); the grid's edge is half a pixel out.
    expect(scene.grid).toEqual({ crs: "EPSG:32623", transform: affine(cog.gt), width: 400, height: 300 });
    expect(scene.grid.transform[2]).toBe(583500 - 15);
    expect(scene.datetime).toBe("2019-01-14T12:57:13.180Z");
    expect(scene.cloudCover).toBe(9.86);
    expect(scene.bands.R!.scaleSource).toBe("MTL LEVEL2_SURFACE_REFLECTANCE_PARAMETERS");
    const { R } = await scene.readBands(win, ["R"]);
    expect(raw.dn).toEqual(cog.dn);
    expectClose(R!, physical(raw.dn, 0.0000275, -0.2));
    await scene.close();
  });

  it("Sentinel-2 item: B04 at 100 m, B11 (200 m) nearest onto the 100 m grid, DN / 10000 (baseline 02.14)", async () => {
    const win = { x: 301, y: 500, width: 9, height: 7 };
    const red = gdalWindow(`${S2_DIR}/B04.tif`, 1, win);
    // Both grids start at (199980, 2800020): 100 m pixel (x, y) lies in 200 m pixel (x >> 1, y >> 1).
    const swirWin = { x: 150, y: 250, width: 5, height: 4 };
    const swir = gdalWindow(`${S2_DIR}/B11.tif`, 1, swirWin);
    expect(swir.gt).toEqual([199980, 200, 0, 2800020, 0, -200]);
    const scene = await openScene(S2_ITEM);
    expect(scene.sensor).toBe("sentinel-2");
    expect(scene.grid).toEqual({ crs: red.epsg, transform: affine(red.gt), width: 1098, height: 1098 });
    expect(scene.bands.S1!.grid.transform[0]).toBe(200);
    expect(scene.metadata.processingBaseline).toBe("02.14");
    const b = await scene.readBands(win, ["R", "S1"]);
    expectClose(b.R!, physical(red.dn, 1e-4, 0));
    const want: number[] = [];
    for (let y = win.y; y < win.y + win.height; y++)
      for (let x = win.x; x < win.x + win.width; x++) want.push(swir.dn[((y >> 1) - swirWin.y) * swirWin.width + ((x >> 1) - swirWin.x)]!);
    expectClose(b.S1!, physical(want, 1e-4, 0));
    const scl = gdalWindow(`${S2_DIR}/SCL.tif`, 1, swirWin);
    const qa = await scene.readQa(win);
    expect(Array.from(qa!)).toEqual(
      want.map((_, k) => scl.dn[(((win.y + Math.floor(k / win.width)) >> 1) - swirWin.y) * swirWin.width + (((win.x + (k % win.width)) >> 1) - swirWin.x)]),
    );
    await scene.close();
  });

  it("the same S2 folder with --nir B8A delivers the 20 m NIR", async () => {
    const scene = await openScene(S2_DIR, { nir: "B8A" });
    expect(scene.nirBand).toBe("B8A");
    expect(scene.bands.N!.href).toMatch(/B8A\.tif$/);
    await scene.close();
  });

  it("cloudy Landsat folder: fill is NaN, ST in kelvin, QA_PIXEL and QA_RADSAT raw", async () => {
    const win = { x: 0, y: 0, width: 379, height: 386 };
    const f = (s: string) => `${CLOUDY}/${CLOUDY_ID}_${s}.TIF`;
    const [nir, st, qa, rad] = ["SR_B5", "ST_B10", "QA_PIXEL", "QA_RADSAT"].map((s) => gdalWindow(f(s), 1, win));
    const scene = await openScene(CLOUDY);
    expect(scene.grid).toEqual({ crs: nir!.epsg, transform: affine(nir!.gt), width: 379, height: 386 });
    const b = await scene.readBands(win, ["N", "T"]);
    expect(nir!.dn.filter((v) => v === 0).length).toBeGreaterThan(40_000);
    expectClose(b.N!, physical(nir!.dn, 0.0000275, -0.2));
    expectClose(b.T!, physical(st!.dn, 0.00341802, 149.0), 4);
    expect(Array.from((await scene.readQa(win))!)).toEqual(qa!.dn);
    expect(Array.from((await scene.readRadsat!(win))!)).toEqual(rad!.dn);
    expect(scene.qa?.kind).toBe("landsat-qa-pixel");
    expect(scene.radsat?.kind).toBe("landsat-qa-radsat");
    await scene.close();
  });

  it("the Landsat STAC json gives the same scene as its folder", async () => {
    const a = await openScene(`${CLOUDY}/${CLOUDY_ID}_SR_stac.json`);
    const b = await openScene(CLOUDY);
    expect(a.id).toBe(b.id);
    expect(a.grid).toEqual(b.grid);
    expect(a.cloudCover).toBe(99.94);
    const win = { x: 200, y: 100, width: 30, height: 30 };
    expect(Array.from((await a.readBands(win, ["R"])).R!)).toEqual(Array.from((await b.readBands(win, ["R"])).R!));
    await Promise.all([a.close(), b.close()]);
  });

  it("info --json: cloud share of data pixels from QA_PIXEL bit 3 = numpy's count, near the MTL's 99.94 %", () => {
    const counts = gdalPython<{ cloud: number; data: number }>(
      `q = gdal.Open(sys.argv[1]).ReadAsArray().astype(np.int64); data = (q & 1) == 0
print(json.dumps({"cloud": int(((q & 8) > 0)[data].sum()), "data": int(data.sum())}))`,
      [`${CLOUDY}/${CLOUDY_ID}_QA_PIXEL.TIF`],
    );
    const r = reewatch(["info", CLOUDY, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const info = jsonResult(r);
    expect(info.cloudPercent).toBeCloseTo((100 * counts.cloud) / counts.data, 10);
    expect(Math.abs(info.cloudPercent - 99.94)).toBeLessThan(0.01);
    expect(info.providerCloudPercent).toBe(99.94);
    expect(info.bands.N).toMatchObject({ band: "SR_B5", scale: 0.0000275, offset: -0.2 });
    expect(info.nirBand).toBe("SR_B5");
  });

  it("info on the S2 item: SCL 8/9/10 share near the item's eo:cloud_cover 4.05 %", () => {
    const r = reewatch(["info", S2_ITEM]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sentinel-2 {2}S2A_29RKH_20200219_0_L2A$/m);
    expect(r.stdout).toMatch(/cloud {7}4\.06 % of data pixels \(SCL\)/);
    expect(r.stdout).toMatch(/provider {4}cloud cover 4\.051854 %/);
  });
});

describe("bad input: one-line errors naming the file or parameter", () => {
  const expectOneLine = async (p: Promise<unknown>, type: new (...a: never[]) => Error, text: string | RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(type);
    expect(err!.message).toMatch(text);
    expect(err!.message).not.toContain("\n");
  };

  it("a truncated TIFF", async () => {
    const p = join(tmp, "LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif");
    writeFileSync(p, readFileSync(STACK).subarray(0, 1000));
    await expectOneLine(openScene(p), CorruptFile, new RegExp(`^${p}: .*truncated`));
    const r = reewatch(["info", p]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(p);
  });

  it("a text file named .tif", async () => {
    const p = join(tmp, "LC08_L2SP_218074_20190130_20200829_02_T1_stack.tif");
    writeFileSync(p, "not a raster\n");
    await expectOneLine(openScene(p), UnsupportedFormat, `${p}: not a TIFF file`);
  });

  it("a Landsat folder missing SR_B5", async () => {
    const dir = join(tmp, "no-b5");
    mkdirSync(dir);
    for (const n of readdirSync(CLOUDY)) if (!n.endsWith("_SR_B5.TIF")) symlinkSync(resolve(CLOUDY, n), join(dir, n));
    await expectOneLine(openScene(dir), MissingBand, `${dir}: band SR_B5 (N) is missing: expected a file named ${CLOUDY_ID}_SR_B5.TIF`);
  });

  it("a Sentinel-2 item without baseline or scale information", async () => {
    const item = JSON.parse(readFileSync(S2_ITEM, "utf8"));
    for (const k of ["s2:processing_baseline", "s2:product_uri", "s2:granule_id", "s2:datatake_id", "s2:datastrip_id", "earthsearch:boa_offset_applied"])
      delete item.properties[k];
    for (const a of Object.values(item.assets) as { href: string; "raster:bands"?: unknown }[]) {
      delete a["raster:bands"];
      a.href = resolve(S2_DIR, a.href.split("/").pop()!);
    }
    const p = join(tmp, "no-baseline.json");
    writeFileSync(p, JSON.stringify(item));
    await expectOneLine(openScene(p), UnknownScale, /^S2A_29RKH_20200219_0_L2A: cannot establish Sentinel-2 scale\/offset/);
  });

  it("an unknown sensor in the file name", async () => {
    const p = join(tmp, "brumadinho_stack.tif");
    copyFileSync(STACK, p);
    await expectOneLine(openScene(p), UnsupportedFormat, `${p}: unknown sensor`);
  });

  it("a band asset whose file is not there names the band and the file", async () => {
    const item = JSON.parse(readFileSync(S2_ITEM, "utf8"));
    for (const a of Object.values(item.assets) as { href: string }[]) a.href = a.href.split("/").pop()!;
    const p = join(tmp, "lonely.json");
    writeFileSync(p, JSON.stringify(item));
    await expectOneLine(openScene(p), MissingBand, `${p}: band B02 (asset blue): expected file ${join(tmp, "B02.tif")} does not exist`);
  });
});

describe("a scene over HTTP range requests on loopback", () => {
  let server: Server;
  let base = "";
  let ranges = 0;
  beforeAll(async () => {
    const item = JSON.parse(readFileSync(S2_ITEM, "utf8"));
    for (const a of Object.values(item.assets) as { href: string }[]) a.href = a.href.split("/").pop()!;
    const itemBytes = Buffer.from(JSON.stringify(item));
    server = createServer((req, res) => {
      const name = (req.url ?? "/").slice(1);
      const body = name === "item.json" ? itemBytes : /^[\w.]+\.tif$/.test(name) ? readFileSync(join(S2_DIR, name)) : undefined;
      if (!body) return void res.writeHead(404).end();
      if (req.method === "HEAD") return void res.writeHead(200, { "content-length": body.byteLength }).end();
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (!m) return void res.writeHead(200, { "content-length": body.byteLength }).end(body);
      ranges++;
      const [a, b] = [Number(m[1]), Math.min(Number(m[2]), body.byteLength - 1)];
      res.writeHead(206, { "content-range": `bytes ${a}-${b}/${body.byteLength}`, "content-length": b - a + 1 }).end(body.subarray(a, b + 1));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  it("reads the same reflectance and QA as the local item", async () => {
    const remote = await openScene(`${base}/item.json`);
    // The item, then one range per file (6 bands + SCL): every IFD sits in each COG's first 64 KiB.
    expect(ranges).toBe(8);
    const local = await openScene(S2_ITEM);
    expect(remote.grid).toEqual(local.grid);
    expect(remote.bands.R!.href).toBe(`${base}/B04.tif`);
    const win = { x: 640, y: 17, width: 50, height: 40 };
    const [a, b] = await Promise.all([remote.readBands(win, ["R", "S2"]), local.readBands(win, ["R", "S2"])]);
    expect(Array.from(a.R!)).toEqual(Array.from(b.R!));
    expect(Array.from(a.S2!)).toEqual(Array.from(b.S2!));
    expect(Array.from((await remote.readQa(win))!)).toEqual(Array.from((await local.readQa(win))!));
    expect(ranges).toBeGreaterThan(0);
    await Promise.all([remote.close(), local.close()]);
  });
});
