/**
 * Time-series charts (uPlot). Time runs on a decimal-year axis: an annual composite "2019" sits in
 * the middle of its season window (time-axis.ts), a single scene or observation at its own date.
 * Years without a valid composite value (masked) are shaded and labelled, scenes masked at the
 * pixel are ticks along the bottom. Hovering shows the values in the legend.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ZoneStats } from "./api.ts";
import { t } from "./i18n.ts";
import { align, decimalYear, type Season } from "./time-axis.ts";

const plots = new WeakMap<HTMLElement, { plot: uPlot; observer: ResizeObserver }>();

function draw(el: HTMLElement, opts: Omit<uPlot.Options, "width" | "height">, data: uPlot.AlignedData): uPlot {
  const old = plots.get(el);
  old?.observer.disconnect();
  old?.plot.destroy();
  el.replaceChildren();
  const width = () => Math.max(240, el.clientWidth);
  const plot = new uPlot({ ...opts, width: width(), height: 220 } as uPlot.Options, data, el);
  const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
  observer.observe(el);
  plots.set(el, { plot, observer });
  return plot;
}

/** Half a year around annual composites; for dates days apart, 15 % of the span (at least 3 days). */
function padRange(dates: string[]): (u: uPlot, lo: number, hi: number) => uPlot.Range.MinMax {
  const annual = dates.length > 0 && dates.every((d) => /^\d{4}$/.test(d));
  return (_u, lo, hi) => {
    const pad = annual ? 0.5 : Math.max((hi - lo) * 0.15, 3 / 365);
    return [lo - pad, hi + pad];
  };
}

/** x axis with one tick per composite date, labelled by the date (every other one when they would crowd). */
function timeAxis(dates: string[], season?: Season): uPlot.Axis {
  const xs = dates.map((d) => decimalYear(d, season));
  return {
    splits: () => xs,
    values: (u, splits) => {
      const chars = Math.max(...dates.map((d) => d.length));
      const every = Math.ceil((dates.length * chars * 8) / Math.max(1, u.bbox.width / devicePixelRatio));
      return splits.map((s, i) => (i % every === 0 || i === splits.length - 1 ? (dates[xs.indexOf(s)] ?? "") : ""));
    },
    grid: { stroke: "#eceff1" },
  };
}

/** Shades the masked composite dates (value null). */
function maskedHook(dates: string[], masked: boolean[], season?: Season): (u: uPlot) => void {
  return (u) => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    ctx.save();
    dates.forEach((d, i) => {
      if (!masked[i]) return;
      const x = decimalYear(d, season);
      const half = d.length === 4 ? 0.45 : 0.02;
      const x0 = u.valToPos(x - half, "x", true);
      const x1 = u.valToPos(x + half, "x", true);
      ctx.fillStyle = "rgba(96,125,139,0.18)";
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.fillStyle = "#455a64";
      ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
      ctx.textAlign = "center";
      ctx.fillText(t("masked"), (x0 + x1) / 2, top + 14 * devicePixelRatio);
    });
    ctx.restore();
  };
}

/** Short grey ticks along the bottom of the plot at the dates of masked scene observations. */
function maskedObservationsHook(dates: string[]): (u: uPlot) => void {
  return (u) => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = "#78909c";
    ctx.lineWidth = 2 * devicePixelRatio;
    for (const d of dates) {
      const x = u.valToPos(decimalYear(d), "x", true);
      ctx.beginPath();
      ctx.moveTo(x, top + height);
      ctx.lineTo(x, top + height - 8 * devicePixelRatio);
      ctx.stroke();
    }
    ctx.restore();
  };
}

export interface PixelChart {
  dates: string[];
  values: (number | null)[];
  fitted: (number | null)[] | null;
  observations: { date: string; value: number | null }[];
  label: string;
  /** The site's season window: where annual composites sit on the time axis. */
  season?: Season;
}

export function pixelChart(el: HTMLElement, c: PixelChart): void {
  const maskedObs = c.observations.filter((o) => o.value === null).map((o) => o.date);
  const groups = [{ xs: c.dates.map((d) => decimalYear(d, c.season)), cols: c.fitted ? [c.values, c.fitted] : [c.values] }];
  if (c.observations.length) groups.push({ xs: c.observations.map((o) => decimalYear(o.date)), cols: [c.observations.map((o) => o.value)] });
  const { x, cols } = align(groups);
  const series: uPlot.Series[] = [
    { label: t("date") },
    { label: c.label, stroke: "#1565c0", width: 2, points: { show: true, size: 7, fill: "#1565c0" }, spanGaps: false },
  ];
  if (c.fitted) series.push({ label: t("fitted"), stroke: "#e65100", width: 2, dash: [6, 4], points: { show: false }, spanGaps: true });
  if (c.observations.length) series.push({ label: t("observations"), stroke: "#6d4c41", paths: () => null, points: { show: true, size: 5, fill: "#a1887f" } });
  draw(
    el,
    {
      scales: { x: { time: false, range: padRange(c.dates) } },
      axes: [timeAxis(c.dates, c.season), { size: 46 }],
      series,
      legend: { live: true },
      hooks: {
        draw: [
          maskedHook(
            c.dates,
            c.values.map((v) => v === null),
            c.season,
          ),
          maskedObservationsHook(maskedObs),
        ],
      },
    },
    [x, ...cols] as uPlot.AlignedData,
  );
  el.classList.remove("zonal");
  el.dataset.years = String(c.dates.length);
  el.dataset.points = String(c.values.filter((v) => v !== null).length);
  el.dataset.maskedObservations = String(maskedObs.length);
}

export function zonalChart(el: HTMLElement, dates: string[], zone: ZoneStats[], control: ZoneStats[], label: string, season?: Season): void {
  const x = dates.map((d) => decimalYear(d, season));
  const col = (s: ZoneStats[], k: "mean" | "p10" | "p90") => s.map((r) => r[k]);
  draw(
    el,
    {
      scales: { x: { time: false, range: padRange(dates) } },
      axes: [timeAxis(dates, season), { size: 46 }],
      series: [
        { label: t("date") },
        { label: t("zoneP10"), stroke: "rgba(216,67,21,0.5)", width: 1, points: { show: false } },
        { label: t("zoneP90"), stroke: "rgba(216,67,21,0.5)", width: 1, points: { show: false } },
        { label: `${label}: ${t("zoneMean")}`, stroke: "#d84315", width: 2.5, points: { show: true, size: 7, fill: "#d84315" } },
        { label: t("controlMean"), stroke: "#1565c0", width: 2, dash: [5, 3], points: { show: true, size: 6, fill: "#1565c0" } },
      ],
      bands: [{ series: [2, 1], fill: "rgba(216,67,21,0.14)" }],
      legend: { live: true },
      hooks: {
        draw: [
          maskedHook(
            dates,
            zone.map((r) => r.mean === null),
            season,
          ),
        ],
      },
    },
    [x, col(zone, "p10"), col(zone, "p90"), col(zone, "mean"), col(control, "mean")] as uPlot.AlignedData,
  );
  el.classList.add("zonal");
  el.dataset.years = String(dates.length);
  el.dataset.points = String(zone.filter((r) => r.mean !== null).length);
}
