/**
 * Streaming annual composite, median reducer (STYLE.md 6): `feed(bands, valid, date)` per
 * observation, then `result()`. The median needs the block's observations, so memory is
 * observations x bands x pixels of the block (a site grid is one block). Per pixel it also keeps
 * the number of valid observations and the date of the observation closest to the median NDVI.
 */
export interface CompositeResult {
  bands: Record<string, Float32Array>;
  count: Uint16Array;
  /** Day of year of the observation closest to the composite's median NDVI (0 = none). */
  doy: Int16Array;
}

export type ReducerName = "median" | "medoid" | "max-ndvi";

export class MedianReducer {
  protected readonly obs: { bands: Record<string, Float32Array>; valid: Uint8Array; doy: number }[] = [];

  constructor(
    readonly n: number,
    readonly names: string[],
  ) {}

  feed(bands: Record<string, Float32Array>, valid: Uint8Array, isoDate: string): void {
    const d = new Date(isoDate);
    const doy = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
    this.obs.push({ bands, valid, doy });
  }

  result(): CompositeResult {
    const out = Object.fromEntries(this.names.map((k) => [k, new Float32Array(this.n).fill(Number.NaN)]));
    const count = new Uint16Array(this.n);
    const doy = new Int16Array(this.n);
    const buf = new Float64Array(this.obs.length);
    const ndvi = new Float64Array(this.obs.length);
    const which = new Int32Array(this.obs.length);
    for (let i = 0; i < this.n; i++) {
      let m = 0;
      for (let k = 0; k < this.obs.length; k++) if (this.obs[k]!.valid[i]) which[m++] = k;
      count[i] = m;
      if (m === 0) continue;
      for (const name of this.names) {
        for (let j = 0; j < m; j++) buf[j] = this.obs[which[j]!]!.bands[name]![i]!;
        out[name]![i] = median(buf, m);
      }
      if (this.obs[0]!.bands.N && this.obs[0]!.bands.R) {
        for (let j = 0; j < m; j++) {
          const b = this.obs[which[j]!]!.bands;
          ndvi[j] = (b.N![i]! - b.R![i]!) / (b.N![i]! + b.R![i]!);
        }
        const med = median(Float64Array.from(ndvi.subarray(0, m)), m);
        let best = 0;
        for (let j = 1; j < m; j++) if (Math.abs(ndvi[j]! - med) < Math.abs(ndvi[best]! - med)) best = j;
        doy[i] = this.obs[which[best]!]!.doy;
      }
    }
    return { bands: out, count, doy };
  }
}

/** Median of the first m values (sorts them in place). */
export function median(a: Float64Array, m: number): number {
  const s = a.subarray(0, m).sort();
  return m % 2 ? s[(m - 1) / 2]! : 0.5 * (s[m / 2 - 1]! + s[m / 2]!);
}
