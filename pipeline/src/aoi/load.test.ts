import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAoi } from "./load.ts";

const sample = (name: string) => new URL(`../../../samples/aoi/${name}`, import.meta.url).pathname;
const tmp = (name: string, content: string | Uint8Array) => {
  const p = join(mkdtempSync(join(tmpdir(), "rw-aoi-")), name);
  writeFileSync(p, content);
  return p;
};

/** Ring rotated to start nearest `ref[0]` and turned to `ref`'s direction: rings equal up to start and winding. */
function aligned(ring: number[][], ref: number[][]): number[][] {
  const open = ring.slice(0, -1);
  const sign = (r: number[][]) => Math.sign(r.slice(0, -1).reduce((s, [x, y], i) => s + x! * r[i + 1]![1]! - r[i + 1]![0]! * y!, 0));
  const turned = sign(ring) === sign(ref) ? open : [...open].reverse();
  const d = turned.map(([x, y]) => Math.hypot(x! - ref[0]![0]!, y! - ref[0]![1]!));
  const s = d.indexOf(Math.min(...d));
  const out = [...turned.slice(s), ...turned.slice(0, s)];
  return [...out, out[0]!];
}

/** Largest vertex difference in degrees between two polygon sets with matching rings. */
function maxVertexDiff(a: number[][][][], b: number[][][][]): number {
  expect(a.map((p) => p.map((r) => r.length))).toEqual(b.map((p) => p.map((r) => r.length)));
  const diffs = a.flatMap((poly, k) =>
    poly.flatMap((ring, r) => {
      const ref = b[k]![r]!;
      return aligned(ring, ref).flatMap(([x, y], i) => [Math.abs(x! - ref[i]![0]!), Math.abs(y! - ref[i]![1]!)]);
    }),
  );
  return Math.max(...diffs);
}

describe("loadAoi formats", () => {
  it("GeoJSON, GDAL's KML and a lon/lat shapefile without .prj give the same polygon", async () => {
    const ref = await loadAoi(sample("bayan-obo.geojson"));
    expect(ref.polygons[0]).toHaveLength(2);
    for (const name of ["bayan-obo.kml", "bayan-obo-lonlat-noprj.zip", "bayan-obo-utm49n.shp.zip"]) {
      const aoi = await loadAoi(sample(name));
      expect(maxVertexDiff(aoi.polygons, ref.polygons), name).toBeLessThan(1e-6);
    }
  });

  it("says what it assumed or dropped, in notes", async () => {
    expect((await loadAoi(sample("bayan-obo.geojson"))).notes).toBeUndefined();
    expect((await loadAoi(sample("bayan-obo-utm49n.shp.zip"))).notes).toEqual(["bayan-obo.shp reprojected to WGS84 from bayan-obo.prj by shpjs@6.2.0 (proj4)"]);
    expect((await loadAoi(sample("bayan-obo-lonlat-noprj.zip"))).notes).toEqual([
      "bayan-obo.shp has no .prj; its positions are in lon/lat range, so WGS84 is assumed",
    ]);
    const mixed = await loadAoi(sample("bayan-obo-mixed.kml"));
    expect(mixed.notes).toEqual(["ignored features that are not polygons: Point x1, LineString x1"]);
    expect(mixed.polygons).toHaveLength(1);
  });

  it("chooses by content when the extension says nothing, and drops altitudes", async () => {
    const kmlText = `<?xml version="1.0"?>\n<!-- traced by hand -->\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><MultiGeometry>
      <Point><coordinates>110,41.8,0</coordinates></Point>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>110,41.8,1200 110.01,41.8,1200 110.01,41.81,1200 110,41.8,1200</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </MultiGeometry></Placemark></kml>`;
    const aoi = await loadAoi(tmp("site.txt", kmlText));
    expect(aoi.polygons[0]![0]![1]).toEqual([110.01, 41.8]);
    expect(aoi.notes).toEqual(["ignored features that are not polygons: Point x1"]);
  });
});

describe("loadAoi errors: one line naming the file", () => {
  const cases: [string, () => string, RegExp][] = [
    ["missing file", () => "/nonexistent/aoi.kml", /^\/nonexistent\/aoi.kml: cannot read \(ENOENT\)$/],
    ["a .json that is really KML", () => copied("bayan-obo.kml", "aoi.json"), /aoi.json: the extension says GeoJSON but the content is KML$/],
    ["a .kml that is really GeoJSON", () => copied("bayan-obo.geojson", "aoi.kml"), /aoi.kml: the extension says KML but the content is GeoJSON$/],
    ["a .zip that is KML", () => copied("bayan-obo.kml", "aoi.zip"), /aoi.zip: the extension says a zip \(shapefile\) but the content is KML$/],
    ["a KMZ", () => tmp("aoi.kmz", "PK\x03\x04"), /aoi.kmz: KMZ is not read; unzip it and pass the doc.kml inside$/],
    ["an empty file", () => tmp("aoi.geojson", ""), /aoi.geojson: not GeoJSON, KML or a zipped shapefile \(empty file\)$/],
    ["GPX", () => tmp("aoi.gpx", "<gpx><trk/></gpx>"), /aoi.gpx: not GeoJSON, KML or a zipped shapefile \(unrecognised content\)$/],
    ["broken JSON", () => tmp("aoi.geojson", "{ nope"), /aoi.geojson: not valid JSON \(/],
    ["broken KML", () => tmp("aoi.kml", "<kml><Placemark>"), /aoi.kml: not well-formed KML \(unclosed xml tag/],
    ["a GeoJSON point", () => tmp("aoi.geojson", '{"type":"Point","coordinates":[110,41.8]}'), /aoi.geojson: geometry type Point is not a Polygon/],
    ["a KML of lines only", () => tmp("aoi.kml", lineKml), /aoi.kml: no polygon to use as an AOI \(found LineString x1\)$/],
    ["a shapefile of points only", () => sample("wells-points.shp.zip"), /wells-points.shp.zip: no polygon to use as an AOI \(found Point x2\)$/],
    ["a zip without a shapefile", () => zipOf("doc.kml"), /aoi.zip: no .shp in the zip \(found doc.kml\)$/],
    ["a bow tie", () => sample("bow-tie.geojson"), /bow-tie.geojson: ring 1 of polygon 1 crosses itself near \[110.01234, 41.78234\]$/],
    [
      "a UTM shapefile without its .prj",
      () => sample("bayan-obo-utm49n-noprj.zip"),
      /bayan-obo-utm49n-noprj.zip: bayan-obo.shp has no .prj and position \[412805.664, 4622688.053\] is not lon\/lat; put its .prj \(the CRS\) in the zip$/,
    ],
  ];
  for (const [name, path, pattern] of cases)
    it(name, async () => {
      const err = await loadAoi(path()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(pattern);
      expect(err?.message).not.toContain("\n");
      expect(["BadParameter", "UnsupportedFormat"]).toContain(err?.name);
    });

  it("rejects an unknown datum and names the choices", async () => {
    await expect(loadAoi(sample("bayan-obo.geojson"), { crs: "cgcs2000" as never })).rejects.toThrow(
      /bayan-obo.geojson: crs "cgcs2000" is not one of wgs84, gcj02/,
    );
  });

  it("uses the caller's label", async () => {
    await expect(loadAoi("/nonexistent/x.geojson", { label: "--aoi x.geojson" })).rejects.toThrow(/^--aoi x.geojson: cannot read/);
  });
});

const lineKml = `<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>110,41.8 110.1,41.9</coordinates></LineString></Placemark></kml>`;

function copied(name: string, as: string): string {
  const p = join(mkdtempSync(join(tmpdir(), "rw-aoi-")), as);
  copyFileSync(sample(name), p);
  return p;
}

/** A one-entry stored (uncompressed) zip, enough for the zip listing and shpjs to open. */
function zipOf(entry: string): string {
  const name = new TextEncoder().encode(entry);
  const data = new TextEncoder().encode("<kml/>");
  const local = new Uint8Array(30 + name.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, name.length, true);
  local.set(name, 30);
  const central = new Uint8Array(46 + name.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, data.length, true);
  cv.setUint16(28, name.length, true);
  central.set(name, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + data.length, true);
  return tmp("aoi.zip", Buffer.concat([local, data, central, end]));
}
