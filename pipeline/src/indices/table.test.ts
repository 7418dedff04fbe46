/**
 * Every index on a hand-computed pixel. Reflectances: B 0.05, G 0.08, R 0.06, N 0.40, S1 0.20,
 * S2 0.10, T 300 K. Expected values are worked out in the comments from docs/science.md's formulas.
 */
import { describe, expect, it } from "vitest";
import type { BandLetter } from "../raster.ts";
import { computeIndex } from "./compute.ts";
import { INDEX_TABLE, indexByName, indicesFor } from "./table.ts";

const P: Record<BandLetter, number> = { B: 0.05, G: 0.08, R: 0.06, N: 0.4, S1: 0.2, S2: 0.1, T: 300 };
const one = (name: string, sensor: "landsat-8" | "sentinel-2" = "landsat-8", px = P) => {
  const def = indexByName(name);
  const bands = Object.fromEntries(def.bands.map((b) => [b, new Float32Array([px[b]])]));
  return computeIndex(def, bands, undefined, sensor)[0]!;
};

// BSI = ((0.2+0.06)-(0.4+0.05))/((0.2+0.06)+(0.4+0.05)) = -0.19/0.71
const BSI = -0.19 / 0.71;
// IBI: 2S1/(S1+N) = 0.4/0.6 = 0.666667; N/(N+R) = 0.4/0.46 = 0.869565; G/(G+S1) = 0.08/0.28 = 0.285714
const built = 0.4 / 0.6;
const veg = 0.4 / 0.46 + 0.08 / 0.28;
const IBI = (built - veg) / (built + veg);

const expected: Record<string, number> = {
  ndvi: 0.34 / 0.46, // (0.4-0.06)/(0.4+0.06)
  savi: (1.5 * 0.34) / (0.46 + 0.5),
  msavi2: 0.5 * (2 * 0.4 + 1 - Math.sqrt((2 * 0.4 + 1) ** 2 - 8 * 0.34)), // 0.5*(1.8 - sqrt(3.24-2.72)) = 0.5*(1.8-0.721110)
  evi: (2.5 * 0.34) / (0.4 + 6 * 0.06 - 7.5 * 0.05 + 1), // 0.85/1.385
  gdvi: (0.16 - 0.0036) / (0.16 + 0.0036),
  nbr: 0.3 / 0.5,
  nbr2: 0.1 / 0.3,
  ndmi: 0.2 / 0.6,
  ndwi: -0.32 / 0.48,
  mndwi: -0.12 / 0.28,
  ndbi: -0.2 / 0.6,
  bsi: BSI,
  ibi: IBI,
  ndbsi: (BSI + IBI) / 2,
  ndsi: -0.12 / 0.28,
  albedo: 0.356 * 0.05 + 0.13 * 0.06 + 0.373 * 0.4 + 0.085 * 0.2 + 0.072 * 0.1 - 0.0018, // 0.1881
  // Crist 1985 Landsat: 0.2043*.05+0.4158*.08+0.5524*.06+0.5741*.4+0.3124*.2+0.2303*.1
  tcb: 0.010215 + 0.033264 + 0.033144 + 0.22964 + 0.06248 + 0.02303,
  tcg: -0.008015 - 0.022552 - 0.029604 + 0.3176 - 0.00004 - 0.01446,
  tcw: 0.001575 + 0.016168 + 0.018612 + 0.06376 - 0.13612 - 0.06109,
  lst: 300 - 273.15,
};

describe("index table on a hand-computed Landsat pixel", () => {
  for (const def of INDEX_TABLE) {
    it(`${def.name} = ${expected[def.name]?.toFixed(6)}`, () => {
      expect(expected[def.name]).toBeDefined();
      expect(one(def.name)).toBeCloseTo(expected[def.name]!, 5);
    });
  }

  it("uses the Sentinel-2 tasseled cap set (Shi & Xu 2019) for Sentinel-2", () => {
    // wetness: 0.2578*.05+0.2305*.08+0.0883*.06+0.1071*.4-0.7611*.2-0.5308*.1
    const w = 0.01289 + 0.01844 + 0.005298 + 0.04284 - 0.15222 - 0.05308;
    expect(one("tcw", "sentinel-2")).toBeCloseTo(w, 6);
    const b = 0.01755 + 0.030504 + 0.020622 + 0.28784 + 0.04792 + 0.01949;
    expect(one("tcb", "sentinel-2")).toBeCloseTo(b, 6);
  });
});

describe("numeric edges", () => {
  it("gives NaN, never 0 or Inf, for a zero denominator", () => {
    const z = { ...P, N: 0, R: 0, S2: 0, S1: 0, G: 0 };
    for (const n of ["ndvi", "nbr", "nbr2", "ndwi", "gdvi", "savi"]) {
      const v = one(n, "landsat-8", z);
      if (n === "savi")
        expect(v).toBe(0); // (1.5*0)/(0+0+0.5) is a true zero, not a 0/0
      else expect(v).toBeNaN();
    }
  });

  it("propagates NaN and Inf inputs as NaN", () => {
    expect(one("ndvi", "landsat-8", { ...P, N: Number.NaN })).toBeNaN();
    expect(one("ndvi", "landsat-8", { ...P, R: Number.POSITIVE_INFINITY })).toBeNaN();
    expect(one("albedo", "landsat-8", { ...P, S2: Number.NaN })).toBeNaN();
    expect(one("tcw", "landsat-8", { ...P, B: Number.NEGATIVE_INFINITY })).toBeNaN();
    expect(one("bsi", "landsat-8", { ...P, S1: Number.NaN })).toBeNaN();
  });

  it("writes NaN where the valid mask is 0, and handles an all-masked block and a single pixel", () => {
    const def = indexByName("ndvi");
    const bands = { N: new Float32Array([0.4, 0.5, 0.3]), R: new Float32Array([0.06, 0.1, 0.1]) };
    const out = computeIndex(def, bands, new Uint8Array([1, 0, 1]), "landsat-8");
    expect(out[0]).toBeCloseTo(0.34 / 0.46, 6);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(0.5, 6);
    const all = computeIndex(def, bands, new Uint8Array(3), "landsat-8");
    expect(Array.from(all).every(Number.isNaN)).toBe(true);
    expect(
      computeIndex(indexByName("evi"), { N: new Float32Array([0.4]), R: new Float32Array([0.06]), B: new Float32Array([0.05]) }, undefined, "sentinel-2")[0],
    ).toBeCloseTo(expected.evi!, 6);
  });

  it("lists only indices the bands allow, and names unknown ones", () => {
    expect(indicesFor("sentinel-2", ["B", "G", "R", "N", "S1", "S2"]).map((d) => d.name)).not.toContain("lst");
    expect(indicesFor("landsat-8", ["N", "R"]).map((d) => d.name)).toEqual(["ndvi", "savi", "msavi2", "gdvi"]);
    expect(() => indexByName("nope")).toThrow(/--index nope: unknown index \(known: ndvi, savi/);
  });
});
