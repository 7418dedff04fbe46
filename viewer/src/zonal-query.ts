/**
 * A drawn polygon: per-year statistics of the charted product inside it (mean, 10th-90th
 * percentiles, valid fraction) from the server, against the site's control polygons, as a chart,
 * a table and a CSV.
 */
import type { Polygon } from "geojson";
import { isStatic, NeedsServer, type Product, type Site, type ZonalResult, zonal } from "./api.ts";
import { zonalChart } from "./chart.ts";
import { csvName, zonalCsv } from "./csv.ts";
import { num } from "./dom.ts";
import { productName, shortName } from "./explainers.ts";
import { t } from "./i18n.ts";
import { seriesProduct } from "./pixel-query.ts";
import { showLoading, showMessage, showResult } from "./results.ts";

let request = 0;

export async function queryZonal(site: Site, shown: Product, polygon: Polygon): Promise<void> {
  const sp = seriesProduct(site, shown);
  if (isStatic()) return showMessage(t("polygonTitle"), t("needsServer"));
  if (!sp) return showMessage(t("polygonTitle"), t("noSeries"));
  const id = ++request;
  showLoading(t("polygonTitle"));
  try {
    const r = await zonal(site.key, sp.key, polygon);
    if (id === request) render(site, shown, sp, r);
  } catch (e) {
    if (id === request)
      showMessage(t("polygonTitle"), e instanceof NeedsServer ? t("needsServer") : t("queryFailed", { reason: (e as Error).message }), "error");
  }
}

function render(site: Site, shown: Product, sp: Product, r: ZonalResult): void {
  const name = shortName(sp.key, sp.label);
  const ctrl = new Map(r.control.map((c) => [c.date, c]));
  const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)} %`);
  showResult({
    title: t("polygonTitleArea", { area: r.areaKm2.toFixed(2) }),
    notes: [sp.key !== shown.key ? t("seriesOf", { name: productName(sp.key, sp.label) }) : "", t("bandNote"), t("controlNote")].filter(Boolean),
    simulated: site.simulated,
    chart: (el) =>
      zonalChart(
        el,
        r.series.map((s) => s.date),
        r.series,
        r.series.map((s) => ctrl.get(s.date) ?? { ...s, mean: null, p10: null, p50: null, p90: null, count: 0, validFraction: null }),
        name,
        site.season,
      ),
    head: [t("date"), `${t("mean")} ${name}`, t("p10p90"), t("valid"), t("controlMean"), t("difference")],
    rows: r.series.map((s) => {
      const c = ctrl.get(s.date)?.mean ?? null;
      return [
        s.date,
        num(s.mean),
        s.p10 === null ? "—" : `${num(s.p10, 2)}–${num(s.p90, 2)}`,
        pct(s.validFraction),
        num(c),
        s.mean === null || c === null ? "—" : `${s.mean - c >= 0 ? "+" : ""}${num(s.mean - c)}`,
      ];
    }),
    csv: { name: csvName([site.key, sp.key, "polygon"], site.simulated), text: zonalCsv(site.key, sp.key, r.areaKm2, r.series, r.control, site.simulated) },
  });
}
