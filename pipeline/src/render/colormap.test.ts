import { interpolateViridis } from "d3-scale-chromatic";
import { describe, expect, it } from "vitest";
import { colorize, colormapNames, loadColormap } from "./colormap.ts";

describe("colour lookup tables", () => {
  it("samples a continuous scheme at k/255 and clamps values to the range", () => {
    // d3's viridis ends: #440154 at 0, #fde725 at 1; the middle level is k = 128 (0.5 of [0, 2] rounds to 127.5 -> 128).
    expect(interpolateViridis(0)).toBe("#440154");
    const px = colorize([-5, 0, 2, 9, Number.NaN], "viridis", [0, 2]);
    expect(Array.from(px.subarray(0, 4))).toEqual([0x44, 0x01, 0x54, 255]);
    expect(Array.from(px.subarray(8, 12))).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(Array.from(px.subarray(12, 16))).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(Array.from(px.subarray(16, 20))).toEqual([0, 0, 0, 0]);
  });

  it("looks categorical values up by value, and leaves unknown values and no-data transparent", () => {
    const px = colorize([1, 2, 7, 0], "classes", [0, 4], 0);
    expect(Array.from(px.subarray(0, 4))).toEqual([0xbd, 0xbd, 0xbd, 255]);
    expect(Array.from(px.subarray(4, 8))).toEqual([0xd7, 0x30, 0x1f, 255]);
    expect(Array.from(px.subarray(8, 16))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("names the known maps for an unknown one", () => {
    expect(colormapNames()).toContain("ndvi");
    expect(() => loadColormap("toString")).toThrow(/colormap "toString" is unknown \(known: bare, change, classes/);
  });
});
