/** The time-series chart (uPlot) and its CSV. */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

let plot: uPlot | null = null;

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

export function drawChart(el: HTMLElement, xs: number[], series: Series[]): void {
  plot?.destroy();
  el.innerHTML = "";
  plot = new uPlot(
    {
      width: Math.max(260, el.clientWidth || 300),
      height: 200,
      scales: { x: { time: false } },
      axes: [{ values: (_u, v) => v.map((x) => String(Math.round(x))) }, {}],
      series: [
        { label: "year" },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: true, size: 6 },
          spanGaps: false,
        })),
      ],
    },
    [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
    el,
  );
}

export function chartPointCount(): number {
  return plot ? Array.from(plot.data[1] as ArrayLike<number | null | undefined>).filter((v) => v !== null && v !== undefined).length : 0;
}

export function csvOf(xs: string[], series: Series[]): string {
  const head = ["date", ...series.map((s) => s.label)].join(",");
  return [head, ...xs.map((x, i) => [x, ...series.map((s) => s.values[i] ?? "")].join(","))].join("\n");
}
