import { describe, expect, it } from "vitest";
import { BAND_NAMES, ENDMEMBERS, mix, mixInto, ndviOf } from "./spectra.ts";

// Index formulas written out here (docs/science.md: Indices), band order B02 B03 B04 B08 B8A B11 B12.
const [B, G, R, N, S1] = [0, 1, 2, 3, 5];
const bsi = (s: readonly number[]) => (s[S1]! + s[R]! - s[N]! - s[B]!) / (s[S1]! + s[R]! + s[N]! + s[B]!);
const mndwi = (s: readonly number[]) => (s[G]! - s[S1]!) / (s[G]! + s[S1]!);

describe("endmembers", () => {
  it("have the seven L2A bands the pipeline reads, reflectances in (0, 1)", () => {
    expect(BAND_NAMES).toEqual(["B02", "B03", "B04", "B08", "B8A", "B11", "B12"]);
    for (const [name, s] of Object.entries(ENDMEMBERS)) {
      expect(s, name).toHaveLength(7);
      for (const v of s) expect(v > 0 && v < 1, name).toBe(true);
    }
  });

  it("give the NDVI computed by hand from their red and NIR reflectances", () => {
    // steppe: (0.30 - 0.06) / (0.30 + 0.06); forest: (0.36 - 0.03) / (0.36 + 0.03); ...
    expect(ndviOf(ENDMEMBERS.steppe)).toBeCloseTo(0.24 / 0.36, 12);
    expect(ndviOf(ENDMEMBERS.steppe)).toBeCloseTo(0.666667, 6);
    expect(ndviOf(ENDMEMBERS.forest)).toBeCloseTo(0.846154, 6);
    expect(ndviOf(ENDMEMBERS.soilSteppe)).toBeCloseTo(0.05 / 0.41, 12);
    expect(ndviOf(ENDMEMBERS.laterite)).toBeCloseTo(0.125, 12);
    expect(ndviOf(ENDMEMBERS.rock)).toBeCloseTo(0.04 / 0.42, 12);
    expect(ndviOf(ENDMEMBERS.tailings)).toBeCloseTo(0.03 / 0.65, 12);
    expect(ndviOf(ENDMEMBERS.water)).toBeCloseTo(-0.05 / 0.19, 12);
  });

  it("make the site mask-override rules work: bright bare ground BSI > 0.1 (cloud about 0), turbid water MNDWI > 0", () => {
    expect(bsi(ENDMEMBERS.rock)).toBeCloseTo(0.14 / 0.88, 12);
    expect(bsi(ENDMEMBERS.tailings)).toBeCloseTo(0.15 / 1.31, 12);
    expect(bsi(ENDMEMBERS.rock)).toBeGreaterThan(0.1);
    expect(bsi(ENDMEMBERS.tailings)).toBeGreaterThan(0.1);
    expect(mndwi(ENDMEMBERS.water)).toBeCloseTo(0.1 / 0.14, 12);
    expect(bsi(ENDMEMBERS.cloud)).toBeCloseTo(-0.16 / 2.1, 12);
    // A thick cloud's MNDWI is (0.54 - 0.42) / 0.96 = 0.125 > 0, like water's: MNDWI alone cannot tell a
    // turbid pond from a cloud over it; their NIR can (water 0.07, cloud 0.58).
    expect(mndwi(ENDMEMBERS.cloud)).toBeCloseTo(0.12 / 0.96, 12);
    expect(ENDMEMBERS.water[3]).toBeLessThan(0.15);
    expect(ENDMEMBERS.cloud[3]).toBeGreaterThan(0.5);
    // Snow: NDSI (G - S1) / (G + S1) = (0.87 - 0.10) / 0.97.
    expect(mndwi(ENDMEMBERS.snow)).toBeCloseTo(0.77 / 0.97, 12);
  });
});

describe("linear mixing", () => {
  it("mixes two endmembers band by band", () => {
    // 50 % steppe on chestnut soil: NIR 0.265, red 0.12, NDVI 0.145 / 0.385.
    const s = [0, 1, 2, 3, 4, 5, 6].map((k) => mix(ENDMEMBERS.steppe, ENDMEMBERS.soilSteppe, 0.5, k));
    expect(s[3]).toBeCloseTo(0.265, 12);
    expect(s[2]).toBeCloseTo(0.12, 12);
    expect(ndviOf(s)).toBeCloseTo(0.145 / 0.385, 12);
  });

  it("sums any number of fractions", () => {
    const out = mixInto(new Float64Array(7), [ENDMEMBERS.forest, ENDMEMBERS.npv, ENDMEMBERS.laterite], [0.6, 0.1, 0.3]);
    expect(out[3]).toBeCloseTo(0.6 * 0.36 + 0.1 * 0.22 + 0.3 * 0.27, 12);
    expect(out[6]).toBeCloseTo(0.6 * 0.075 + 0.1 * 0.24 + 0.3 * 0.31, 12);
  });
});
