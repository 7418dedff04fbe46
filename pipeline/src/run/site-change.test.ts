import { describe, expect, it } from "vitest";
import { detectChange, Y2R_NODATA } from "./site-change.ts";
import type { YearComposite } from "./site-composites.ts";

// Pixel 0 loses its cover in 2005 and regrows; pixels 1 and 2 are two control zones at NDVI 0.5 and 0.7.
const YEARS = Array.from({ length: 12 }, (_, k) => 2000 + k);
const P0 = [0.8, 0.8, 0.8, 0.8, 0.8, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75];
const comps = YEARS.map((year, k) => {
  const v = Float32Array.from([P0[k]!, 0.5, 0.7]);
  return { year, index: { ndvi: v, nbr: v } } as unknown as YearComposite;
});
const aoi = Uint8Array.from([1, 1, 1]);
const controls = [Uint8Array.from([0, 1, 0]), Uint8Array.from([0, 0, 1])];

describe("site change stage (hand-computed)", () => {
  it("dates the loss and classes the regrowth against the pixel's own former cover", () => {
    const c = detectChange(comps, "nbr", aoi, 0.15, controls);
    expect(c.disturbanceYear[0]).toBe(2005);
    expect(c.duration[0]).toBe(1); // d = 2004, r = 2005
    expect(c.bareNdvi).toBeCloseTo(0.2, 6); // 1st percentile of the sampled NDVI (pixel 0)
    // rho = (NDVI - 0.2) / (0.8 - 0.2)
    expect(c.classes[YEARS.indexOf(2004)]![0]).toBe(1);
    expect(c.classes[YEARS.indexOf(2005)]![0]).toBe(2); // rho 0
    expect(c.classes[YEARS.indexOf(2007)]![0]).toBe(2); // rho 0.333
    expect(c.classes[YEARS.indexOf(2009)]![0]).toBe(3); // rho 0.667
    expect(c.classes[YEARS.indexOf(2011)]![0]).toBe(4); // rho 0.917
    expect(c.classes[0]![1]).toBe(1);
  });

  it("takes the recovery target from the control zones: median over years, pixels, zones", () => {
    const c = detectChange(comps, "nbr", aoi, 0.15, controls);
    expect(c.recoveryTarget).toEqual({ source: "control zones", value: expect.closeTo(0.6, 6) }); // median(0.5, 0.7)
    expect(c.timestep[0]).toBe(5); // 2005 + 5 = 2010 <= 2011
    expect(c.r80p[0]).toBeCloseTo(0.7 / (0.8 * 0.6), 5); // NDVI(2010) / (0.8 target)
    expect(c.y2r[0]).toBe(3); // 0.5 >= 0.48 first in 2008
    expect(c.dir[0]).toBeCloseTo(0.7 - 0.2, 5);
    expect(c.yryr[0]).toBeCloseTo(0.1, 5);
    expect(c.rri[0]).toBeCloseTo((0.7 - 0.2) / (0.8 - 0.2), 5); // max(NDVI(2009), NDVI(2010)) = 0.7
    expect(c.y2r[1]).toBe(Y2R_NODATA); // no disturbance
    expect(c.r80p[1]).toBeNaN();
  });

  it("without control zones, the target is the pixel's median NDVI before the loss", () => {
    const c = detectChange(comps, "nbr", aoi, 0.15, [new Uint8Array(3)]);
    expect(c.recoveryTarget).toEqual({ source: "pixel pre-disturbance median", value: null });
    expect(c.r80p[0]).toBeCloseTo(0.7 / (0.8 * 0.8), 5);
    expect(c.y2r[0]).toBe(5); // 0.7 >= 0.64 first in 2010
  });

  it("truncates t where the series ends sooner than r + 5", () => {
    const late = YEARS.map((year, k) => {
      const v = Float32Array.from([k < 8 ? 0.8 : 0.2 + 0.1 * (k - 8)]); // loss in 2008, r = 2008, t = 3
      return { year, index: { ndvi: v, nbr: v } } as unknown as YearComposite;
    });
    const c = detectChange(late, "nbr", Uint8Array.from([1]), 0.15);
    expect(c.disturbanceYear[0]).toBe(2008);
    expect(c.timestep[0]).toBe(3);
    expect(c.dir[0]).toBeCloseTo(0.3, 5); // NDVI(2011) - NDVI(2008)
    expect(c.yryr[0]).toBeCloseTo(0.1, 5);
  });
});
