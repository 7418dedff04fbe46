/**
 * Reprojection against GDAL's gdaltransform (PROJ) for the CRSs Chinese mine sites come in:
 * CGCS2000 geographic and Gauss-Kruger, WGS84 UTM, Web Mercator; and the errors for codes we
 * cannot use. gdaltransform here takes geographic coordinates as lon, lat (traditional GIS order).
 */
import { describe, expect, it } from "vitest";
import { gdalTransform, hasGdal } from "../../tests/helpers/gdal.ts";
import { BadParameter } from "./errors.ts";
import { crsDefinition, transformer } from "./project.ts";

if (!hasGdal) console.warn("GDAL not found: skipped the reprojection checks against gdaltransform (pipeline/src/project.test.ts)");

/** Ganzhou and Longnan rare-earth districts (near 114E), Xunwu (115.6E), Bayan Obo (110E, far from CM 114E). */
const PLACES: [lon: number, lat: number][] = [
  [114.93, 25.83],
  [114.79, 24.91],
  [115.65, 24.95],
  [109.97, 41.78],
];

const GEOGRAPHIC = new Set(["EPSG:4326", "EPSG:4490"]);
/** Projected within a millimetre, geographic within 1e-8 degree (about a millimetre). */
const tolerance = (crs: string) => (GEOGRAPHIC.has(crs) ? 1e-8 : 1e-3);

describe.skipIf(!hasGdal)("reprojection against gdaltransform", () => {
  // EPSG:4490 CGCS2000; 4547 CGCS2000 / 3-degree GK CM 114E; 4526 the same meridian as zone 38 (x + 38,000,000 m).
  const targets = ["EPSG:4490", "EPSG:4547", "EPSG:4526", "EPSG:32649", "EPSG:32650", "EPSG:3857"];

  it.each(targets)("WGS84 lon/lat -> %s and back", (crs) => {
    const fwd = transformer("EPSG:4326", crs);
    const inv = transformer(crs, "EPSG:4326");
    for (const [lon, lat] of PLACES) {
      const ref = gdalTransform("OGC:CRS84", crs, lon, lat);
      const ours = fwd(lon, lat);
      expect(Math.abs(ours[0] - ref[0]), `${crs} x at ${lon},${lat}`).toBeLessThan(tolerance(crs));
      expect(Math.abs(ours[1] - ref[1]), `${crs} y at ${lon},${lat}`).toBeLessThan(tolerance(crs));
      const back = inv(ref[0], ref[1]);
      expect(Math.abs(back[0] - lon), `${crs} lon back`).toBeLessThan(1e-8);
      expect(Math.abs(back[1] - lat), `${crs} lat back`).toBeLessThan(1e-8);
    }
  });

  it("CGCS2000 is WGS84 to the millimetre in both proj4 and PROJ (no datum shift between them)", () => {
    for (const [lon, lat] of PLACES) {
      expect(gdalTransform("OGC:CRS84", "EPSG:4490", lon, lat)).toEqual([lon, lat]);
      const [x, y] = transformer("EPSG:4326", "EPSG:4490")(lon, lat);
      expect(Math.abs(x - lon) + Math.abs(y - lat)).toBeLessThan(1e-12);
    }
  });

  it("CGCS2000 GK zones between themselves: CM 114E as 3-degree CM (4547) and as zone 38 (4526)", () => {
    const [lon, lat] = PLACES[0]!;
    const gk = transformer("EPSG:4326", "EPSG:4547")(lon, lat);
    const zone38 = transformer("EPSG:4547", "EPSG:4526")(gk[0], gk[1]);
    const ref = gdalTransform("EPSG:4547", "EPSG:4526", gk[0], gk[1]);
    expect(Math.abs(zone38[0] - ref[0])).toBeLessThan(1e-3);
    expect(Math.abs(zone38[1] - ref[1])).toBeLessThan(1e-3);
    // Same meridian, same ellipsoid: only the false easting differs (500 km vs 38,500 km).
    expect(zone38[0] - gk[0]).toBeCloseTo(38_000_000, 6);
    expect(zone38[1]).toBeCloseTo(gk[1], 6);
  });
});

describe("CRS definitions from epsg-index", () => {
  it("reads any EPSG code, including every CGCS2000 Gauss-Kruger zone", () => {
    expect(crsDefinition("EPSG:4490")).toMatch(/^\+proj=longlat \+ellps=GRS80/);
    expect(crsDefinition("epsg:4547")).toMatch(/\+proj=tmerc \+lat_0=0 \+lon_0=114 \+k=1 \+x_0=500000 /);
    for (let code = 4491; code <= 4554; code++) expect(crsDefinition(`EPSG:${code}`)).toMatch(/\+proj=tmerc .*\+ellps=GRS80/);
    expect(crsDefinition("EPSG:32723")).toMatch(/\+proj=utm \+zone=23 \+south \+datum=WGS84/);
  });

  it("unknown codes, non-CRS codes, grid-shift CRSs and non-EPSG strings are one-line BadParameter errors naming the code", () => {
    const cases: [string, RegExp][] = [
      ["EPSG:99999", /^CRS "EPSG:99999" is not a coordinate reference system in the EPSG index/],
      ["EPSG:6326", /^CRS "EPSG:6326" is not a coordinate reference system/],
      ["EPSG:5714", /^CRS "EPSG:5714" \(MSL height\) is a VERTCRS CRS, not a geographic or projected one$/],
      ["EPSG:27700", /^CRS "EPSG:27700" \(OSGB36 \/ British National Grid\) needs the datum-shift grid OSTN15_NTv2_OSGBtoETRS.gsb/],
      ["WGS84", /^CRS "WGS84" is not an EPSG code/],
    ];
    for (const [code, message] of cases) {
      expect(() => crsDefinition(code)).toThrow(BadParameter);
      expect(() => crsDefinition(code)).toThrow(message);
    }
    expect(() => transformer("EPSG:4326", "EPSG:99999")).toThrow(BadParameter);
  });
});
