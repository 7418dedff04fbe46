import { describe, expect, it } from "vitest";
import { downsampleRows, pyramidSizes } from "./cog-overviews.ts";

const N = Number.NaN;

describe("2x2 overview reduction", () => {
  it("averages a hand-made 4x4 float raster, skipping NaN (all-NaN windows stay NaN)", () => {
    const img = [
      [1, 2, 3, N],
      [3, N, 5, 7],
      [N, N, 0.5, 0.25],
      [N, N, 1, 2],
    ].map((r) => Float32Array.from(r));
    const top = new Float32Array(2);
    const bottom = new Float32Array(2);
    downsampleRows(img[0]!, img[1]!, 4, top, "average", N);
    downsampleRows(img[2]!, img[3]!, 4, bottom, "average", N);
    // (1+2+3)/3, (3+5+7)/3, all NaN, (0.5+0.25+1+2)/4
    expect(Array.from(top)).toEqual([2, 5]);
    expect(Number.isNaN(bottom[0])).toBe(true);
    expect(bottom[1]).toBe(0.9375);
  });

  it("an odd width averages the last column alone; a last odd row is averaged with itself", () => {
    const out = new Float32Array(2);
    downsampleRows(Float32Array.of(1, 2, 4), Float32Array.of(3, 5, N), 3, out, "average", N);
    expect(Array.from(out)).toEqual([2.75, 4]);
    const last = Float32Array.of(1, N, 6);
    downsampleRows(last, last, 3, out, "average", N);
    expect(Array.from(out)).toEqual([1, 6]);
  });

  it("integers skip a numeric no-data value and round half up", () => {
    const u = new Uint16Array(2);
    downsampleRows(Uint16Array.of(0, 10, 3, 4), Uint16Array.of(0, 0, 6, 7), 4, u, "average", 0);
    expect(Array.from(u)).toEqual([10, 5]);
    downsampleRows(Uint16Array.of(1, 2, 0, 0), Uint16Array.of(2, 2, 0, 0), 4, u, "average", 0);
    expect(Array.from(u)).toEqual([2, 0]); // 7/4 = 1.75 -> 2; all no-data -> no-data
    const s = new Int16Array(2);
    downsampleRows(Int16Array.of(-3, -2, -1, -2), Int16Array.of(-2, -2, -1, -2), 4, s, "average", N);
    expect(Array.from(s)).toEqual([-2, -1]); // -2.25 -> -2, -1.5 -> -1
  });

  it("mode picks the most frequent valid class, the first seen on ties; nearest the top-left pixel", () => {
    const m = new Uint8Array(3);
    downsampleRows(Uint8Array.of(1, 2, 1, 1, 3, 4), Uint8Array.of(2, 2, 1, 0, 4, 3), 6, m, "mode", 0);
    expect(Array.from(m)).toEqual([2, 1, 3]);
    downsampleRows(Uint8Array.of(0, 0, 9, 8, 7), Uint8Array.of(0, 5, 9, 9, 7), 5, m, "nearest", 0);
    expect(Array.from(m)).toEqual([0, 9, 7]);
  });
});

describe("pyramid sizes", () => {
  it("halves (rounding up) until the level fits in one tile, as GDAL's COG driver does", () => {
    expect(pyramidSizes(1037, 531, 512)).toEqual([
      [1037, 531],
      [519, 266],
      [260, 133],
    ]);
    expect(pyramidSizes(512, 512, 512)).toEqual([[512, 512]]);
    expect(pyramidSizes(513, 1, 512)).toEqual([
      [513, 1],
      [257, 1],
    ]);
    expect(pyramidSizes(10980, 10980, 512).map(([w]) => w)).toEqual([10980, 5490, 2745, 1373, 687, 344]);
  });
});
