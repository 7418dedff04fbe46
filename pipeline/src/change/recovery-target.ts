/**
 * Recovery targets (docs/science.md, Compositing and time series, as the spectral-recovery package's median target):
 * - historic, pixel scale: per pixel, the median of its values over the reference years;
 * - historic, polygon scale: that, then the median over the polygon's pixels;
 * - reference (control) polygons: the median over the reference years per pixel, then over each
 *   polygon's pixels, then over the polygons.
 * Every median skips NaN (a pixel with no value in the window drops out of the pixel median); a
 * median of nothing is NaN. Stacks are one Float32Array per year, aligned with `years`.
 */

/** Median of the finite values (mean of the two middle ones for an even count); NaN when none. */
export function median(values: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) v.push(Number(values[i]));
  if (v.length === 0) return Number.NaN;
  v.sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h]! : 0.5 * (v[h - 1]! + v[h]!);
}

/** Per pixel: the median over the years in [window[0], window[1]]; NaN outside `mask` (when given). */
export function medianOverYears(stack: readonly Float32Array[], years: readonly number[], window: readonly [number, number], mask?: Uint8Array): Float32Array {
  const ks = years.flatMap((y, k) => (y >= window[0] && y <= window[1] ? [k] : []));
  const n = stack[0]?.length ?? 0;
  const out = new Float32Array(n).fill(Number.NaN);
  const v = new Float64Array(ks.length);
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    for (let j = 0; j < ks.length; j++) v[j] = stack[ks[j]!]![i]!;
    out[i] = median(v);
  }
  return out;
}

/** Median of `values` over the pixels where `mask` is set. */
export function medianOverMask(values: ArrayLike<number>, mask: Uint8Array): number {
  const v: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) v.push(Number(values[i]));
  return median(v);
}

/** Historic target of one polygon: median over the window's years, then over the polygon's pixels. */
export function historicPolygonTarget(stack: readonly Float32Array[], years: readonly number[], window: readonly [number, number], mask: Uint8Array): number {
  return medianOverMask(medianOverYears(stack, years, window, mask), mask);
}

/** Target from reference polygons: median over years, then over each polygon's pixels, then over polygons. */
export function referenceTarget(
  stack: readonly Float32Array[],
  years: readonly number[],
  window: readonly [number, number],
  polygons: readonly Uint8Array[],
): number {
  return median(polygons.map((m) => historicPolygonTarget(stack, years, window, m)));
}
