/**
 * What lies between the ground and the sensor in a SIMULATED scene, as per-pixel fields on the
 * site grid: cloud opacity (a fractal field thresholded to the scene's cloud cover, with soft
 * edges), cloud shadows (the opacity shifted away from the sun by the shadow of a cloud 2 km up),
 * a thin cirrus veil, patchy snow, patches where bright ground is mistaken for cloud, and the
 * part of the grid beyond the swath edge. Feature sizes are in metres, so they do not change
 * with the pixel size.
 */
import { fbm, hashSeed, quantile } from "./field.ts";
import type { SceneSpec } from "./schedule.ts";

export interface Atmosphere {
  /** Cloud opacity 0..1 (0 clear, 1 opaque). */
  cloud: Float32Array;
  /** Share of direct sunlight a cloud blocks, 0..1. */
  shadow: Float32Array;
  /** Cirrus strength 0..1 (times the cirrus spectrum, added to the surface). */
  cirrus: Float32Array;
  /** Snow cover 0..1. */
  snow: Float32Array;
  /** 1 where bright bare ground and turbid water are flagged as cloud (when the scene has false clouds). */
  falseCloud: Uint8Array;
  /** 1 beyond the swath edge (no data), constant over 2x2 blocks so both resolutions agree. */
  nodata: Uint8Array;
}

export const CLOUD_HEIGHT_M = 2000;
/** Share of direct light an opaque cloud removes from its shadow (diffuse skylight remains). */
export const SHADOW_DEPTH = 0.75;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export function atmosphere(width: number, height: number, res: number, s: SceneSpec, shadowAt: { dx: number; dy: number }): Atmosphere {
  const n = width * height;
  const cell = (metres: number) => Math.max(2, metres / res);
  const seed = (layer: string) => hashSeed(s.seed, layer);
  const cloud = new Float32Array(n);
  if (s.cloudCover > 0) softThreshold(fbm(width, height, cell(3000), 4, seed("cloud")), s.cloudCover, 0.06, cloud);
  const shadow = shifted(cloud, width, height, shadowAt.dx, shadowAt.dy);
  for (let i = 0; i < n; i++) shadow[i] = SHADOW_DEPTH * shadow[i]! * (1 - cloud[i]!);
  const cirrus = new Float32Array(n);
  if (s.cirrus > 0) {
    const v = fbm(width, height, cell(8000), 3, seed("cirrus"));
    for (let i = 0; i < n; i++) cirrus[i] = s.cirrus * clamp01((v[i]! - 0.55) / 0.15);
  }
  const snow = new Float32Array(n);
  if (s.snow > 0) softThreshold(fbm(width, height, cell(1200), 3, seed("snow")), s.snow, 0.05, snow);
  const falseCloud = new Uint8Array(n);
  if (s.falseCloud) {
    const v = fbm(width, height, cell(400), 2, seed("false-cloud"));
    for (let i = 0; i < n; i++) falseCloud[i] = v[i]! > 0.4 ? 1 : 0;
  }
  return { cloud, shadow, cirrus, snow, falseCloud, nodata: swathMask(width, height, s.swathCut) };
}

/** out = ramp from 0 at the (1 - share) quantile of v to 1 a `soft` above it: about `share` of pixels > 0. */
function softThreshold(v: Float32Array, share: number, soft: number, out: Float32Array): void {
  const t = quantile(v, 1 - share);
  for (let i = 0; i < v.length; i++) out[i] = clamp01((v[i]! - t) / soft);
}

/** a moved by (dx, dy) pixels: out[y][x] = a[y - dy][x - dx], 0 where that falls off the grid. */
export function shifted(a: Float32Array, width: number, height: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < width) out[y * width + x] = a[sy * width + sx]!;
    }
  }
  return out;
}

/** The east side of a swath edge tilted like a Sentinel-2 ground track, holding `cut` of the grid. */
function swathMask(width: number, height: number, cut: number): Uint8Array {
  const out = new Uint8Array(width * height);
  if (cut <= 0) return out;
  const u = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) u[y * width + x] = 2 * Math.floor(x / 2) + 0.4 * Math.floor(y / 2);
  const t = quantile(u, 1 - cut);
  for (let i = 0; i < u.length; i++) out[i] = u[i]! > t ? 1 : 0;
  return out;
}
