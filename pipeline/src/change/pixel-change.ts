/**
 * Segmentation and trend of every pixel of an annual index stack: the per-pixel change maps that a
 * site run and `reewatch change` write. The series is oriented so that vegetation loss is positive
 * (LandTrendr's convention, Kennedy et al. 2010), segmented with `segment` and LANDTRENDR_DEFAULTS,
 * and the greatest loss segment of at least `minMagnitude` is the pixel's disturbance:
 * disturbance year = the first year of the disturbed state (the year after the segment's start
 * vertex), magnitude = pre minus post in index units (the dNBR sign convention of Key & Benson
 * 2006: positive = loss), duration in years. Trend: Theil-Sen slope and Mann-Kendall p.
 * Every loss segment of at least `minMagnitude` is kept as well, in time order, up to maxSegments:
 * segments.year[k], .magnitude[k], .duration[k] describe the pixel's (k+1)-th loss (LT-GEE's
 * per-segment change maps).
 */
import { BadParameter } from "../errors.ts";
import { disturbanceSegments, greatestDisturbance, LANDTRENDR_DEFAULTS, segment } from "./segment.ts";
import { theilSenMannKendall } from "./trend.ts";

/** -1 where vegetation loss lowers the index, +1 where it raises it. */
export const LOSS_SIGN: Record<string, 1 | -1> = {
  ndvi: -1,
  savi: -1,
  msavi2: -1,
  evi: -1,
  gdvi: -1,
  nbr: -1,
  nbr2: -1,
  ndmi: -1,
  tcg: -1,
  tcw: -1,
  ndbi: 1,
  bsi: 1,
  ibi: 1,
  ndbsi: 1,
  albedo: 1,
  tcb: 1,
  lst: 1,
};

export function lossSign(index: string, flag = "--index"): 1 | -1 {
  const s = LOSS_SIGN[index.toLowerCase()];
  if (!s) throw new BadParameter(`${flag} ${index}: no vegetation-loss direction defined for this index (use one of ${Object.keys(LOSS_SIGN).join(", ")})`);
  return s;
}

export interface ChangeMaps {
  years: number[];
  /** Year of the greatest disturbance (first year of the disturbed state); 0 = none. */
  disturbanceYear: Int16Array;
  /** Loss of the index over that segment, pre minus post (positive = loss); NaN = none. */
  magnitude: Float32Array;
  /** Years from the segment's start vertex to its end vertex; 0 = none. */
  duration: Int16Array;
  /** Fitted index value at the segment's start vertex (the last undisturbed year). */
  preValue: Float32Array;
  /** Rate of the following recovery segment, index units per year (0 when there is none). */
  recoveryRate: Float32Array;
  /** RMSE of the segmentation fit; NaN where the pixel was not segmented (too few values). */
  rmse: Float32Array;
  /** fitted[k] = the segmentation fit of years[k], in index units. */
  fitted: Float32Array[];
  slope: Float32Array;
  mkP: Float32Array;
  /** Every loss segment >= minMagnitude in time order: array k holds the (k+1)-th (0 / NaN = none). */
  segments: { year: Int16Array[]; magnitude: Float32Array[]; duration: Int16Array[] };
}

/**
 * Change maps of `stack` (one Float32Array per year) over the pixels of `mask`; the trend is that
 * of `trendStack` (default: the same stack).
 */
export function changeMaps(
  years: number[],
  stack: readonly Float32Array[],
  sign: 1 | -1,
  mask: Uint8Array,
  minMagnitude: number,
  trendStack: readonly Float32Array[] = stack,
): ChangeMaps {
  const m = emptyChangeMaps(years, mask.length);
  const input: ChangeInput = { years, stack, sign, minMagnitude, trendStack };
  // One series buffer refilled per pixel, so the pixel loop does not allocate three arrays per pixel.
  const series: PixelSeries = { years: [], values: [], at: [] };
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    changePixel(m, i, input, series);
  }
  return m;
}

/** What `changeMaps` was given, bar the mask. */
interface ChangeInput {
  years: number[];
  stack: readonly Float32Array[];
  sign: 1 | -1;
  minMagnitude: number;
  trendStack: readonly Float32Array[];
}

/** A pixel's finite values, loss-positive, with their years and their indices in `years`. */
interface PixelSeries {
  years: number[];
  values: number[];
  at: number[];
}

/** Maps of `n` pixels meaning "nothing found": 0 for years and durations, NaN for values. */
function emptyChangeMaps(years: number[], n: number): ChangeMaps {
  const nan = () => new Float32Array(n).fill(Number.NaN);
  return {
    years,
    disturbanceYear: new Int16Array(n),
    magnitude: nan(),
    duration: new Int16Array(n),
    preValue: nan(),
    recoveryRate: nan(),
    rmse: nan(),
    fitted: years.map(nan),
    slope: nan(),
    mkP: nan(),
    segments: {
      year: Array.from({ length: LANDTRENDR_DEFAULTS.maxSegments }, () => new Int16Array(n)),
      magnitude: Array.from({ length: LANDTRENDR_DEFAULTS.maxSegments }, nan),
      duration: Array.from({ length: LANDTRENDR_DEFAULTS.maxSegments }, () => new Int16Array(n)),
    },
  };
}

/** Fills `series` with pixel `i`'s finite values of `stack`, oriented so that loss is positive. */
function readSeries(series: PixelSeries, { years, stack, sign }: ChangeInput, i: number): void {
  series.years.length = 0;
  series.values.length = 0;
  series.at.length = 0;
  for (let k = 0; k < years.length; k++)
    if (Number.isFinite(stack[k]![i]!)) {
      series.years.push(years[k]!);
      series.values.push(sign * stack[k]![i]!);
      series.at.push(k);
    }
}

/** Trend, segmentation fit, loss segments and greatest disturbance of pixel `i`, written into `m`. */
function changePixel(m: ChangeMaps, i: number, input: ChangeInput, series: PixelSeries): void {
  const { years, sign, minMagnitude, trendStack } = input;
  readSeries(series, input, i);
  const tr = theilSenMannKendall(
    years,
    trendStack.map((a) => a[i]!),
  );
  m.slope[i] = tr.slope;
  m.mkP[i] = tr.p;
  const s = segment(series.years, series.values, LANDTRENDR_DEFAULTS);
  if (!s) return;
  m.rmse[i] = s.rmse;
  for (let j = 0; j < series.at.length; j++) m.fitted[series.at[j]!]![i] = sign * s.fitted[j]!;
  disturbanceSegments(s, minMagnitude).forEach((d, k) => {
    m.segments.year[k]![i] = d.year;
    m.segments.magnitude[k]![i] = d.magnitude;
    m.segments.duration[k]![i] = d.duration;
  });
  const d = greatestDisturbance(s, minMagnitude);
  if (!d) return;
  m.disturbanceYear[i] = d.year;
  m.magnitude[i] = d.magnitude;
  m.duration[i] = d.duration;
  m.preValue[i] = sign * d.preValue;
  m.recoveryRate[i] = d.recoveryRate;
}
