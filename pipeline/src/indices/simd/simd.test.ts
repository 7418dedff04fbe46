import { describe, expect, it } from "vitest";
import { compileKernels } from "./build.ts";
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";
import { CHUNK, SimdNd } from "./nd.ts";

describe("SIMD normalized difference", () => {
  it("the committed module is a fresh compile of kernels.wat", async () => {
    expect(await compileKernels()).toBe(KERNELS_WASM_BASE64);
  });

  it("matches the formula by hand, including NaN, Inf and zero denominators, on a ragged length", () => {
    const a = new Float32Array([0.4, 0, Number.NaN, 0.5, Number.POSITIVE_INFINITY, 0.3, 1e-12]);
    const b = new Float32Array([0.06, 0, 0.1, -0.5, 0.1, 0.1, 0]);
    const out = new Float32Array(7);
    new SimdNd().run(a, b, out);
    expect(out[0]).toBeCloseTo(0.34 / 0.46, 6);
    expect(out[1]).toBeNaN(); // 0/0
    expect(out[2]).toBeNaN(); // NaN input
    expect(out[3]).toBeNaN(); // a + b = 0
    expect(out[4]).toBeNaN(); // Inf input
    expect(out[5]).toBeCloseTo(0.5, 6); // tail element, scalar path
    expect(out[6]).toBeNaN(); // |a + b| < 1e-10
  });

  it("agrees with float64 arithmetic to float32 precision on random data", () => {
    const n = 10_003;
    const a = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
    const b = Float32Array.from({ length: n }, (_, i) => ((i * 104729) % 997) / 997);
    const out = new Float32Array(n);
    new SimdNd().run(a, b, out);
    for (let i = 0; i < n; i++) {
      const s = a[i]! + b[i]!;
      const ref = Math.abs(s) >= 1e-10 ? (a[i]! - b[i]!) / s : Number.NaN;
      if (Number.isNaN(ref)) expect(out[i]).toBeNaN();
      else expect(Math.abs(out[i]! - ref)).toBeLessThanOrEqual(2e-7 * Math.max(1, Math.abs(ref)));
    }
  });

  it("six-band linear combination matches the formula (TC wetness, Crist 1985) and NaNs non-finite results", () => {
    const n = 4101;
    const bands = Array.from({ length: 6 }, (_, k) => Float32Array.from({ length: n }, (_, i) => ((i * (k + 3)) % 101) / 300));
    bands[2]![7] = Number.NaN;
    bands[5]![4100] = Number.POSITIVE_INFINITY; // in the scalar tail
    const c = [0.0315, 0.2021, 0.3102, 0.1594, -0.6806, -0.6109];
    const out = new Float32Array(n);
    new SimdNd().linear6(bands, c, 0, out);
    expect(out[7]).toBeNaN();
    expect(out[4100]).toBeNaN();
    for (const i of [0, 1, 2, 3, 100, 4099]) {
      const ref = c.reduce((s, ck, k) => s + ck * bands[k]![i]!, 0);
      expect(out[i]).toBeCloseTo(ref, 6);
    }
  });

  it("masks invalid pixels inside each chunk, across chunk edges and in the ragged tail", () => {
    const n = CHUNK + 1811;
    const a = Float32Array.from({ length: n }, (_, i) => 0.3 + (i % 7) / 100);
    const b = Float32Array.from({ length: n }, () => 0.1);
    const valid = new Uint8Array(n).fill(1);
    const masked = [0, CHUNK - 1, CHUNK, n - 1];
    for (const i of masked) valid[i] = 0;
    const nd = new Float32Array(n);
    const lin = new Float32Array(n);
    const s = new SimdNd();
    s.run(a, b, nd, valid);
    s.linear6([a, b, a, b, a, b], [1, 1, 0, 0, 0, 0], 0, lin, valid);
    for (const i of masked) {
      expect(nd[i]).toBeNaN();
      expect(lin[i]).toBeNaN();
    }
    for (const i of [1, CHUNK - 2, CHUNK + 1, n - 2]) {
      expect(nd[i]).toBeCloseTo((a[i]! - 0.1) / (a[i]! + 0.1), 6);
      expect(lin[i]).toBeCloseTo(a[i]! + 0.1, 6);
    }
  });
});
