/**
 * What `reewatch recovery` says about each metric (COG metadata, STAC, summary.json) and the
 * per-polygon summary: the target, the polygon's median index per year, and statistics of each
 * metric over the polygon's pixels.
 */
import { NEVER_RECOVERED, RECOVERY_METRICS } from "../change/recovery-metrics.ts";
import { median } from "../change/recovery-target.ts";
import type { AnnualComposites } from "../read/annual-composites.ts";
import type { RecoveryResult, TargetSpec } from "./composites-recovery.ts";
import type { PolygonMask } from "./polygon-masks.ts";

export type Metric = (typeof RECOVERY_METRICS)[number];

interface MetricRow {
  title: string;
  description: string;
  range: [number, number];
  colormap: string;
  unit?: string;
}

export const METRIC_TABLE: Record<Metric, MetricRow> = {
  y2r: {
    title: "Y2R: years to recovery",
    description: `years after the restoration start r until the index first reaches P % of the recovery target (0: already in year r; ${NEVER_RECOVERED}: not by the last year; NaN: no value from r on)`,
    range: [0, 10],
    colormap: "viridis",
    unit: "years",
  },
  r80p: {
    title: "R80P: recovery to P % of the target",
    description: "x(r+t) / (P/100 * target) (Frazier et al. 2018); >= 1 means recovered",
    range: [0, 1.5],
    colormap: "recovery",
  },
  yryr: {
    title: "YrYr: year-on-year recovery rate",
    description: "(x(r+t) - x(r)) / t (Frazier et al. 2018), index units per year",
    range: [-0.02, 0.1],
    colormap: "viridis",
    unit: "1/yr",
  },
  dir: {
    title: "dIR: index regrowth after t years",
    description:
      "x(r+t) - x(r): later minus earlier, regrowth positive. The spectral-recovery package calls this metric dNBR; burn-severity dNBR (Key & Benson 2006) is the opposite, pre minus post. Named dIR here to keep the two apart.",
    range: [-0.2, 0.5],
    colormap: "change",
  },
  rri: {
    title: "RRI: relative recovery index",
    description: "(max(x(r+t-1), x(r+t)) - x(r)) / (x(d) - x(r)) (Kennedy et al. 2012; Frazier et al. 2018): regrowth as a share of the loss between d and r",
    range: [0, 1.2],
    colormap: "recovery",
  },
};

export function targetText(t: TargetSpec & { years: [number, number] }): string {
  const yrs = `${t.years[0]}-${t.years[1]}`;
  if (t.kind === "reference")
    return `median of the reference polygons (${t.file}) over ${yrs}: per pixel over the years, then over each polygon's pixels, then over the polygons`;
  return t.scale === "polygon"
    ? `historic, per polygon: median over ${yrs} per pixel, then over the polygon's pixels`
    : `historic, per pixel: median of the pixel's values over ${yrs}`;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);

function stats(values: number[]): Record<string, number | null> {
  const v = values.filter(Number.isFinite);
  return {
    count: v.length,
    mean: round(v.length ? v.reduce((s, a) => s + a, 0) / v.length : Number.NaN),
    median: round(median(v)),
    min: round(v.length ? Math.min(...v) : Number.NaN),
    max: round(v.length ? Math.max(...v) : Number.NaN),
  };
}

function y2rStats(values: number[]): Record<string, number | null> {
  const recovered = values.filter((v) => v >= 0);
  return {
    recovered: recovered.length,
    not_recovered: values.filter((v) => v === NEVER_RECOVERED).length,
    no_data: values.filter(Number.isNaN).length,
    median_years_if_recovered: round(median(recovered)),
  };
}

export function polygonSummaries(c: AnnualComposites, r: RecoveryResult, polygons: PolygonMask[], indices: string[]): Record<string, unknown>[] {
  return polygons.map((poly, p) => {
    const px: number[] = [];
    for (let i = 0; i < r.owner.length; i++) if (r.owner[i] === p) px.push(i);
    const perIndex = Object.fromEntries(
      indices.map((name, b) => {
        const t = r.targets[b]!;
        const target =
          t.kind === "pixel" ? { per_pixel: stats(px.map((i) => t.values[i]!)) } : { value: round(t.kind === "reference" ? t.values[0]! : t.values[p]!) };
        const series = Object.fromEntries(c.years.map((y, k) => [y, round(median(px.map((i) => c.index[name]![k]![i]!)))]));
        const metrics = Object.fromEntries(
          RECOVERY_METRICS.map((k) => {
            const v = px.map((i) => r.maps[k][b]![i]!);
            return [k, k === "y2r" ? y2rStats(v) : stats(v)];
          }),
        );
        return [name, { target, median_by_year: series, metrics }];
      }),
    );
    return {
      id: poly.id,
      properties: poly.properties,
      pixels: px.length,
      pixels_shared_with_an_earlier_polygon: poly.pixels - px.length,
      pixels_off_raster: poly.pixelsOffGrid,
      indices: perIndex,
    };
  });
}
