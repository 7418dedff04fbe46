/**
 * Seeded random fields for the SIMULATED scenes: string-hashed seeds (so each scene, year and
 * layer draws from its own stream whatever else is generated), smooth value noise and fractal
 * sums of it (clouds, cover, illumination), Gaussian draws for sensor noise. Deterministic:
 * the same seed gives the same numbers on every run.
 */
import { mulberry32 } from "../random.ts";

/** 32-bit FNV-1a hash of the parts joined by "|": a seed for one named stream. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("|")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Standard normal draws (Box-Muller) from a seeded uniform stream. */
export function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const a = Math.max(u(), 1e-12);
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

const smoothstep = (t: number) => t * t * (3 - 2 * t);

/** Value noise in [0, 1): a random lattice every `cell` pixels, smoothstep-interpolated. */
export function valueNoise(width: number, height: number, cell: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rand();
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / cell);
    const ty = smoothstep(y / cell - y0);
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / cell);
      const tx = smoothstep(x / cell - x0);
      const i = y0 * gw + x0;
      const top = lattice[i]! + (lattice[i + 1]! - lattice[i]!) * tx;
      const bottom = lattice[i + gw]! + (lattice[i + gw + 1]! - lattice[i + gw]!) * tx;
      out[y * width + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}

/** Fractal sum of `octaves` value-noise layers (cell halves, weight halves), rescaled to [0, 1). */
export function fbm(width: number, height: number, cell: number, octaves: number, seed: number): Float32Array {
  const out = new Float32Array(width * height);
  let weight = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const layer = valueNoise(width, height, Math.max(1, cell / 2 ** o), hashSeed(seed, "octave", o));
    for (let i = 0; i < out.length; i++) out[i]! += weight * layer[i]!;
    total += weight;
    weight /= 2;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/** The value below which a share `q` (0..1) of the selected values lies (all values when no mask). */
export function quantile(values: Float32Array, q: number, mask?: Uint8Array): number {
  const picked = mask ? values.filter((_, i) => mask[i] === 1) : Float32Array.from(values);
  if (picked.length === 0) return Number.NaN;
  picked.sort();
  return picked[Math.min(picked.length - 1, Math.max(0, Math.floor(q * picked.length)))]!;
}
