import { describe, expect, it } from "vitest";
import { gdalTransform, hasGdal } from "../../tests/helpers/gdal.ts";
import { HALF, lonLatToMercator, MAX_ZOOM, mercatorToLonLat, tileBounds, tileCover, tileOf, validTile } from "./mercator.ts";

describe("tile math", () => {
  it("zoom 0 is the whole world square", () => {
    expect(tileBounds(0, 0, 0)).toEqual([-HALF, -HALF, HALF, HALF]);
  });

  it("z1 tile (0, 0) is the north-west quadrant (y from the north)", () => {
    expect(tileBounds(1, 0, 0)).toEqual([-HALF, 0, 0, HALF]);
    expect(tileBounds(1, 1, 1)).toEqual([0, -HALF, HALF, 0]);
  });

  it("round-trips lon/lat at corners, the antimeridian and Bayan Obo", () => {
    for (const [lon, lat] of [
      [0, 0],
      [-180, -85.05112878],
      [180, 85.05112878],
      [109.97, 41.78],
      [-44.15, -20.12],
    ]) {
      const [x, y] = lonLatToMercator(lon!, lat!);
      const [lon2, lat2] = mercatorToLonLat(x, y);
      expect(lon2).toBeCloseTo(lon!, 9);
      expect(lat2).toBeCloseTo(lat!, 9);
    }
  });

  it("agrees with PROJ (gdaltransform) on EPSG:3857", { skip: !hasGdal }, () => {
    const [x, y] = lonLatToMercator(109.97, 41.78);
    const [gx, gy] = gdalTransform("OGC:CRS84", "EPSG:3857", 109.97, 41.78);
    expect(Math.abs(x - gx)).toBeLessThan(1e-3);
    expect(Math.abs(y - gy)).toBeLessThan(1e-3);
  });

  it("finds the tile of a point and its bounds contain it, at every zoom up to the max", () => {
    for (let z = 0; z <= MAX_ZOOM; z++) {
      const [x, y] = tileOf(109.97, 41.78, z);
      const b = tileBounds(z, x, y);
      const [mx, my] = lonLatToMercator(109.97, 41.78);
      expect(mx >= b[0] && mx <= b[2] && my >= b[1] && my <= b[3]).toBe(true);
    }
    expect(tileOf(180, -85.1, 3)).toEqual([7, 7]);
    expect(tileOf(-180, 85.1, 3)).toEqual([0, 0]);
  });

  it("covers a box with the tiles it touches and validates indices", () => {
    expect(tileCover([-1, -1, 1, 1], 1)).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(validTile(0, 0, 0)).toBe(true);
    expect(validTile(2, 4, 0)).toBe(false);
    expect(validTile(25, 0, 0)).toBe(false);
    expect(validTile(1.5, 0, 0)).toBe(false);
  });
});
