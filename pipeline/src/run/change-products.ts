/**
 * The change/ products of a segmentation (change/pixel-change.ts) as product-table rows, shared by
 * site runs and `reewatch change`: the greatest disturbance, the per-segment losses (one band per
 * loss segment in time order, as LT-GEE's change maps give every segment), trend and fit.
 */

import type { ChangeMaps } from "../change/pixel-change.ts";
import { LANDTRENDR_DEFAULTS } from "../change/segment.ts";
import type { ProductRow } from "./product-table.ts";

type Band = Float32Array | Int16Array | Uint8Array;

/** One single-band row. */
export function productRow(name: string, title: string, band: Band, range: [number, number], colormap: string, extra: Partial<ProductRow> = {}): ProductRow {
  return { name, title, range, colormap, bands: [band], bandDescriptions: [title], ...extra };
}

const YEARS_NODATA_0 = { type: "int16", nodata: 0 } as const;

/** Year, magnitude and duration of every loss segment: bands "loss segment 1" .. maxSegments. */
function segmentRows(maps: ChangeMaps, I: string, years: [number, number]): ProductRow[] {
  const bands = Array.from({ length: LANDTRENDR_DEFAULTS.maxSegments }, (_, k) => `loss segment ${k + 1}`);
  const row = (name: string, title: string, b: Band[], range: [number, number], colormap: string, extra: Partial<ProductRow>): ProductRow =>
    productRow(name, title, b[0]!, range, colormap, {
      description: `${title}, one band per loss segment of at least the minimum magnitude in time order (band 1 = the first loss); no-data where a pixel has fewer losses.`,
      bands: b,
      bandDescriptions: bands,
      ...extra,
    });
  return [
    row("segment_year", "Onset year of each loss segment", maps.segments.year, years, "years", { integer: YEARS_NODATA_0, unit: "year" }),
    row("segment_magnitude", `Loss of ${I} over each loss segment (pre minus post)`, maps.segments.magnitude, [0, 1], "magnitude", {}),
    row("segment_duration", "Duration of each loss segment", maps.segments.duration, [0, 5], "viridis", { integer: YEARS_NODATA_0, unit: "years" }),
  ];
}

/** The change/ products of `maps`; `trendIndex` names the index of the trend stack (default: `index`). */
export function changeProducts(maps: ChangeMaps, index: string, trendIndex = index): ProductRow[] {
  const [I, T] = [index.toUpperCase(), trendIndex.toUpperCase()];
  const years: [number, number] = [maps.years[0]!, maps.years.at(-1)!];
  return [
    productRow("disturbance_year", "Year of greatest disturbance", maps.disturbanceYear, years, "years", { integer: YEARS_NODATA_0, unit: "year" }),
    productRow("magnitude", `Disturbance magnitude (loss of ${I}, pre minus post)`, maps.magnitude, [0, 1], "magnitude"),
    productRow("duration", "Disturbance duration", maps.duration, [0, 5], "viridis", { integer: YEARS_NODATA_0, unit: "years" }),
    productRow("pre_value", `Pre-disturbance ${I}`, maps.preValue, [-0.2, 0.8], "ndvi"),
    productRow("recovery_rate", `Recovery rate (${I} per year)`, maps.recoveryRate, [0, 0.2], "viridis", { unit: "1/yr" }),
    productRow("rmse", "Segmentation RMSE", maps.rmse, [0, 0.1], "viridis"),
    ...segmentRows(maps, I, years),
    productRow("ts_slope", `Theil-Sen slope of ${T}`, maps.slope, [-0.05, 0.05], "change", { unit: "1/yr" }),
    productRow("mk_p", `Mann-Kendall p-value of ${T}`, maps.mkP, [0, 1], "viridis"),
    ...maps.years.map((y, k) => productRow(`fitted_${y}`, `Segmentation fit of ${I} ${y}`, maps.fitted[k]!, [-0.5, 0.9], "ndvi")),
  ];
}
