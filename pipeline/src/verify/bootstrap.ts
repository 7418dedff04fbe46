/**
 * A 95 % interval for the mean of a per-pixel quantity over a zone. Neighbouring pixels are not
 * independent (one field, one pit bench spans many pixels), so a pixel bootstrap would give an
 * interval far too narrow; we resample square blocks of pixels instead (a spatial block
 * bootstrap, Künsch 1989 / Lahiri 2003), with a fixed seed so reports are reproducible.
 */
import { mulberry32 } from "../random.ts";

export interface BlockBootstrapResult {
  mean: number;
  ci95: [number, number];
  validCount: number;
  blocks: number;
}

export function blockBootstrapMean(values: Float32Array, width: number, height: number, blockSize = 8, reps = 2000, seed = 1): BlockBootstrapResult {
  const sums: number[] = [];
  const counts: number[] = [];
  for (let by = 0; by < height; by += blockSize)
    for (let bx = 0; bx < width; bx += blockSize) {
      let s = 0;
      let c = 0;
      for (let y = by; y < Math.min(height, by + blockSize); y++)
        for (let x = bx; x < Math.min(width, bx + blockSize); x++) {
          const v = values[y * width + x]!;
          if (v === v) {
            s += v;
            c++;
          }
        }
      if (c > 0) {
        sums.push(s);
        counts.push(c);
      }
    }
  const validCount = counts.reduce((a, b) => a + b, 0);
  const mean = validCount ? sums.reduce((a, b) => a + b, 0) / validCount : Number.NaN;
  if (sums.length < 2) return { mean, ci95: [Number.NaN, Number.NaN], validCount, blocks: sums.length };
  const rand = mulberry32(seed);
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let s = 0;
    let c = 0;
    for (let k = 0; k < sums.length; k++) {
      const j = Math.floor(rand() * sums.length);
      s += sums[j]!;
      c += counts[j]!;
    }
    means[r] = s / c;
  }
  means.sort();
  return {
    mean,
    ci95: [quantileSorted(means, 0.025), quantileSorted(means, 0.975)],
    validCount,
    blocks: sums.length,
  };
}

/** Linear-interpolation quantile (type 7, as numpy's default) of a sorted array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Wilson's (1927) score interval for a proportion p observed on n units, 95 %. Where every
 * sampled unit agrees (p = 0 or 1) a bootstrap has no spread and would claim certainty; the
 * score interval still bounds what n units cannot rule out: [n / (n + z^2), 1] for p = 1.
 */
export function wilsonInterval(p: number, n: number, z = 1.959964): [number, number] {
  if (!(n > 0)) return [Number.NaN, Number.NaN];
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
