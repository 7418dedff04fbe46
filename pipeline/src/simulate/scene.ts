/**
 * One SIMULATED Sentinel-2 L2A-like scene: reflectance from the truth's vegetation fraction and
 * phenology, seeded sensor noise, clouds with shadows, SCL classes, then DNs with the real
 * convention (DN = reflectance * 10000, +1000 from processing baseline 04.00, 0 = no data).
 */
import { mulberry32 } from "../random.ts";
import { cloudMask, shadowOf } from "./atmosphere.ts";
import { ENDMEMBERS, mix } from "./spectra.ts";
import type { SiteTruth } from "./truth.ts";

export interface SceneSpec {
  date: string;
  /** Composite year the vegetation state belongs to. */
  year: number;
  cloudCover: number;
  /** Bright bare pixels flagged as cloud in SCL although clear (a known L2A false cloud). */
  falseCloudOnBare: boolean;
  snow: boolean;
  seed: number;
}

export interface SceneArrays {
  /** B, G, R, N, S1, S2 reflectance on the site grid. */
  refl: Float32Array[];
  scl: Uint8Array;
}

/** Seasonal greenness multiplier: 1 in the growing season, lower in winter (steppe browns more). */
export function phenology(site: string, date: string): number {
  const month = Number(date.slice(5, 7));
  if (site === "ganzhou") return month >= 4 && month <= 9 ? 1 : 0.92;
  return month >= 6 && month <= 9 ? 1 : month === 5 || month === 10 ? 0.6 : 0.3;
}

export function synthesize(site: string, t: SiteTruth, s: SceneSpec): SceneArrays {
  const { width, height } = t.grid;
  const n = width * height;
  const veg = t.veg.get(s.year)!;
  const green = phenology(site, s.date);
  const vegEm = site === "ganzhou" ? ENDMEMBERS.forest : ENDMEMBERS.steppe;
  const soilEm = site === "ganzhou" ? ENDMEMBERS.laterite : ENDMEMBERS.soilSteppe;
  const rand = mulberry32(s.seed);
  const gauss = () => (rand() + rand() + rand() - 1.5) * 0.0113; // sd 0.005 (sum of 3 uniforms)
  const cloud = cloudMask(width, height, s.cloudCover, s.seed + 1);
  const shadow = shadowOf(cloud, width, height, 12, 8);
  const refl = Array.from({ length: 6 }, () => new Float32Array(n));
  const scl = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = veg[i]! * green;
    const bare = t.rocky[i] ? ENDMEMBERS.rock : soilEm;
    for (let k = 0; k < 6; k++) {
      let v = mix(vegEm, bare, f, k) + gauss();
      if (s.snow && t.rocky[i] === 0 && rand() < 0.7) v = ENDMEMBERS.snow[k]!;
      if (cloud[i]) v = 0.1 * v + 0.9 * ENDMEMBERS.cloud[k]!;
      else if (shadow[i]) v *= 0.35;
      refl[k]![i] = v;
    }
    scl[i] = cloud[i] ? 9 : shadow[i] ? 3 : s.snow && refl[3]![i]! > 0.6 ? 11 : f >= 0.35 ? 4 : 5;
    if (s.falseCloudOnBare && !cloud[i] && t.rocky[i] && f < 0.2) scl[i] = 8;
  }
  return { refl, scl };
}

/** Reflectance -> L2A DN: round(r * 10000) + offset, kept in 1..65535 (0 is no data). */
export function toDn(r: Float32Array, offsetDn: number): Uint16Array {
  const out = new Uint16Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = Math.max(1, Math.min(65535, Math.round(r[i]! * 10000) + offsetDn));
  return out;
}

/** 2x2 block mean (20 m bands from the 10 m-equivalent grid); odd edges repeat. */
export function halve(a: Float32Array, width: number, height: number): Float32Array {
  const w2 = Math.ceil(width / 2);
  const h2 = Math.ceil(height / 2);
  const out = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++)
    for (let x = 0; x < w2; x++) {
      const x0 = 2 * x;
      const y0 = 2 * y;
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      out[y * w2 + x] = (a[y0 * width + x0]! + a[y0 * width + x1]! + a[y1 * width + x0]! + a[y1 * width + x1]!) / 4;
    }
  return out;
}

/** Top-left sample of each 2x2 block (SCL at 20 m). */
export function halveNearest(a: Uint8Array, width: number, height: number): Uint8Array {
  const w2 = Math.ceil(width / 2);
  const h2 = Math.ceil(height / 2);
  const out = new Uint8Array(w2 * h2);
  for (let y = 0; y < h2; y++) for (let x = 0; x < w2; x++) out[y * w2 + x] = a[2 * y * width + 2 * x]!;
  return out;
}
