import { describe, expect, it } from "vitest";
import { blocks, gridBounds, invertAffine, pixelToWorld, resampleNearestInto, windowForBounds, windowGrid, worldToPixel } from "./grid.ts";
import type { Grid } from "./raster.ts";

// The Brumadinho 2019-01-14 clip: UL corner 583485, -2222685 (EPSG:32623), 30 m, 400 x 300 px.
const brum: Grid = {
  crs: "EPSG:32623",
  transform: [30, 0, 583485, 0, -30, -2222685],
  width: 400,
  height: 300,
};

describe("affine transforms", () => {
  it("maps the four image corners to the clip footprint", () => {
    expect(pixelToWorld(brum.transform, 0, 0)).toEqual([583485, -2222685]);
    expect(pixelToWorld(brum.transform, 400, 300)).toEqual([583485 + 12000, -2222685 - 9000]);
    expect(gridBounds(brum)).toEqual([583485, -2231685, 595485, -2222685]);
  });

  it("round-trips pixel <-> world at corners and centres", () => {
    for (const [c, r] of [
      [0, 0],
      [399.5, 299.5],
      [400, 0],
      [0, 300],
      [123.25, 45.75],
    ] as const) {
      const [x, y] = pixelToWorld(brum.transform, c, r);
      const [c2, r2] = worldToPixel(brum.transform, x, y);
      expect(c2).toBeCloseTo(c, 9);
      expect(r2).toBeCloseTo(r, 9);
    }
  });

  it("inverts a rotated transform", () => {
    const t = [2, 0.5, 10, -0.25, -3, 100] as const;
    const inv = invertAffine(t);
    const [x, y] = pixelToWorld(t, 7, 11);
    const [c, r] = pixelToWorld(inv, x, y);
    expect(c).toBeCloseTo(7, 12);
    expect(r).toBeCloseTo(11, 12);
  });

  it("refuses a singular transform", () => {
    expect(() => invertAffine([0, 0, 0, 0, 0, 0])).toThrow(/not invertible/);
  });
});

describe("windows", () => {
  it("finds the pixel window of a bounds box, clipped to the grid", () => {
    // 583485 + 30*10 = 583785 ; -2222685 - 30*20 = -2223285
    expect(windowForBounds(brum, [583785, -2223285 - 30 * 5, 583785 + 30 * 3, -2223285])).toEqual({
      x: 10,
      y: 20,
      width: 3,
      height: 5,
    });
    expect(windowForBounds(brum, [500000, -2300000, 700000, -2000000])).toEqual({
      x: 0,
      y: 0,
      width: 400,
      height: 300,
    });
    expect(windowForBounds(brum, [0, 0, 10, 10])).toBeNull();
  });

  it("gives a window its own grid", () => {
    const g = windowGrid(brum, { x: 30, y: 2, width: 5, height: 4 });
    expect(g.transform).toEqual([30, 0, 583485 + 900, 0, -30, -2222685 - 60]);
  });

  it("tiles an area into blocks covering every pixel once", () => {
    const bs = blocks(1100, 513, 512);
    expect(bs.length).toBe(6);
    expect(bs.reduce((s, b) => s + b.width * b.height, 0)).toBe(1100 * 513);
    expect(bs.at(-1)).toEqual({ x: 1024, y: 512, width: 76, height: 1 });
  });
});

describe("nearest resampling", () => {
  it("doubles a 20 m band onto a 10 m grid", () => {
    const coarse: Grid = { crs: "EPSG:32649", transform: [20, 0, 0, 0, -20, 40], width: 2, height: 2 };
    const fine: Grid = { crs: "EPSG:32649", transform: [10, 0, 0, 0, -10, 40], width: 4, height: 4 };
    const out = resampleNearestInto(new Float32Array([1, 2, 3, 4]), coarse, fine, new Float32Array(16), Number.NaN);
    expect(Array.from(out)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it("fills destination pixels outside the source", () => {
    const src: Grid = { crs: "EPSG:32649", transform: [10, 0, 0, 0, -10, 10], width: 1, height: 1 };
    const dst: Grid = { crs: "EPSG:32649", transform: [10, 0, -10, 0, -10, 10], width: 3, height: 1 };
    const out = resampleNearestInto(new Uint16Array([7]), src, dst, new Uint16Array(3), 0);
    expect(Array.from(out)).toEqual([0, 7, 0]);
  });
});
