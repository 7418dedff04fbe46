/**
 * Stage: change and recovery per pixel over the annual composites.
 * - LandTrendr-style segmentation of the change index (NBR by default), oriented so vegetation
 *   loss is positive: year of greatest disturbance, magnitude, duration, pre-disturbance value,
 *   recovery rate, RMSE.
 * - Theil-Sen slope and Mann-Kendall p of NDVI.
 * - Recovery of NDVI after the disturbance, relative to the pixel's own pre-disturbance level and
 *   the site's bare-ground level: rho = (x - bare) / (pre - bare), roughly the share of the former
 *   vegetation cover present. R80P = rho / 0.8; Y2R, YrYr and RRI per SCIENCE.md section 6.
 * - Classes per year (docs/change-rules.md): 1 stable, 2 disturbed, 3 recovering (rho >= 0.5),
 *   4 restored (rho >= 0.8); 0 no data.
 */
import { greatestDisturbance, LANDTRENDR_DEFAULTS, segment } from "../change/segment.ts";
import { theilSenMannKendall } from "../change/trend.ts";
import type { YearComposite } from "./site-composites.ts";

export const CLASS_NAMES: Record<number, string> = {
  1: "stable",
  2: "disturbed",
  3: "recovering",
  4: "restored",
};
export const CHANGE_RULES = {
  minMagnitude: 0.15,
  recovering: 0.5,
  restored: 0.8,
  text: "Disturbed: a LandTrendr-style loss segment of the change index (NBR) with magnitude >= the site's minMagnitude (default 0.15; 0.08 for steppe), from its onset year. After it, rho = (NDVI - bare) / (NDVI_pre - bare), with NDVI_pre the mean NDVI before the onset and bare the site's 1st percentile of composite NDVI: recovering when rho >= 0.5 (partially restored), restored when rho >= 0.8; otherwise still disturbed. Stable: no such loss.",
};

export interface ChangeResult {
  years: number[];
  disturbanceYear: Int16Array;
  magnitude: Float32Array;
  duration: Int16Array;
  preValue: Float32Array;
  recoveryRate: Float32Array;
  rmse: Float32Array;
  fitted: Float32Array[];
  slope: Float32Array;
  mkP: Float32Array;
  r80p: Float32Array;
  y2r: Int16Array;
  yryr: Float32Array;
  rri: Float32Array;
  /** classes[k] = class map of years[k]. */
  classes: Uint8Array[];
  /** rho of the last year (share of the former vegetation signal present). */
  rho: Float32Array;
  bareNdvi: number;
}

export function detectChange(comps: YearComposite[], changeIndex: string, aoi: Uint8Array, minMagnitude = CHANGE_RULES.minMagnitude): ChangeResult {
  const years = comps.map((c) => c.year);
  const T = years.length;
  const n = aoi.length;
  const ndvi = comps.map((c) => c.index.ndvi!);
  const chg = comps.map((c) => c.index[changeIndex]!);
  const bare = percentileOf(ndvi, aoi, 0.01);
  const r: ChangeResult = {
    years,
    disturbanceYear: new Int16Array(n),
    magnitude: new Float32Array(n).fill(Number.NaN),
    duration: new Int16Array(n),
    preValue: new Float32Array(n).fill(Number.NaN),
    recoveryRate: new Float32Array(n).fill(Number.NaN),
    rmse: new Float32Array(n).fill(Number.NaN),
    fitted: years.map(() => new Float32Array(n).fill(Number.NaN)),
    slope: new Float32Array(n).fill(Number.NaN),
    mkP: new Float32Array(n).fill(Number.NaN),
    r80p: new Float32Array(n).fill(Number.NaN),
    y2r: new Int16Array(n).fill(-1),
    yryr: new Float32Array(n).fill(Number.NaN),
    rri: new Float32Array(n).fill(Number.NaN),
    classes: years.map(() => new Uint8Array(n)),
    rho: new Float32Array(n).fill(Number.NaN),
    bareNdvi: bare,
  };
  const ty: number[] = [];
  const tv: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!aoi[i]) continue;
    ty.length = 0;
    tv.length = 0;
    for (let k = 0; k < T; k++)
      if (Number.isFinite(chg[k]![i]!)) {
        ty.push(years[k]!);
        tv.push(-chg[k]![i]!);
      }
    const tr = theilSenMannKendall(
      years,
      ndvi.map((a) => a[i]!),
    );
    r.slope[i] = tr.slope;
    r.mkP[i] = tr.p;
    const s = segment(ty, tv, LANDTRENDR_DEFAULTS);
    if (!s) continue;
    r.rmse[i] = s.rmse;
    for (let k = 0; k < ty.length; k++) r.fitted[years.indexOf(ty[k]!)]![i] = -s.fitted[k]!;
    const d = greatestDisturbance(s, minMagnitude);
    for (let k = 0; k < T; k++) r.classes[k]![i] = Number.isFinite(ndvi[k]![i]!) ? 1 : 0;
    if (!d) continue;
    r.disturbanceYear[i] = d.year;
    r.magnitude[i] = d.magnitude;
    r.duration[i] = d.duration;
    r.preValue[i] = -d.preValue;
    r.recoveryRate[i] = d.recoveryRate;
    recoveryOf(r, i, d.year, d.duration, ndvi, years, bare);
  }
  return r;
}

/** Recovery metrics and per-year classes of pixel i after a disturbance with onset `year`. */
function recoveryOf(r: ChangeResult, i: number, year: number, duration: number, ndvi: Float32Array[], years: number[], bare: number): void {
  const pre = mean(years.map((y, k) => (y < year ? ndvi[k]![i]! : Number.NaN)));
  const k0 = years.indexOf(Math.min(years.at(-1)!, year + duration - 1));
  const x0 = ndvi[k0]?.[i] ?? Number.NaN;
  const rho = (k: number) => (ndvi[k]![i]! - bare) / (pre - bare);
  for (let k = 0; k < years.length; k++) {
    if (years[k]! < year || !Number.isFinite(ndvi[k]![i]!)) continue;
    const v = rho(k);
    r.classes[k]![i] = !Number.isFinite(pre) || pre - bare <= 0.05 ? 2 : v >= CHANGE_RULES.restored ? 4 : v >= CHANGE_RULES.recovering ? 3 : 2;
  }
  const last = years.length - 1;
  r.rho[i] = rho(last);
  r.r80p[i] = rho(last) / 0.8;
  const ts = Math.min(5, last - k0);
  if (ts > 0) {
    r.yryr[i] = (ndvi[k0 + ts]![i]! - x0) / ts;
    r.rri[i] = (Math.max(ndvi[k0 + ts - 1]![i]!, ndvi[k0 + ts]![i]!) - x0) / (pre - x0);
  }
  for (let k = k0 + 1; k <= last; k++)
    if (rho(k) >= 0.8) {
      r.y2r[i] = years[k]! - years[k0]!;
      break;
    }
}

function mean(a: number[]): number {
  const v = a.filter(Number.isFinite);
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : Number.NaN;
}

/** The q-quantile of all finite values inside the AOI across the stack. */
function percentileOf(stack: Float32Array[], aoi: Uint8Array, q: number): number {
  const v: number[] = [];
  for (const a of stack) for (let i = 0; i < a.length; i += 3) if (aoi[i] && Number.isFinite(a[i]!)) v.push(a[i]!);
  v.sort((x, y) => x - y);
  return v.length ? v[Math.floor(q * (v.length - 1))]! : 0;
}
