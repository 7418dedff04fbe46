/**
 * Index values stored as int16 with scale 1e-4 and no-data -32768, as FORCE and most index
 * archives do: half of float32's bytes and better compression, with a step (1e-4) far below
 * sensor noise. Values beyond +-3.2767 (EVI near a zero denominator) are clamped and counted.
 */
export const INT16_SCALE = 1e-4;
export const INT16_NODATA = -32768;

/** Index values to int16 steps of INT16_SCALE; NaN -> no-data. Returns how many were clamped. */
export function quantizeInto(values: Float32Array, out: Int16Array): number {
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      out[i] = INT16_NODATA;
      continue;
    }
    let q = Math.round(v / INT16_SCALE);
    if (q > 32767 || q < -32767) {
      q = q > 0 ? 32767 : -32767;
      clamped++;
    }
    out[i] = q;
  }
  return clamped;
}

/** STAC raster:bands of an int16-scaled band (statistics, when given, are of the unscaled index values). */
export function int16RasterBand(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { data_type: "int16", nodata: INT16_NODATA, scale: INT16_SCALE, offset: 0, ...extra };
}
