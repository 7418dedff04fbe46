/**
 * Stratified random sample of a class map (Olofsson et al. 2014 section 4.1): a fixed number of
 * units per stratum (at least `minPerStratum`, more for larger strata in proportion to area),
 * drawn without replacement with a seeded generator, so a label sheet can be reproduced.
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

/** `classes[i]` = map class of pixel i (0 = not in the population). */
export function stratifiedSample(classes: ArrayLike<number>, grid: Grid, total: number, minPerStratum: number, seed: number): SamplePoint[] {
  const strata = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) if (classes[i]) (strata.get(classes[i]!) ?? strata.set(classes[i]!, []).get(classes[i]!)!).push(i);
  const N = [...strata.values()].reduce((s, a) => s + a.length, 0);
  const rand = mulberry32(seed);
  const toLonLat = transformer(grid.crs, "EPSG:4326");
  const out: SamplePoint[] = [];
  for (const [cls, pixels] of [...strata.entries()].sort((a, b) => a[0] - b[0])) {
    const n = Math.min(pixels.length, Math.max(minPerStratum, Math.round((total * pixels.length) / N)));
    // Partial Fisher-Yates: the first n of a seeded shuffle.
    const pool = pixels.slice();
    for (let k = 0; k < n; k++) {
      const j = k + Math.floor(rand() * (pool.length - k));
      [pool[k], pool[j]] = [pool[j]!, pool[k]!];
      const p = pool[k]!;
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

export function labelSheetCsv(points: SamplePoint[], names: Record<number, string>): string {
  const rows = points.map((p) => [p.id, p.x.toFixed(2), p.y.toFixed(2), p.lon.toFixed(7), p.lat.toFixed(7), names[p.mapClass] ?? p.mapClass, ""].join(","));
  return `id,x,y,lon,lat,map_class,reference_class\n${rows.join("\n")}\n`;
}
