/** AOI files against GDAL/OGR: what ogr reads from our GDAL-written fixtures is what loadAoi returns. */
import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadAoi } from "../pipeline/src/aoi/aoi.ts";
import { hasGdal } from "./helpers/gdal.ts";

const SAMPLES = new URL("../samples/aoi/", import.meta.url).pathname;

/** ogr2ogr's own reading (and reprojection to lon/lat) of a vector file, as GeoJSON polygons. */
function ogrPolygons(src: string): number[][][][] {
  const out = execFileSync("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=12", "/vsistdout/", src], {
    encoding: "utf8",
  });
  return JSON.parse(out).features.flatMap((f: any) => (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates));
}

/** Largest per-vertex difference in degrees; rings must match in order and start, as both readers keep the file's. */
function maxDiff(a: number[][][][], b: number[][][][]): number {
  expect(a.map((p) => p.map((r) => r.length))).toEqual(b.map((p) => p.map((r) => r.length)));
  return Math.max(...a.flatMap((p, k) => p.flatMap((r, j) => r.flatMap(([x, y], i) => [Math.abs(x! - b[k]![j]![i]![0]!), Math.abs(y! - b[k]![j]![i]![1]!)]))));
}

describe("AOI formats vs GDAL", { skip: !hasGdal }, () => {
  it("the UTM 49N shapefile: shpjs + proj4 agree with ogr2ogr's reprojection to EPSG:4326", async () => {
    const zip = `${SAMPLES}bayan-obo-utm49n.shp.zip`;
    const ours = await loadAoi(zip);
    const d = maxDiff(ours.polygons, ogrPolygons(`/vsizip/${zip}`));
    console.log(`UTM shapefile: max vertex difference to ogr2ogr ${d.toExponential(2)} deg`);
    expect(d).toBeLessThan(1e-6);
  });

  it("the KML and GeoJSON fixtures read the same as ogr reads them", async () => {
    for (const name of ["bayan-obo.kml", "bayan-obo.geojson", "bayan-obo-mixed.kml"]) {
      const ours = await loadAoi(`${SAMPLES}${name}`);
      expect(maxDiff(ours.polygons, ogrPolygons(`${SAMPLES}${name}`).slice(0, ours.polygons.length)), name).toBeLessThan(1e-9);
    }
  });

  it("GEOS finds the bow tie's crossing where we report it", async () => {
    const sql = 'SELECT ST_IsValid(geometry) AS ok FROM "bow-tie"';
    const r = spawnSync("ogrinfo", ["-q", "-dialect", "SQLite", "-sql", sql, `${SAMPLES}bow-tie.geojson`], { encoding: "utf8" });
    expect(r.stdout).toMatch(/ok \(Integer\) = 0/);
    const [x, y] = /Self-intersection at or near point (\S+) (\S+)/.exec(r.stderr)!.slice(1).map(Number);
    const err = await loadAoi(`${SAMPLES}bow-tie.geojson`).catch((e: Error) => e.message);
    const [ox, oy] = /near \[(\S+), (\S+)\]/.exec(String(err))!.slice(1).map(Number);
    expect(Math.abs(ox! - x!)).toBeLessThan(1e-6);
    expect(Math.abs(oy! - y!)).toBeLessThan(1e-6);
  });
});
