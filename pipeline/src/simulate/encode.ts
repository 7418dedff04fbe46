/**
 * Sentinel-2 L2A digital numbers for SIMULATED reflectance, with the real convention:
 * DN = round(reflectance * 10000) + BOA_ADD_OFFSET, where the offset is +1000 DN (i.e. the
 * product's BOA_ADD_OFFSET of -1000 undone) from processing baseline 04.00 (2022-01-25) on and
 * 0 before; DN 0 is no data, so valid values are kept in 1..65535.
 */
export const QUANTIFICATION = 10000;

/** DN offset that readers must subtract: 1000 from baseline 04.00 on, 0 before. */
export function baselineOffsetDn(processingBaseline: string): number {
  return Number(processingBaseline) >= 4 ? 1000 : 0;
}

/** Reflectance -> uint16 DN; NaN (beyond the swath) -> 0. */
export function toDn(r: Float32Array, offsetDn: number): Uint16Array {
  const out = new Uint16Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    out[i] = Number.isNaN(v) ? 0 : Math.max(1, Math.min(65535, Math.round(v * QUANTIFICATION) + offsetDn));
  }
  return out;
}
