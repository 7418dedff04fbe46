/** Reading across CRSs against gdalwarp (nearest, exact transformer -et 0) on the Sentinel-2 sample. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gdalPython, hasGdal } from "../../../tests/helpers/gdal.ts";
import type { Grid } from "../raster.ts";
import { readOnGrid } from "./band-source.ts";
import { openGeoTiff } from "./geotiff.ts";
import { pixelMap } from "./warp.ts";

const B04 = "samples/sentinel2-l2a-29RKH-100m/B04.tif";
const dir = mkdtempSync(join(tmpdir(), "reewatch-warp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pixelMap", () => {
  it("is the plain affine inverse when both grids share a CRS", () => {
    const src: Grid = { crs: "EPSG:32650", transform: [20, 0, 1000, 0, -20, 5000], width: 10, height: 10 };
    const dst: Grid = { crs: "EPSG:32650", transform: [10, 0, 990, 0, -10, 5010], width: 23, height: 3 };
    const m = pixelMap(src, dst);
    // dst pixel x centre: 990 + 10x + 5 -> src col floor((10x - 5) / 20); row: y centre 5005 - 10y -> floor((10y - 5) / 20).
    for (let x = 0; x < 23; x++) {
      const c = Math.floor((10 * x - 5) / 20);
      expect(m.cols[23 + x]).toBe(c >= 0 && c < 10 ? c : -1);
      expect(m.cols[x]).toBe(-1); // row 0's centres (y = 5005) lie above the source
    }
    expect(m.rows[1 * 23 + 5]).toBe(0);
    expect(m.rows[0]).toBe(-1);
    expect(m.window).toEqual({ x: 0, y: 0, width: 10, height: 1 });
  });
});

describe.skipIf(!hasGdal)("a UTM 29 band read onto a UTM 28 grid", () => {
  if (!hasGdal) console.warn("GDAL not found: skipped the cross-CRS read against gdalwarp");
  it("matches gdalwarp -r near -et 0 pixel for pixel (but for centres on a pixel edge)", async () => {
    const target: Grid = { crs: "EPSG:32628", transform: [60, 0, 860000, 0, -60, 2760000], width: 301, height: 257 };
    const out = join(dir, "warped.tif");
    const [a, , c, , e, f] = target.transform;
    const te = [c, f + e * target.height, c + a * target.width, f].map(String);
    const r = spawnSync("gdalwarp", [
      "-q",
      "-t_srs",
      "EPSG:32628",
      "-te",
      ...te,
      "-ts",
      String(target.width),
      String(target.height),
      "-r",
      "near",
      "-et",
      "0",
      "-dstnodata",
      "0",
      B04,
      out,
    ]);
    expect(r.status, String(r.stderr)).toBe(0);
    const want = gdalPython<number[]>("print(json.dumps(gdal.Open(sys.argv[1]).ReadAsArray().ravel().tolist()))", [out]);
    const tiff = await openGeoTiff(B04);
    const got = await readOnGrid({ tiff, band: 0, grid: tiff.grid! }, target, { x: 0, y: 0, width: 301, height: 257 }, 0);
    let diff = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) diff++;
    expect(want.filter((v) => v !== 0).length).toBeGreaterThan(0.9 * want.length);
    // Measured: 0 of 77,357 differ; a handful could where a centre sits on a pixel edge to 1e-9.
    expect(diff).toBeLessThanOrEqual(5);
    // A window of the target grid reads the same pixels as the whole.
    const part = await readOnGrid({ tiff, band: 0, grid: tiff.grid! }, target, { x: 100, y: 50, width: 40, height: 30 }, 0);
    for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) expect(part[y * 40 + x]).toBe(got[(50 + y) * 301 + 100 + x]);
    await tiff.close();
  });
});
