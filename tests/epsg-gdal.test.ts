/**
 * GeoTIFFs in China's CGCS2000, as GDAL writes them, read by openGeoTiff: the CRS from the GeoKeys
 * (projected EPSG:4547 Gauss-Kruger CM 114E in ProjectedCSTypeGeoKey, geographic EPSG:4490 in
 * GeographicTypeGeoKey), the geotransform GDAL reports, the pixels, and a corner reprojected as
 * gdaltransform does. No real clip of ours lies in China: the Sentinel-2 B04 sample is relabelled
 * as EPSG:32650 over Ganzhou (a synthetic placement) and gdalwarp'ed from there.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transformer } from "../pipeline/src/project.ts";
import { openGeoTiff } from "../pipeline/src/read/geotiff.ts";
import { gdalPython, gdalTransform, hasGdal } from "./helpers/gdal.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-epsg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!hasGdal) console.warn("GDAL not found: skipped the CGCS2000 GeoTIFF checks against GDAL (tests/epsg-gdal.test.ts)");

const B04 = join(import.meta.dirname, "../samples/sentinel2-l2a-29RKH-100m/B04.tif");

/** GeoKey values (1024 model type, 2048 geographic, 3072 projected) from a GeoKeyDirectory tag. */
function geoKeys(dirTag: number[]): Map<number, number> {
  const keys = new Map<number, number>();
  for (let i = 4; i + 3 < dirTag.length; i += 4) keys.set(dirTag[i]!, dirTag[i + 3]!);
  return keys;
}

describe.skipIf(!hasGdal)("CGCS2000 GeoTIFFs written by GDAL", () => {
  beforeAll(() => {
    const placed = join(dir, "ganzhou-utm50.tif");
    // 1098 x 1098 pixels of 100 m with the top-left corner near 114.6E 25.9N.
    execFileSync("gdal_translate", ["-q", "-a_srs", "EPSG:32650", "-a_ullr", "260000", "2870000", "369800", "2760200", B04, placed]);
    execFileSync("gdalwarp", ["-q", "-t_srs", "EPSG:4547", "-co", "TILED=YES", "-co", "COMPRESS=LZW", placed, join(dir, "gk4547.tif")]);
    execFileSync("gdalwarp", ["-q", "-t_srs", "EPSG:4490", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", placed, join(dir, "geo4490.tif")]);
  });

  it.each([
    ["gk4547.tif", "EPSG:4547", 3072],
    ["geo4490.tif", "EPSG:4490", 2048],
  ] as const)("%s: CRS %s from GeoKey %i, GDAL's geotransform and pixels, a corner as gdaltransform puts it", async (file, crs, key) => {
    const path = join(dir, file);
    const ref = gdalPython<{ gt: number[]; size: number[]; win: number[] }>(
      `d=gdal.Open(sys.argv[1]); a=d.ReadAsArray(100, 200, 300, 250)
print(json.dumps({"gt": list(d.GetGeoTransform()), "size": [d.RasterXSize, d.RasterYSize], "win": a.ravel().tolist()}))`,
      [path],
    );
    const t = await openGeoTiff(path);
    try {
      const keys = geoKeys(t.image.tags.get(34735) as number[]);
      expect(keys.get(key)).toBe(Number(crs.slice(5)));
      expect(keys.get(1024)).toBe(key === 2048 ? 2 : 1);
      const [c, a, b, f, d, e] = ref.gt;
      expect(t.grid).toEqual({ crs, transform: [a, b, c, d, e, f], width: ref.size[0], height: ref.size[1] });
      const pixels = await t.read({ x: 100, y: 200, width: 300, height: 250 });
      expect(Array.from(pixels[0]!)).toEqual(ref.win);
      // The bottom-right corner to WGS84 lon/lat, ours against PROJ's (1e-8 degree is about 1 mm).
      const [x, y] = [c! + a! * ref.size[0]!, f! + e! * ref.size[1]!];
      const ours = transformer(crs, "EPSG:4326")(x, y);
      const theirs = gdalTransform(crs, "OGC:CRS84", x, y);
      expect(Math.abs(ours[0] - theirs[0])).toBeLessThan(1e-8);
      expect(Math.abs(ours[1] - theirs[1])).toBeLessThan(1e-8);
    } finally {
      await t.close();
    }
  });
});
