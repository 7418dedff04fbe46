/**
 * A stored raster sample as the value a chart shows: raw * scale + offset rounded to 1e-6, or null
 * for no-data and NaN. One rule for the server's point answers (tiles/src/data-access.ts) and the
 * static viewer's own COG reads (viewer/src/static-point.ts), so both give the same numbers.
 */
export function sampleValue(raw: number, nodata: number | null | undefined, scale = 1, offset = 0): number | null {
  return Number.isFinite(raw) && raw !== nodata ? Math.round((raw * scale + offset) * 1e6) / 1e6 : null;
}
