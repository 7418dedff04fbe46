import { describe, expect, it } from "vitest";
import { applyRsei, fitRsei } from "./rsei.ts";

describe("RSEI", () => {
  it("finds the common axis of perfectly correlated components and orients it (NDVI +, NDBSI -)", () => {
    // NDVI = t, wetness = t, NDBSI = -t over t = 0..1: normalised they are t, t, 1 - t.
    // Covariance of (t, t, 1-t) is Var(t) * [[1,1,-1],[1,1,-1],[-1,-1,1]]: one non-zero eigenvalue,
    // eigenvector (1, 1, -1)/sqrt(3), all variance on PC1.
    const t = Float32Array.from({ length: 101 }, (_, i) => i / 100);
    const comps = { ndvi: t, wet: t, ndbsi: t.map((v) => -v) };
    const m = fitRsei(comps, new Float32Array(101).fill(-0.5));
    const s = 1 / Math.sqrt(3);
    expect(m.loadings[0]).toBeCloseTo(s, 6);
    expect(m.loadings[1]).toBeCloseTo(s, 6);
    expect(m.loadings[2]).toBeCloseTo(-s, 6);
    expect(m.varianceShare).toBeCloseTo(1, 6);
    expect(m.label).toMatch(/without LST/);
    const r = applyRsei(comps, new Float32Array(101).fill(-0.5), m);
    expect(r[0]).toBeCloseTo(0, 6);
    expect(r[100]).toBeCloseTo(1, 6);
    expect(r[50]).toBeCloseTo(0.5, 6);
  });

  it("masks water (MNDWI > 0) and flips a PC1 that comes out reversed", () => {
    const t = Float32Array.from({ length: 10 }, (_, i) => i / 9);
    const mndwi = new Float32Array(10).fill(-0.3);
    mndwi[3] = 0.4;
    const comps = { ndvi: t, ndbsi: t.map((v) => 1 - v), lst: t.map((v) => 40 - 10 * v) };
    const m = fitRsei(comps, mndwi);
    expect(m.loadings[0]).toBeGreaterThan(0);
    expect(m.loadings[1]).toBeLessThan(0);
    expect(m.loadings[2]).toBeLessThan(0);
    const r = applyRsei(comps, mndwi, m);
    expect(r[3]).toBeNaN();
    expect(r[9]).toBeGreaterThan(r[0]!);
  });
});
