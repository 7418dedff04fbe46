/**
 * The share of a population in one reference class, estimated from a stratified random sample
 * (Olofsson et al. 2014, eqs. 9-10, for one column of the error matrix; docs/science.md, areas):
 * p = sum_h W_h hits_h / n_h, V(p) = sum_h fpc_h W_h^2 f_h (1 - f_h) / (n_h - 1). Both the error
 * matrix estimator (olofsson.ts) and the claim metrics use this one function.
 */

export interface StratumTally {
  /** Stratum weight W_h (its share of the population's area). */
  weight: number;
  /** Sample units drawn in the stratum. */
  n: number;
  /** Of those, units in the reference class. */
  hits: number;
  /** Finite population correction 1 - n_h / N_h (1 when the population size is unknown). */
  fpc?: number;
}

export interface StratifiedShare {
  p: number;
  se: number;
  /**
   * Kish's effective sample size for a stratified mean with equal within-stratum variances,
   * (sum W_h)^2 / sum (W_h^2 / n_h): the pooled count when allocation is proportional, fewer
   * units when a heavy stratum was sampled thinly.
   */
  nEff: number;
}

export function stratifiedShare(strata: StratumTally[]): StratifiedShare {
  let p = 0;
  let v = 0;
  let wSum = 0;
  let w2n = 0;
  for (const s of strata) {
    if (!(s.n > 0) || !(s.weight > 0)) continue;
    const f = s.hits / s.n;
    p += s.weight * f;
    if (s.n > 1) v += ((s.fpc ?? 1) * s.weight ** 2 * f * (1 - f)) / (s.n - 1);
    wSum += s.weight;
    w2n += s.weight ** 2 / s.n;
  }
  return { p, se: Math.sqrt(v), nEff: w2n > 0 ? wSum ** 2 / w2n : 0 };
}
