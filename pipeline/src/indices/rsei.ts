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

/** Fits the RSEI model on valid, non-water pixels of arrays that hold the whole region. */
export function fitRsei(comps: Record<string, Float32Array>, mndwi: Float32Array): RseiModel {
  const fit = new RseiFit(Object.keys(comps));
  fit.addRanges(comps, mndwi);
  fit.addMoments(comps, mndwi);
  fit.solve();
  fit.addPc1(comps, mndwi);
  return fit.model();
}

/** 1 where a pixel enters the fit: not water, every component finite. */
function fitMask(names: string[], comps: Record<string, Float32Array>, mndwi: Float32Array): Uint8Array {
  const ok = new Uint8Array(mndwi.length);
  for (let i = 0; i < mndwi.length; i++) ok[i] = mndwi[i]! <= 0 && names.every((k) => Number.isFinite(comps[k]![i]!)) ? 1 : 0;
  return ok;
}

/**
 * The RSEI fit in three passes over the region, each fed strip by strip in pixel order: the
 * components' ranges, then the moments of the normalised components (PCA), then PC1's range.
 * The sums are taken in the same order as over one array, so a region fed in strips gets the same
 * model, to the bit, as the region at once, in memory bounded by a strip.
 */
export class RseiFit {
  private readonly ranges: [number, number][];
  private readonly mean: number[];
  private readonly cov: number[][];
  private m = 0;
  private fitted: RseiModel | null = null;

  constructor(private readonly names: string[]) {
    this.ranges = names.map(() => [Infinity, -Infinity]);
    this.mean = names.map(() => 0);
    this.cov = names.map(() => names.map(() => 0));
  }

  /** Pass 1: each component's minimum and maximum. */
  addRanges(comps: Record<string, Float32Array>, mndwi: Float32Array): void {
    const ok = fitMask(this.names, comps, mndwi);
    this.names.forEach((k, a) => {
      const r = this.ranges[a]!;
      for (let i = 0; i < ok.length; i++)
        if (ok[i]) {
          r[0] = Math.min(r[0], comps[k]![i]!);
          r[1] = Math.max(r[1], comps[k]![i]!);
        }
    });
  }

  /** Pass 2: sums of the min-max normalised components and of their products. */
  addMoments(comps: Record<string, Float32Array>, mndwi: Float32Array): void {
    const { names, ranges, mean, cov } = this;
    const ok = fitMask(names, comps, mndwi);
    const q = names.length;
    const v = new Float64Array(q);
    for (let i = 0; i < ok.length; i++) {
      if (!ok[i]) continue;
      this.m++;
      for (let a = 0; a < q; a++) v[a] = (comps[names[a]!]![i]! - ranges[a]![0]) / (ranges[a]![1] - ranges[a]![0] || 1);
      for (let a = 0; a < q; a++) {
        mean[a] = mean[a]! + v[a]!;
        const row = cov[a]!;
        for (let b = 0; b < q; b++) row[b] = row[b]! + v[a]! * v[b]!;
      }
    }
  }

  /** PC1 of the covariance, oriented (NDVI and wetness positive); PC1's range comes in pass 3. */
  solve(): void {
    const { names, mean, cov, m } = this;
    const q = names.length;
    for (let a = 0; a < q; a++) mean[a] = mean[a]! / (m || 1);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) cov[a]![b] = cov[a]![b]! / (m || 1) - mean[a]! * mean[b]!;
    const evd = new EigenvalueDecomposition(new Matrix(cov), { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const k = values.indexOf(Math.max(...values));
    let loadings = evd.eigenvectorMatrix.getColumn(k);
    // Orientation: the sum of (expected sign x loading) must be positive.
    const agree = names.reduce((s, c, a) => s + (SIGN[c] ?? 0) * loadings[a]!, 0);
    const signFlipped = agree < 0;
    if (signFlipped) loadings = loadings.map((x) => -x);
    this.fitted = {
      components: names,
      loadings,
      varianceShare: values[k]! / values.reduce((s, x) => s + Math.max(0, x), 0),
      ranges: this.ranges,
      pc1Range: [Infinity, -Infinity],
      signFlipped,
      label: names.includes("lst") ? "RSEI (NDVI, wetness, NDBSI, LST)" : "RSEI without LST (no thermal band): NDVI, wetness, NDBSI",
    };
  }

  /** Pass 3: PC1's minimum and maximum over the fitted pixels. */
  addPc1(comps: Record<string, Float32Array>, mndwi: Float32Array): void {
    const m = this.solved();
    const ok = fitMask(this.names, comps, mndwi);
    const pc1 = applyPc1(comps, m);
    for (let i = 0; i < ok.length; i++)
      if (ok[i]) {
        m.pc1Range[0] = Math.min(m.pc1Range[0], pc1[i]!);
        m.pc1Range[1] = Math.max(m.pc1Range[1], pc1[i]!);
      }
  }

  model(): RseiModel {
    return this.solved();
  }

  private solved(): RseiModel {
    if (!this.fitted) throw new Error("RseiFit: solve() comes after the ranges and moments passes");
    return this.fitted;
  }
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
