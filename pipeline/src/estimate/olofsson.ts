/**
 * Stratified area estimation with 95 % confidence intervals (Olofsson et al. 2014, Remote
 * Sensing of Environment 148: 42-57; docs/science.md, Areas with confidence intervals). Strata = map classes with weights
 * W_i = A_i / A; n_ij = sample units mapped i and labelled j.
 */
import { BadParameter } from "../errors.ts";
import { stratifiedShare } from "./stratified-share.ts";

export interface OlofssonInput {
  classes: string[];
  /** counts[i][j]: mapped class i, reference class j. */
  counts: number[][];
  /** Mapped area per class (any unit, e.g. km2 or pixels). */
  mappedAreas: number[];
  /**
   * Optional population size N_i of each stratum in sample units (pixels). When given, every
   * stratum's variance term carries the finite population correction (1 - n_i/N_i) (Cochran
   * 1977, eq. 5.6): a stratum sampled in full (a census, e.g. a 1-pixel class) adds no variance,
   * so it may hold fewer than 2 units. Without it the estimator is the infinite-population one
   * of Olofsson et al. (2014), which needs n_i >= 2 in every stratum with area.
   */
  stratumSizes?: number[];
}

export interface ClassEstimate {
  class: string;
  mappedArea: number;
  area: number;
  areaCi95: [number, number];
  areaSe: number;
  usersAccuracy: number;
  usersCi95: [number, number];
  producersAccuracy: number;
  producersCi95: [number, number];
}

export interface OlofssonResult {
  totalArea: number;
  classes: ClassEstimate[];
  overallAccuracy: number;
  overallCi95: [number, number];
  sampleSize: number;
}

const Z = 1.96;

export function olofsson(input: OlofssonInput): OlofssonResult {
  const { classes, counts, mappedAreas } = input;
  const q = classes.length;
  if (counts.length !== q || counts.some((r) => r.length !== q) || mappedAreas.length !== q)
    throw new BadParameter(`counts must be ${q} x ${q} and mapped areas ${q} long (classes ${classes.join(", ")})`);
  if (counts.flat().some((v) => !(v >= 0)) || mappedAreas.some((a) => !(a >= 0)))
    throw new BadParameter("counts and mapped areas must be non-negative numbers");
  const A = mappedAreas.reduce((a, b) => a + b, 0);
  if (!(A > 0)) throw new BadParameter("total mapped area must be positive");
  const W = mappedAreas.map((a) => a / A);
  const ni = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const fpc = finitePopulationCorrections(classes, ni, input.stratumSizes);
  ni.forEach((n, i) => {
    if (W[i]! > 0 && n < 2 && fpc[i] !== 0)
      throw new BadParameter(`stratum "${classes[i]}" has ${n} sample unit(s); at least 2 are needed for a variance (or a census of the stratum)`);
  });
  const p = counts.map((r, i) => r.map((n) => (ni[i]! > 0 ? (W[i]! * n) / ni[i]! : 0)));
  const pRow = p.map((r) => r.reduce((a, b) => a + b, 0));
  const pCol = classes.map((_, j) => p.reduce((s, r) => s + r[j]!, 0));
  const overall = classes.reduce((s, _, j) => s + p[j]![j]!, 0);
  // V(O) = sum_i W_i^2 U_i (1 - U_i) / (n_i - 1)  (Olofsson 2014, eq. 5)
  let vO = 0;
  for (let i = 0; i < q; i++)
    if (ni[i]! > 1) {
      const u = p[i]![i]! / (pRow[i]! || 1);
      vO += (fpc[i]! * W[i]! ** 2 * u * (1 - u)) / (ni[i]! - 1);
    }
  const est: ClassEstimate[] = classes.map((name, j) => {
    // SE(p_.j) (eq. 10)
    const { se } = stratifiedShare(classes.map((_, i) => ({ weight: W[i]!, n: ni[i]!, hits: counts[i]![j]!, fpc: fpc[i]! })));
    const area = A * pCol[j]!;
    const U = pRow[j]! > 0 ? p[j]![j]! / pRow[j]! : Number.NaN;
    const P = pCol[j]! > 0 ? p[j]![j]! / pCol[j]! : Number.NaN;
    const vU = ni[j]! > 1 ? (fpc[j]! * U * (1 - U)) / (ni[j]! - 1) : fpc[j] === 0 ? 0 : Number.NaN; // eq. 6
    const vP = producersVariance(j, counts, ni, fpc, mappedAreas, P, pCol[j]! * A);
    return {
      class: name,
      mappedArea: mappedAreas[j]!,
      area,
      areaSe: A * se,
      areaCi95: [area - Z * A * se, area + Z * A * se],
      usersAccuracy: U,
      usersCi95: [U - Z * Math.sqrt(vU), U + Z * Math.sqrt(vU)],
      producersAccuracy: P,
      producersCi95: [P - Z * Math.sqrt(vP), P + Z * Math.sqrt(vP)],
    };
  });
  return {
    totalArea: A,
    classes: est,
    overallAccuracy: overall,
    overallCi95: [overall - Z * Math.sqrt(vO), overall + Z * Math.sqrt(vO)],
    sampleSize: ni.reduce((a, b) => a + b, 0),
  };
}

/** V(P_j) of Olofsson et al. 2014 eq. 7, with estimated totals N_i. = mapped area of stratum i. */
function producersVariance(j: number, n: number[][], ni: number[], fpc: number[], Ni: number[], P: number, Nj: number): number {
  if (!(Nj > 0)) return Number.NaN;
  const nj = ni[j]!;
  const first = nj > 1 ? (fpc[j]! * Ni[j]! ** 2 * (1 - P) ** 2 * (n[j]![j]! / nj) * (1 - n[j]![j]! / nj)) / (nj - 1) : 0;
  let second = 0;
  for (let i = 0; i < n.length; i++) {
    if (i === j || ni[i]! < 2) continue;
    const f = n[i]![j]! / ni[i]!;
    second += (fpc[i]! * Ni[i]! ** 2 * f * (1 - f)) / (ni[i]! - 1);
  }
  return (first + P ** 2 * second) / Nj ** 2;
}

/** (1 - n_i/N_i) per stratum, or 1 everywhere when the population sizes are not given. */
function finitePopulationCorrections(classes: string[], ni: number[], sizes: number[] | undefined): number[] {
  if (!sizes) return ni.map(() => 1);
  if (sizes.length !== ni.length) throw new BadParameter(`stratum sizes must be ${ni.length} long (classes ${classes.join(", ")})`);
  return ni.map((n, i) => {
    const N = sizes[i]!;
    if (!(N >= n)) throw new BadParameter(`stratum "${classes[i]}": ${n} sample units but a population of only ${N}`);
    return N > 0 ? 1 - n / N : 1;
  });
}
