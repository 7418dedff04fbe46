/**
 * Clouds, shadows and their Sentinel-2 SCL classes for SIMULATED scenes: smooth seeded noise
 * thresholded to a target cover; shadows are the cloud mask shifted away from the sun.
 */
import { mulberry32 } from "../random.ts";

/** Smooth value noise in [0, 1): bilinear interpolation of a coarse random lattice. */
export function smoothNoise(width: number, height: number, cell: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = Float32Array.from({ length: gw * gh }, () => rand());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const ty = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const tx = gx - x0;
      const a = lattice[y0 * gw + x0]!;
      const b = lattice[y0 * gw + x0 + 1]!;
      const c = lattice[(y0 + 1) * gw + x0]!;
      const d = lattice[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
    }
  }
  return out;
}

/** Cloud mask with about `cover` of the pixels set (threshold at the noise quantile). */
export function cloudMask(width: number, height: number, cover: number, seed: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  if (cover <= 0) return mask;
  const n = smoothNoise(width, height, 40, seed);
  const sorted = Float32Array.from(n).sort();
  const t = sorted[Math.min(sorted.length - 1, Math.floor((1 - cover) * sorted.length))]!;
  for (let i = 0; i < n.length; i++) mask[i] = n[i]! >= t ? 1 : 0;
  return mask;
}

/** The cloud mask shifted by (dx, dy) pixels, minus the clouds themselves. */
export function shadowOf(cloud: Uint8Array, width: number, height: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(cloud.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < width && sy < height && cloud[sy * width + sx] && !cloud[y * width + x]) out[y * width + x] = 1;
    }
  return out;
}
