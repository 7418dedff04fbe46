import { describe, expect, it } from "vitest";
import { historicPolygonTarget, median, medianOverMask, medianOverYears, referenceTarget } from "./recovery-target.ts";

const f32 = (...v: number[]) => Float32Array.from(v);
const NaN_ = Number.NaN;

describe("recovery targets by hand", () => {
  it("median: odd, even, NaN skipped, empty", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN_, 1, Number.POSITIVE_INFINITY])).toBe(1);
    expect(median([])).toBeNaN();
  });

  // Three pixels, four years; the window 2001-2003 leaves out 2000.
  const years = [2000, 2001, 2002, 2003];
  const stack = [f32(9, 0, 5), f32(1, NaN_, 5), f32(3, 5, NaN_), f32(2, 7, NaN_)];

  it("historic, pixel scale: each pixel's median over the window", () => {
    const t = medianOverYears(stack, years, [2001, 2003]);
    expect(Array.from(t)).toEqual([2, 6, 5]); // median(1,3,2); median(5,7); median(5)
    const masked = medianOverYears(stack, years, [2001, 2003], Uint8Array.from([1, 0, 1]));
    expect(masked[1]).toBeNaN();
  });

  it("historic, polygon scale: then the median over the polygon's pixels", () => {
    expect(historicPolygonTarget(stack, years, [2001, 2003], Uint8Array.from([1, 1, 0]))).toBe(4); // median(2, 6)
    expect(historicPolygonTarget(stack, years, [2001, 2003], Uint8Array.from([1, 1, 1]))).toBe(5); // median(2, 6, 5)
    expect(medianOverMask(f32(NaN_, 1, 2), Uint8Array.from([1, 1, 1]))).toBe(1.5); // a pixel without a value drops out
  });

  it("reference polygons: median over years, then pixels, then polygons", () => {
    const a = Uint8Array.from([1, 0, 0]); // 2
    const b = Uint8Array.from([0, 1, 0]); // 6
    const c = Uint8Array.from([0, 1, 1]); // median(6, 5) = 5.5
    expect(referenceTarget(stack, years, [2001, 2003], [a, b, c])).toBe(5.5); // median(2, 6, 5.5)
    expect(referenceTarget(stack, years, [2000, 2000], [a, b])).toBe(4.5); // median(9, 0)
  });
});
