import { describe, expect, it } from "vitest";
import { gdalTransform, hasGdal } from "../../../tests/helpers/gdal.ts";
import { transformer, utmCode } from "../project.ts";
import type { Grid } from "../raster.ts";
import { aoiWindow, parseAoi, rasterizeRings } from "./aoi.ts";

const square = (w: number, s: number, e: number, n: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe("parseAoi", () => {
  it("accepts a bare geometry, a Feature and a FeatureCollection", () => {
    const g = square(109.9, 41.7, 110.0, 41.8);
    expect(parseAoi(g).polygons).toHaveLength(1);
    expect(parseAoi({ type: "Feature", properties: {}, geometry: g }).polygons).toHaveLength(1);
    expect(
      parseAoi({
        type: "FeatureCollection",
        features: [
          { type: "Feature", geometry: g },
          { type: "Feature", geometry: g },
        ],
      }).polygons,
    ).toHaveLength(2);
  });

  it("rejects bad input with one line naming the cause", () => {
    expect(() => parseAoi({ type: "Point", coordinates: [1, 2] }, "a.geojson")).toThrow(/a.geojson: geometry type Point/);
    expect(() => parseAoi(square(500000, 4600000, 500100, 4600100), "u.json")).toThrow(/outside lon\/lat range/);
    expect(() =>
      parseAoi({
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
    ).toThrow(/not closed/);
    expect(() => parseAoi("nope")).toThrow(/not a GeoJSON object/);
  });
});

describe("projection", () => {
  it("picks the UTM zone from the longitude", () => {
    expect(utmCode(109.97, 41.78)).toBe("EPSG:32649");
    expect(utmCode(114.0001, 25)).toBe("EPSG:32650");
    expect(utmCode(-44.1, -20.1)).toBe("EPSG:32723");
  });

  it("agrees with GDAL's gdaltransform (PROJ) to a millimetre", { skip: !hasGdal }, () => {
    for (const [crs, lon, lat] of [
      ["EPSG:32649", 109.97, 41.78],
      ["EPSG:32650", 114.9, 24.9],
      ["EPSG:32723", -44.15, -20.12],
    ] as const) {
      const ours = transformer("EPSG:4326", crs)(lon, lat);
      // GDAL >= 3 honours EPSG:4326 axis order lat/lon unless told otherwise: feed traditional GIS order via OGC:CRS84.
      const ref = gdalTransform("OGC:CRS84", crs, lon, lat);
      expect(Math.abs(ours[0] - ref[0])).toBeLessThan(1e-3);
      expect(Math.abs(ours[1] - ref[1])).toBeLessThan(1e-3);
    }
  });
});

describe("rasterize", () => {
  const grid: Grid = { crs: "EPSG:32649", transform: [10, 0, 0, 0, -10, 100], width: 10, height: 10 };

  it("fills exactly the pixels whose centres are inside a square", () => {
    // Square x 20..60, y 30..80 -> columns 2..5 (centres 25..55), rows 2..6 (centres 75..35).
    const rings = [
      [
        [
          [20, 30],
          [60, 30],
          [60, 80],
          [20, 80],
          [20, 30],
        ],
      ],
    ];
    const m = rasterizeRings(rings, grid, { x: 0, y: 0, width: 10, height: 10 });
    expect(m.reduce((s, v) => s + v, 0)).toBe(4 * 5);
    expect(m[2 * 10 + 2]).toBe(1);
    expect(m[6 * 10 + 5]).toBe(1);
    expect(m[7 * 10 + 5]).toBe(0);
    expect(m[2 * 10 + 6]).toBe(0);
  });

  it("leaves a hole empty (even-odd)", () => {
    const outer = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
      [0, 0],
    ];
    const hole = [
      [40, 40],
      [60, 40],
      [60, 60],
      [40, 60],
      [40, 40],
    ];
    const m = rasterizeRings([[outer, hole]], grid, { x: 0, y: 0, width: 10, height: 10 });
    expect(m.reduce((s, v) => s + v, 0)).toBe(100 - 4);
    expect(m[5 * 10 + 5]).toBe(0);
  });

  it("works inside a window offset in the grid", () => {
    const rings = [
      [
        [
          [0, 0],
          [100, 0],
          [100, 100],
          [0, 100],
          [0, 0],
        ],
      ],
    ];
    const m = rasterizeRings(rings, grid, { x: 8, y: 9, width: 2, height: 1 });
    expect(Array.from(m)).toEqual([1, 1]);
  });

  it("reports an AOI that misses the scene", () => {
    const aoi = parseAoi(square(10, 10, 10.1, 10.1), "far.geojson");
    expect(() => aoiWindow(aoi, { ...grid, crs: "EPSG:32649" })).toThrow(/far.geojson: AOI does not overlap the scene/);
  });
});
