/**
 * One SIMULATED Sentinel-2 L2A-like scene as reflectance arrays: the truth's state for the
 * scene's season year, mixed from endmembers (green vegetation by the date's green share,
 * dry vegetation, the bare surface), shaded by terrain, then snow, cloud shadow, cirrus and
 * cloud on top, plus Gaussian sensor noise. The 10 m bands live on the site grid; the 20 m
 * bands (B8A, B11, B12) and SCL on a grid of twice the pixel size, as in real L2A products.
 */
import type { Grid } from "../raster.ts";
import { SURFACES } from "../site/schema.ts";
import type { Site } from "../site/site.ts";
import { type Atmosphere, atmosphere, CLOUD_HEIGHT_M } from "./atmosphere.ts";
import { gaussian } from "./field.ts";
import type { SceneSpec } from "./schedule.ts";
import { classifyScl } from "./scl.ts";
import { ENDMEMBERS } from "./spectra.ts";
import { dayOfYear, shadowOffset } from "./sun.ts";
import type { SiteTruth } from "./truth.ts";

export const NOISE_SD = 0.003;
const BANDS = 7;

export interface SceneArrays {
  /** B02 B03 B04 B08 on the site grid (reflectance, NaN beyond the swath). */
  fine: Float32Array[];
  /** B8A B11 B12 on the coarse grid. */
  coarse: Float32Array[];
  scl: Uint8Array;
  coarseGrid: Grid;
  /** Noise-free reflectance at the surface under a clear sky, all 7 bands, site grid (for tests and SCL). */
  surface: Float32Array[];
  atmosphere: Atmosphere;
}

/** Green share of the vegetation on a date: raised cosine between minGreen (winter) and 1 (peakDoy). */
export function greenShare(p: { peakDoy: number; minGreen: number }, date: string): number {
  return p.minGreen + (1 - p.minGreen) * (0.5 + 0.5 * Math.cos((2 * Math.PI * (dayOfYear(date) - p.peakDoy)) / 365));
}

/** The grid of the 20 m bands: twice the pixel size, same origin, covering the site grid. */
export function coarseGridOf(g: Grid): Grid {
  const [a, b, c, d, e, f] = g.transform;
  return { crs: g.crs, transform: [2 * a, b, c, d, 2 * e, f], width: Math.ceil(g.width / 2), height: Math.ceil(g.height / 2) };
}

export function synthesize(site: Site, t: SiteTruth, s: SceneSpec, lat: number): SceneArrays {
  const { width, height } = t.grid;
  const surface = surfaceReflectance(site, t, s);
  const res = t.grid.transform[0];
  const atm = atmosphere(width, height, res, s, shadowOffset(s.date, lat, CLOUD_HEIGHT_M, res));
  const top = surface.map((b) => Float32Array.from(b));
  applyAtmosphere(top, atm);
  const coarseGrid = coarseGridOf(t.grid);
  const noise = gaussian(s.seed);
  const fine = [0, 1, 2, 3].map((k) => withNoise(top[k]!, atm.nodata, noise));
  const nodataCoarse = halveNearest(atm.nodata, width, height);
  const coarse = [4, 5, 6].map((k) => withNoise(halve(top[k]!, width, height), nodataCoarse, noise));
  const scl = classifyScl(
    {
      surface: surface.map((b) => halve(b, width, height)),
      water: halve(
        Float32Array.from(t.state(s.stateYear).surface, (c) => (SURFACES[c] === "water" ? 1 : 0)),
        width,
        height,
      ),
      cloud: halve(atm.cloud, width, height),
      shadow: halve(atm.shadow, width, height),
      cirrus: halve(atm.cirrus, width, height),
      snow: halve(atm.snow, width, height),
      falseCloud: halve(Float32Array.from(atm.falseCloud), width, height),
      nodata: nodataCoarse,
    },
    s.falseCloud,
  );
  return { fine, coarse, scl, coarseGrid, surface, atmosphere: atm };
}

/** Clear-sky surface reflectance of the scene's date, 7 bands on the site grid (mixInto's sum, unrolled per pixel). */
export function surfaceReflectance(site: Site, t: SiteTruth, s: SceneSpec): Float32Array[] {
  const sim = site.simulation!;
  const state = t.state(s.stateYear);
  const g = greenShare(sim.phenology, s.date);
  const veg = ENDMEMBERS[sim.vegetation];
  const npv = ENDMEMBERS.npv;
  const bare = SURFACES.map((name) => ENDMEMBERS[name]);
  const n = state.veg.length;
  const out = Array.from({ length: BANDS }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const v = state.veg[i]!;
    const b = bare[state.surface[i]!]!;
    const shade = t.landscape.illum[i]!;
    for (let k = 0; k < BANDS; k++) out[k]![i] = (v * g * veg[k]! + v * (1 - g) * npv[k]! + (1 - v) * b[k]!) * shade;
  }
  return out;
}

/** Snow, then shadow, cirrus and cloud, on the 7 band arrays in place. */
function applyAtmosphere(b: Float32Array[], a: Atmosphere): void {
  for (let i = 0; i < b[0]!.length; i++) {
    const sn = a.snow[i]!;
    const sh = 1 - a.shadow[i]!;
    const ci = a.cirrus[i]!;
    const cl = a.cloud[i]!;
    for (let k = 0; k < BANDS; k++) {
      let v = b[k]![i]! * (1 - sn) + ENDMEMBERS.snow[k]! * sn;
      v = v * sh + ci * ENDMEMBERS.cirrus[k]!;
      b[k]![i] = v * (1 - cl) + ENDMEMBERS.cloud[k]! * cl;
    }
  }
}

function withNoise(a: Float32Array, nodata: Uint8Array, noise: () => number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = nodata[i] ? Number.NaN : a[i]! + NOISE_SD * noise();
  return out;
}

/** 2x2 block mean onto the coarse grid; a missing right column / bottom row repeats the last one. */
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

/** Top-left sample of each 2x2 block. */
export function halveNearest(a: Uint8Array, width: number, height: number): Uint8Array {
  const w2 = Math.ceil(width / 2);
  const h2 = Math.ceil(height / 2);
  const out = new Uint8Array(w2 * h2);
  for (let y = 0; y < h2; y++) for (let x = 0; x < w2; x++) out[y * w2 + x] = a[2 * y * width + 2 * x]!;
  return out;
}
