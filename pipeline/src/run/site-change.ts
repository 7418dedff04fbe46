/**
 * Stage: change and recovery per pixel over a site's annual composites. The science lives in
 * change/ as pure functions; this stage composes them:
 * 1. segmentation and trend (change/pixel-change.ts): LandTrendr-style segmentation of the change
 *    index, oriented so vegetation loss is positive; Theil-Sen slope and Mann-Kendall p of NDVI;
 * 2. classes per year (change/classes.ts): stable, disturbed, recovering, restored by rho, the
 *    share of the pixel's own former vegetation cover present;
 * 3. recovery metrics of NDVI (change/recovery-metrics.ts) against a recovery target
 *    (change/recovery-target.ts): the site's control zones where there are any, else the pixel's
 *    own median NDVI before the loss.
 */
import { bareLevel, CLASS_NAMES, CLASS_THRESHOLDS, classOfYear, preDisturbanceMean, recoveryShare } from "../change/classes.ts";
import { type ChangeMaps, changeMaps, lossSign } from "../change/pixel-change.ts";
import { RECOVERY_DEFAULTS, recoveryMetrics } from "../change/recovery-metrics.ts";
import { median, referenceTarget } from "../change/recovery-target.ts";
import type { YearComposite } from "./site-composites.ts";

export { CLASS_NAMES };

export const CHANGE_RULES = {
  minMagnitude: 0.15,
  recovering: CLASS_THRESHOLDS.recovering,
  restored: CLASS_THRESHOLDS.restored,
  text:
    "Disturbed: a LandTrendr-style loss segment of the change index (NBR) with magnitude >= the site's minMagnitude (default 0.15; 0.08 for steppe), from its onset year; magnitude is pre minus post (the dNBR sign convention of Key & Benson 2006: positive = loss). " +
    "After it, rho = (NDVI - bare) / (NDVI_pre - bare), with NDVI_pre the mean NDVI before the onset and bare the site's 1st percentile of composite NDVI: recovering when rho >= 0.5 (partially restored), restored when rho >= 0.8; otherwise still disturbed. Stable: no such loss. " +
    "Recovery metrics of NDVI (docs/science.md, Compositing and time series, spectral-recovery definitions): d = the last year before the loss, r = the end of the loss segment, t = 5 years or as many as the series has after r, P = 80; " +
    "target = median NDVI of the site's control zones over all composite years (median over years, then each zone's pixels, then zones), or the pixel's median NDVI before the loss when no control zone is given. " +
    "dIR = NDVI(r+t) - NDVI(r) (regrowth positive); YrYr = dIR / t; R80P = NDVI(r+t) / (0.8 target); Y2R = years after r until NDVI >= 0.8 target (0: in year r; -9999: not yet; no data where there is no disturbance); RRI = (max(NDVI(r+t-1), NDVI(r+t)) - NDVI(r)) / (NDVI(d) - NDVI(r)).",
};

/** Y2R no-data (no disturbance, or no NDVI after r) in the int16 product. */
export const Y2R_NODATA = -32768;

export interface RecoveryTargetInfo {
  source: "control zones" | "pixel pre-disturbance median";
  /** The target NDVI when it is one number for the site (control zones), else null. */
  value: number | null;
}

/** The segmentation and trend maps (change/pixel-change.ts) with the recovery metrics and classes. */
export interface ChangeResult extends ChangeMaps {
  r80p: Float32Array;
  y2r: Int16Array;
  yryr: Float32Array;
  rri: Float32Array;
  /** dIR = NDVI(r+t) - NDVI(r). */
  dir: Float32Array;
  /** t used per pixel (5, or fewer where the series ends sooner); 0 where there is no disturbance. */
  timestep: Int16Array;
  recoveryTarget: RecoveryTargetInfo;
  /** classes[k] = class map of years[k]. */
  classes: Uint8Array[];
  /** rho of the last year (share of the former vegetation signal present). */
  rho: Float32Array;
  bareNdvi: number;
}

/**
 * Change, classes and recovery over the AOI. `controls`: the masks of the site's control zones
 * (reference polygons of the recovery target); none or empty ones fall back to the pixel's own
 * pre-disturbance median.
 */
export function detectChange(
  comps: YearComposite[],
  changeIndex: string,
  aoi: Uint8Array,
  minMagnitude = CHANGE_RULES.minMagnitude,
  controls: readonly Uint8Array[] = [],
): ChangeResult {
  const years = comps.map((c) => c.year);
  const ndvi = comps.map((c) => c.index.ndvi!);
  const used = controls.filter((m) => m.some((v) => v));
  const target = used.length ? referenceTarget(ndvi, years, [years[0]!, years.at(-1)!], used) : null;
  const chg = comps.map((c) => c.index[changeIndex]!);
  return changeOfPixels({ years, ndvi, chg, changeIndex, aoi, minMagnitude, bare: bareLevel(ndvi, aoi), target });
}

/** A block of pixels' series and the site-wide levels their classes and metrics use. */
export interface PixelsChangeInput {
  years: number[];
  ndvi: Float32Array[];
  /** The change index per year. */
  chg: Float32Array[];
  changeIndex: string;
  aoi: Uint8Array;
  minMagnitude: number;
  /** The site's bare-soil NDVI (classes.ts bareLevel over the whole AOI). */
  bare: number;
  /** The control zones' target NDVI, or null for each pixel's own pre-disturbance median. */
  target: number | null;
}

/** Change, classes and recovery of a block of pixels (the whole AOI, or a strip of it): per pixel, given the site-wide levels. */
export function changeOfPixels(o: PixelsChangeInput): ChangeResult {
  const { years, ndvi, aoi, bare, target } = o;
  const n = aoi.length;
  // 1. segmentation of the change index, trend of NDVI
  const maps = changeMaps(years, o.chg, lossSign(o.changeIndex), aoi, o.minMagnitude, ndvi);
  // 2. classes per year, against the pixel's own former cover
  const classes = years.map(() => new Uint8Array(n));
  const rho = new Float32Array(n).fill(Number.NaN);
  // 3. recovery metrics against the control zones' target, or each pixel's pre-disturbance median
  const rec = recoveryArrays(n);
  const x = new Float64Array(years.length);
  for (let i = 0; i < n; i++) {
    if (!aoi[i] || Number.isNaN(maps.rmse[i]!)) continue;
    for (let k = 0; k < years.length; k++) x[k] = ndvi[k]![i]!;
    const onset = maps.disturbanceYear[i]! || Number.POSITIVE_INFINITY;
    const pre = preDisturbanceMean(x, years, onset);
    for (let k = 0; k < years.length; k++) classes[k]![i] = classOfYear(x[k]!, years[k]! >= onset, pre, bare);
    if (onset === Number.POSITIVE_INFINITY) continue;
    rho[i] = recoveryShare(x[years.length - 1]!, pre, bare);
    const t = target ?? median(x.filter((_, k) => years[k]! < onset));
    recoveryOf({ out: rec, i, x, years, d: onset - 1, r: onset - 1 + maps.duration[i]!, target: t });
  }
  return {
    ...maps,
    ...rec,
    recoveryTarget: recoveryTargetInfo(target),
    classes,
    rho,
    bareNdvi: bare,
  };
}

/** What the products say about their recovery target: the control zones' value, or per pixel. */
export function recoveryTargetInfo(target: number | null): RecoveryTargetInfo {
  return target !== null ? { source: "control zones", value: target } : { source: "pixel pre-disturbance median", value: null };
}

type RecoveryArrays = Pick<ChangeResult, "r80p" | "y2r" | "yryr" | "rri" | "dir" | "timestep">;

function recoveryArrays(n: number): RecoveryArrays {
  const nan = () => new Float32Array(n).fill(Number.NaN);
  return { r80p: nan(), y2r: new Int16Array(n).fill(Y2R_NODATA), yryr: nan(), rri: nan(), dir: nan(), timestep: new Int16Array(n) };
}

/** One disturbed pixel's NDVI series and the years that bound its loss, and where its metrics go. */
interface PixelRecovery {
  out: RecoveryArrays;
  i: number;
  /** The pixel's NDVI per year. */
  x: Float64Array;
  years: number[];
  d: number;
  r: number;
  target: number;
}

/** Recovery metrics of pixel i: d = last undisturbed year, r = end of the loss segment. */
function recoveryOf(pixel: PixelRecovery): void {
  const { out, i, x, years, d, r, target } = pixel;
  const t = Math.min(RECOVERY_DEFAULTS.timestep, years.at(-1)! - r);
  const m = recoveryMetrics(x, years, target, { disturbanceYear: d, restorationYear: r, timestep: t, percent: RECOVERY_DEFAULTS.percent });
  out.y2r[i] = Number.isNaN(m.y2r) ? Y2R_NODATA : m.y2r;
  out.timestep[i] = Math.max(0, t);
  if (t < 1) return;
  out.r80p[i] = m.r80p;
  out.yryr[i] = m.yryr;
  out.rri[i] = m.rri;
  out.dir[i] = m.dir;
}
