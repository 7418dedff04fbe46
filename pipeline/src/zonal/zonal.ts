/** Statistics of a raster inside a zone mask: mean, percentiles, valid count, class areas. */
import { quantileSorted } from "../verify/bootstrap.ts";

export interface ZoneStats {
  mean: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  count: number;
  /** Valid pixels / pixels in the zone. */
  validFraction: number;
}

/** Statistics of `values` where `zone[i] == 1`; NaN values are not valid observations. */
export function zoneStats(values: ArrayLike<number>, zone: Uint8Array): ZoneStats {
  const picked: number[] = [];
  let inZone = 0;
  for (let i = 0; i < zone.length; i++) {
    if (!zone[i]) continue;
    inZone++;
    const v = values[i]!;
    if (v === v) picked.push(v);
  }
  if (picked.length === 0) return { mean: null, p10: null, p50: null, p90: null, count: 0, validFraction: 0 };
  const sorted = Float64Array.from(picked).sort();
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    mean: r(picked.reduce((a, b) => a + b, 0) / picked.length),
    p10: r(quantileSorted(sorted, 0.1)),
    p50: r(quantileSorted(sorted, 0.5)),
    p90: r(quantileSorted(sorted, 0.9)),
    count: picked.length,
    validFraction: r(picked.length / inZone),
  };
}

/** Area in km2 of each class value inside the zone (class 0 = no data is skipped). */
export function classAreasKm2(classes: ArrayLike<number>, zone: Uint8Array, pixelAreaM2: number, names: Record<number, string>): Record<string, number> {
  const counts = new Map<number, number>();
  countClasses(classes, zone, 0, counts);
  return classAreasOf(counts, pixelAreaM2, names);
}

/** Adds the zone's pixels of each class value (0 skipped) to `counts`; `at` is where `classes` starts in the zone's grid. */
export function countClasses(classes: ArrayLike<number>, zone: Uint8Array, at: number, counts: Map<number, number>): void {
  for (let i = 0; i < classes.length; i++) if (zone[at + i] && classes[i]) counts.set(classes[i]!, (counts.get(classes[i]!) ?? 0) + 1);
}

/** Pixel counts per class value as km2 per class name, rounded to 1 m2. */
export function classAreasOf(counts: Map<number, number>, pixelAreaM2: number, names: Record<number, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, name] of Object.entries(names)) out[name] = Math.round((((counts.get(Number(code)) ?? 0) * pixelAreaM2) / 1e6) * 1e6) / 1e6;
  return out;
}
