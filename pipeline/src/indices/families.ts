/**
 * Formula families shared by the index table. Each returns an allocation-free kernel
 * `(bands, valid, out, sensor) => void` that writes NaN for masked pixels, non-finite inputs and
 * near-zero denominators (|den| < 1e-10), never 0 and never Inf.
 */
import type { BandLetter, Sensor } from "../raster.ts";
import { lin32, nd32, simdNd } from "./simd/nd.ts";

export type Bands = Partial<Record<BandLetter, Float32Array>>;
export type Kernel = (bands: Bands, valid: Uint8Array | undefined, out: Float32Array, sensor: Sensor) => void;

export const EPS = 1e-10;
/** Blocks at least this long take the SIMD path (below it the copies cost more than they save). */
export const SIMD_MIN = 4096;

/** (a - b) / (a + b); WebAssembly SIMD for blocks, the scalar loop for small ones. */
export function normalizedDifference(a: BandLetter, b: BandLetter): Kernel {
  return (bands, valid, out) => {
    const x = bands[a]!;
    const y = bands[b]!;
    if (out.length >= SIMD_MIN) {
      simdNd().run(x, y, out, valid);
      return;
    }
    // float32 arithmetic as the SIMD kernel, so a pixel's value does not depend on the block's length
    for (let i = 0; i < out.length; i++) out[i] = valid === undefined || valid[i] ? nd32(x[i]!, y[i]!) : Number.NaN;
  };
}

/** Any per-pixel formula of reflectances; `f` returns NaN for its own undefined cases. */
export function pointwise(letters: BandLetter[], f: (v: Float64Array, sensor: Sensor) => number): Kernel {
  const v = new Float64Array(letters.length);
  return (bands, valid, out, sensor) => {
    const arrays = letters.map((l) => bands[l]!);
    for (let i = 0; i < out.length; i++) {
      if (valid !== undefined && !valid[i]) {
        out[i] = Number.NaN;
        continue;
      }
      for (let k = 0; k < arrays.length; k++) v[k] = arrays[k]![i]!;
      const r = f(v, sensor);
      out[i] = Number.isFinite(r) ? r : Number.NaN;
    }
  };
}

/** A ratio whose denominator is checked against EPS. */
export function safeDiv(num: number, den: number): number {
  return Math.abs(den) >= EPS ? num / den : Number.NaN;
}

/** Linear combination sum(c_k * band_k) + constant, with coefficients chosen per sensor. */
export function linearCombination(letters: BandLetter[], coefficients: (sensor: Sensor) => number[], constant = 0): Kernel {
  return (bands, valid, out, sensor) => {
    const c = coefficients(sensor);
    const arrays = letters.map((l) => bands[l]!);
    if (arrays.length === 6) {
      if (out.length >= SIMD_MIN) simdNd().linear6(arrays, c, constant, out, valid);
      // float32 arithmetic as the SIMD kernel (nd.ts), so a pixel's value does not depend on the block's length
      else for (let i = 0; i < out.length; i++) out[i] = valid !== undefined && !valid[i] ? Number.NaN : lin32(arrays, i, c, constant);
      return;
    }
    out.fill(constant);
    for (let k = 0; k < arrays.length; k++) {
      const a = arrays[k]!;
      const ck = c[k]!;
      for (let i = 0; i < out.length; i++) out[i]! += ck * a[i]!;
    }
    for (let i = 0; i < out.length; i++) if ((valid !== undefined && !valid[i]) || !Number.isFinite(out[i]!)) out[i] = Number.NaN;
  };
}
