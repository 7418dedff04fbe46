/**
 * The other annual reducers over the same buffered observations (STYLE.md 6 and 8, a registry):
 * medoid (Flood 2013, LandTrendr's choice: the observation closest, in squared band distance, to
 * the per-band medians, so all bands come from one real date) and max-NDVI (the greenest valid
 * observation). Both keep the chosen observation's day of year.
 */
import { BadParameter } from "../errors.ts";
import { type CompositeResult, MedianReducer, median, type ReducerName } from "./median.ts";

interface Obs {
  bands: Record<string, Float32Array>;
  valid: Uint8Array;
  doy: number;
}

/** Picks one observation per pixel with `choose`, copies its bands. */
class PickReducer extends MedianReducer {
  constructor(
    n: number,
    names: string[],
    private readonly choose: (obs: Obs[], which: Int32Array, m: number, i: number, names: string[]) => number,
  ) {
    super(n, names);
  }

  override result(): CompositeResult {
    const obs = this.obs;
    const out = Object.fromEntries(this.names.map((k) => [k, new Float32Array(this.n).fill(Number.NaN)]));
    const count = new Uint16Array(this.n);
    const doy = new Int16Array(this.n);
    const which = new Int32Array(obs.length);
    for (let i = 0; i < this.n; i++) {
      let m = 0;
      for (let k = 0; k < obs.length; k++) if (obs[k]!.valid[i]) which[m++] = k;
      count[i] = m;
      if (m === 0) continue;
      const best = obs[which[this.choose(obs, which, m, i, this.names)]!]!;
      for (const name of this.names) out[name]![i] = best.bands[name]![i]!;
      doy[i] = best.doy;
    }
    return { bands: out, count, doy };
  }
}

/** Index (into which[0..m)) of the observation nearest the per-band medians. */
export function medoidChoice(obs: Obs[], which: Int32Array, m: number, i: number, names: string[]): number {
  const buf = new Float64Array(m);
  const med = names.map((name) => {
    for (let j = 0; j < m; j++) buf[j] = obs[which[j]!]!.bands[name]![i]!;
    return median(buf, m);
  });
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < m; j++) {
    let d = 0;
    names.forEach((name, b) => {
      d += (obs[which[j]!]!.bands[name]![i]! - med[b]!) ** 2;
    });
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

export function maxNdviChoice(obs: Obs[], which: Int32Array, m: number, i: number): number {
  let best = 0;
  let bestV = -Infinity;
  for (let j = 0; j < m; j++) {
    const b = obs[which[j]!]!.bands;
    const v = (b.N![i]! - b.R![i]!) / (b.N![i]! + b.R![i]!);
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}

export function reducerFor(name: string, n: number, names: string[]): MedianReducer {
  switch (name as ReducerName) {
    case "median":
      return new MedianReducer(n, names);
    case "medoid":
      return new PickReducer(n, names, medoidChoice);
    case "max-ndvi":
      return new PickReducer(n, names, maxNdviChoice);
    default:
      throw new BadParameter(`--reducer ${name}: unknown (median, medoid, max-ndvi)`);
  }
}
