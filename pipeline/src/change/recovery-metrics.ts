/**
 * Recovery metrics of one annual series (docs/science.md: Compositing and time series), defined as the restoration-metrics
 * literature (Frazier et al. 2018 for YrYr, R80P and RRI; Kennedy et al. 2012 for the relative
 * recovery indicator) and the spectral-recovery package (PEOPLE-ER) compute them.
 * With disturbance year d, restoration start r, timestep t (default 5) and percent P (default 80):
 *   dIR  = x(r+t) - x(r)                  regrowth positive (spectral-recovery calls it "dNBR", but
 *                                         burn-severity dNBR (Key & Benson 2006) is pre minus post:
 *                                         the name dIR keeps the two apart)
 *   YrYr = (x(r+t) - x(r)) / t
 *   R80P = x(r+t) / (P/100 * target)
 *   Y2R  = years after r until x first reaches P/100 * target: 0 when already in year r,
 *          NEVER_RECOVERED (-9999) when it never does, NaN when every year from r on is NaN
 *   RRI  = (max(x(r+t-1), x(r+t)) - x(r)) / (x(d) - x(r)), the max ignoring a NaN year
 * `years` are ascending calendar years aligned with `x`; a year missing from the series reads as
 * NaN. NaN inputs give NaN; zero denominators give NaN, never Inf.
 */

/** Y2R of a series that never reaches the target (the spectral-recovery convention). */
export const NEVER_RECOVERED = -9999;

export const RECOVERY_DEFAULTS = { timestep: 5, percent: 80 } as const;

export interface RecoveryParams {
  /** d: the disturbance year (the last year before the loss in a site run). */
  disturbanceYear: number;
  /** r: the first year of the restoration (recovery) window. */
  restorationYear: number;
  /** t: years after r at which dIR, YrYr, R80P and RRI are read. */
  timestep: number;
  /** P: percent of the recovery target that counts as recovered. */
  percent: number;
}

export interface RecoveryMetrics {
  dir: number;
  yryr: number;
  r80p: number;
  y2r: number;
  rri: number;
}

/** The metric names in output order, with their file names (`<name>.tif`). */
export const RECOVERY_METRICS = ["y2r", "r80p", "yryr", "dir", "rri"] as const;

const EPS = 1e-10;
const div = (a: number, b: number) => (Math.abs(b) >= EPS ? a / b : Number.NaN);

/** x at `year`; NaN when the series has no such year. */
export function valueAt(x: ArrayLike<number>, years: readonly number[], year: number): number {
  const k = years.indexOf(year);
  return k < 0 ? Number.NaN : Number(x[k]);
}

/** dIR = x(r+t) - x(r). */
export function deltaIndexRegrowth(x: ArrayLike<number>, years: readonly number[], r: number, t: number): number {
  return valueAt(x, years, r + t) - valueAt(x, years, r);
}

/** YrYr = (x(r+t) - x(r)) / t. */
export function yearOnYear(x: ArrayLike<number>, years: readonly number[], r: number, t: number): number {
  return t > 0 ? deltaIndexRegrowth(x, years, r, t) / t : Number.NaN;
}

/** R80P = x(r+t) / (P/100 * target). */
export function r80p(x: ArrayLike<number>, years: readonly number[], r: number, t: number, target: number, percent: number): number {
  return div(valueAt(x, years, r + t), (percent / 100) * target);
}

/** Y2R: years after r until x first reaches P/100 * target. */
export function yearsToRecovery(x: ArrayLike<number>, years: readonly number[], r: number, target: number, percent: number): number {
  if (!Number.isFinite(target)) return Number.NaN;
  const level = (percent / 100) * target;
  let anyValue = false;
  for (let k = 0; k < years.length; k++) {
    if (years[k]! < r) continue;
    const v = Number(x[k]);
    if (Number.isNaN(v)) continue;
    anyValue = true;
    if (v >= level) return years[k]! - r;
  }
  return anyValue ? NEVER_RECOVERED : Number.NaN;
}

/** RRI = (max(x(r+t-1), x(r+t)) - x(r)) / (x(d) - x(r)). */
export function relativeRecoveryIndex(x: ArrayLike<number>, years: readonly number[], d: number, r: number, t: number): number {
  if (t < 1) return Number.NaN;
  const a = valueAt(x, years, r + t - 1);
  const b = valueAt(x, years, r + t);
  const late = Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
  const xr = valueAt(x, years, r);
  return div(late - xr, valueAt(x, years, d) - xr);
}

/** All five metrics of one series against one recovery target. */
export function recoveryMetrics(x: ArrayLike<number>, years: readonly number[], target: number, p: RecoveryParams): RecoveryMetrics {
  const { disturbanceYear: d, restorationYear: r, timestep: t, percent } = p;
  return {
    dir: deltaIndexRegrowth(x, years, r, t),
    yryr: yearOnYear(x, years, r, t),
    r80p: r80p(x, years, r, t, target, percent),
    y2r: yearsToRecovery(x, years, r, target, percent),
    rri: relativeRecoveryIndex(x, years, d, r, t),
  };
}
