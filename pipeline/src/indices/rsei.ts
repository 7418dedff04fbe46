/**
 * Remote Sensing Ecological Index (Xu 2013; docs/science.md, RSEI): greenness NDVI, wetness TC
 * wetness, dryness NDBSI and heat LST (when a thermal band exists). Water (MNDWI > 0) is masked;
 * each component is min-max normalised over the region; PC1 of their covariance is oriented so
 * NDVI and wetness load positively and NDBSI and LST negatively; PC1 is normalised to [0, 1].
 * Loadings change from year to year, so a baseline year's loadings and ranges can be reused.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

export interface RseiModel {
  components: string[];
  /** PC1 loadings in component order, sign-oriented. */
  loadings: number[];
  varianceShare: number;
  /** Per component min and max used for normalisation. */
  ranges: [number, number][];
  /** PC1 range over the region, used to normalise RSEI to [0, 1]. */
  pc1Range: [number, number];
  signFlipped: boolean;
  label: string;
}

const SIGN: Record<string, number> = { ndvi: 1, wet: 1, ndbsi: -1, lst: -1 };

/** Fits the RSEI model on valid, non-water pixels. */
export function fitRsei(comps: Record<string, Float32Array>, mndwi: Float32Array): RseiModel {
  const names = Object.keys(comps);
  const n = mndwi.length;
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) ok[i] = mndwi[i]! <= 0 && names.every((k) => Number.isFinite(comps[k]![i]!)) ? 1 : 0;
  const ranges = names.map((k): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++)
      if (ok[i]) {
        lo = Math.min(lo, comps[k]![i]!);
        hi = Math.max(hi, comps[k]![i]!);
      }
    return [lo, hi];
  });
  const q = names.length;
  const mean = new Array(q).fill(0);
  const cov = Array.from({ length: q }, () => new Array(q).fill(0));
  let m = 0;
  const v = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    m++;
    for (let a = 0; a < q; a++) v[a] = (comps[names[a]!]![i]! - ranges[a]![0]) / (ranges[a]![1] - ranges[a]![0] || 1);
    for (let a = 0; a < q; a++) {
      mean[a] += v[a]!;
      for (let b = 0; b < q; b++) cov[a]![b] += v[a]! * v[b]!;
    }
  }
  for (let a = 0; a < q; a++) mean[a] /= m || 1;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) cov[a]![b] = cov[a]![b] / (m || 1) - mean[a] * mean[b];
  const evd = new EigenvalueDecomposition(new Matrix(cov), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const k = values.indexOf(Math.max(...values));
  let loadings = evd.eigenvectorMatrix.getColumn(k);
  // Orientation: the sum of (expected sign x loading) must be positive.
  const agree = names.reduce((s, c, a) => s + (SIGN[c] ?? 0) * loadings[a]!, 0);
  const signFlipped = agree < 0;
  if (signFlipped) loadings = loadings.map((x) => -x);
  const model: RseiModel = {
    components: names,
    loadings,
    varianceShare: values[k]! / values.reduce((s, x) => s + Math.max(0, x), 0),
    ranges,
    pc1Range: [0, 1],
    signFlipped,
    label: names.includes("lst") ? "RSEI (NDVI, wetness, NDBSI, LST)" : "RSEI without LST (no thermal band): NDVI, wetness, NDBSI",
  };
  const pc1 = applyPc1(comps, model);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++)
    if (ok[i]) {
      lo = Math.min(lo, pc1[i]!);
      hi = Math.max(hi, pc1[i]!);
    }
  model.pc1Range = [lo, hi];
  return model;
}

function applyPc1(comps: Record<string, Float32Array>, m: RseiModel): Float32Array {
  const n = comps[m.components[0]!]!.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    m.components.forEach((c, a) => {
      s += m.loadings[a]! * ((comps[c]![i]! - m.ranges[a]![0]) / (m.ranges[a]![1] - m.ranges[a]![0] || 1));
    });
    out[i] = s;
  }
  return out;
}

/** RSEI in [0, 1] with a model (this year's, or a baseline year's fixed loadings); water and gaps NaN. */
export function applyRsei(comps: Record<string, Float32Array>, mndwi: Float32Array, m: RseiModel): Float32Array {
  const pc1 = applyPc1(comps, m);
  const [lo, hi] = m.pc1Range;
  for (let i = 0; i < pc1.length; i++) pc1[i] = mndwi[i]! > 0 || !Number.isFinite(pc1[i]!) ? Number.NaN : (pc1[i]! - lo) / (hi - lo || 1);
  return pc1;
}
