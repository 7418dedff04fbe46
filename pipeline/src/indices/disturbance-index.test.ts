import { describe, expect, it } from "vitest";
import { diDef, TcStatsAccumulator } from "./disturbance-index.ts";

describe("Disturbance Index (Healey 2005)", () => {
  it("standardises TC components by the dense-vegetation reference, by hand", () => {
    // Reference: two forest pixels (NDVI >= 0.6). Landsat TC of forest pixel 1 (B .03 G .06 R .035 N .38 S1 .18 S2 .08):
    const f1 = { B: 0.03, G: 0.06, R: 0.035, N: 0.38, S1: 0.18, S2: 0.08 };
    const f2 = { B: 0.04, G: 0.07, R: 0.04, N: 0.42, S1: 0.2, S2: 0.09 };
    const bare = { B: 0.12, G: 0.16, R: 0.2, N: 0.25, S1: 0.32, S2: 0.28 };
    const px = [f1, f2, bare];
    const bands = Object.fromEntries((["B", "G", "R", "N", "S1", "S2"] as const).map((k) => [k, Float32Array.from(px, (p) => p[k])]));
    const acc = new TcStatsAccumulator();
    acc.add(bands, new Uint8Array([1, 1, 1]), "landsat-8");
    const st = acc.result();
    expect(st.count).toBe(2); // the bare pixel (NDVI 0.11) is not reference vegetation
    const c = {
      b: [0.2043, 0.4158, 0.5524, 0.5741, 0.3124, 0.2303],
      g: [-0.1603, -0.2819, -0.4934, 0.794, -0.0002, -0.1446],
      w: [0.0315, 0.2021, 0.3102, 0.1594, -0.6806, -0.6109],
    };
    const tc = (p: typeof f1, k: number[]) => k[0]! * p.B + k[1]! * p.G + k[2]! * p.R + k[3]! * p.N + k[4]! * p.S1 + k[5]! * p.S2;
    const z = (p: typeof f1, k: number[]) => (tc(p, k) - (tc(f1, k) + tc(f2, k)) / 2) / (Math.abs(tc(f1, k) - tc(f2, k)) / 2);
    // Population SD of two values is half their difference; the means are their average.
    const expected = z(bare, c.b) - (z(bare, c.g) + z(bare, c.w));
    const out = new Float32Array(3);
    diDef({ ...st, count: 100 }).kernel(bands, undefined, out, "landsat-8");
    expect(out[2]).toBeCloseTo(expected, 2);
    expect(out[2]).toBeGreaterThan(out[0]!);
  });

  it("is all NaN without enough reference vegetation", () => {
    const out = new Float32Array(1);
    const one = new Float32Array([0.1]);
    diDef({ count: 5, mean: [0, 0, 0], sd: [1, 1, 1] }).kernel({ B: one, G: one, R: one, N: one, S1: one, S2: one }, undefined, out, "sentinel-2");
    expect(out[0]).toBeNaN();
  });
});
