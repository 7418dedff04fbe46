/**
 * Stratified random sample of a class map (Olofsson et al. 2014 section 4.1; strata = map
 * classes), drawn without replacement with a seeded generator, so a sample can be reproduced.
 * Allocation: every stratum gets its share of `total` in proportion to its area, but at least
 * `minPerStratum` units (all of its pixels when it has fewer): rare classes get more than their
 * proportional share, the compromise between equal and proportional allocation that Olofsson et
 * al. (2014) recommend for rare classes. (docs/science.md, Areas with confidence intervals gives the estimator, not an allocation.)
 */
import { pixelToWorld } from "../grid.ts";
import { transformer } from "../project.ts";
import { mulberry32 } from "../random.ts";
import type { Grid } from "../raster.ts";

export interface SamplePoint {
  id: number;
  pixel: number;
  x: number;
  y: number;
  lon: number;
  lat: number;
  mapClass: number;
}

/** n_h = min(N_h, max(minPerStratum, round(total * N_h / N))) for stratum sizes N_h (pixels). */
export function allocate(sizes: readonly number[], total: number, minPerStratum: number): number[] {
  const N = sizes.reduce((a, b) => a + b, 0);
  return sizes.map((Nh) => (Nh > 0 ? Math.min(Nh, Math.max(minPerStratum, Math.round((total * Nh) / N))) : 0));
}

/** The allocation rule of `allocate` in words, with its parameters. */
export function allocationRule(total: number, minPerStratum: number): string {
  return (
    `n_h = min(N_h, max(${minPerStratum}, round(${total} * N_h / N))): each class of the map gets its area share of ${total} points, ` +
    `but at least ${minPerStratum} (every pixel of a class smaller than that), so rare classes get more than their proportional share ` +
    "(Olofsson et al. 2014); points drawn without replacement, uniformly within each class, by a seeded generator (mulberry32)"
  );
}

/** `classes[i]` = map class of pixel i (0 = not in the population). */
export function stratifiedSample(classes: ArrayLike<number>, grid: Grid, total: number, minPerStratum: number, seed: number): SamplePoint[] {
  const strata = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) if (classes[i]) (strata.get(classes[i]!) ?? strata.set(classes[i]!, []).get(classes[i]!)!).push(i);
  const ordered = [...strata.entries()].sort((a, b) => a[0] - b[0]);
  const sizes = allocate(
    ordered.map(([, pixels]) => pixels.length),
    total,
    minPerStratum,
  );
  const rand = mulberry32(seed);
  const toLonLat = transformer(grid.crs, "EPSG:4326");
  const out: SamplePoint[] = [];
  for (const [k, [cls, pixels]] of ordered.entries()) {
    const n = sizes[k]!;
    // Partial Fisher-Yates: the first n of a seeded shuffle.
    const pool = pixels.slice();
    for (let m = 0; m < n; m++) {
      const j = m + Math.floor(rand() * (pool.length - m));
      [pool[m], pool[j]] = [pool[j]!, pool[m]!];
      const p = pool[m]!;
      const [x, y] = pixelToWorld(grid.transform, (p % grid.width) + 0.5, Math.floor(p / grid.width) + 0.5);
      const [lon, lat] = toLonLat(x, y);
      out.push({ id: out.length + 1, pixel: p, x, y, lon, lat, mapClass: cls });
    }
  }
  return out;
}

/** Confusion counts n[i][j] (map class i, reference class j) for the given class codes. */
export function confusion(points: SamplePoint[], reference: (p: SamplePoint) => number, codes: number[]): number[][] {
  const n = codes.map(() => codes.map(() => 0));
  for (const p of points) {
    const i = codes.indexOf(p.mapClass);
    const j = codes.indexOf(reference(p));
    if (i >= 0 && j >= 0) n[i]![j]!++;
  }
  return n;
}
