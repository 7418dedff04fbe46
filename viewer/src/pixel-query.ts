/**
 * Click a pixel: its values over all years (composite values, raw observations, the fitted
 * segmentation, masked years) from the server, or in a static export from the copied COGs, as a
 * chart, a table and a CSV. Products without a yearly
 * series (true colour, change summaries, classes) chart the site's change index and show the
 * clicked product's own value next to it.
 */
import { HttpFailure, NeedsServer, type PointSeries, type Product, point, type Site } from "./api.ts";
import { pixelChart } from "./chart.ts";
import { csvName, pixelCsv } from "./csv.ts";
import { h, num } from "./dom.ts";
import { productName, shortName } from "./explainers.ts";
import { t } from "./i18n.ts";
import { categories } from "./legend.ts";
import { showLoading, showMessage, showResult } from "./results.ts";

/** The product whose series is charted when `p` is shown: `p` itself when it has yearly values. */
export function seriesProduct(site: Site, p: Product): Product | undefined {
  const yearly = (q: Product) => q.kind === "continuous" && q.dates.length > 1 && !q.dates.includes("-");
  if (yearly(p)) return p;
  return [site.changeIndex, "ndvi"].map((k) => site.products.find((q) => q.key === k)).find((q) => q && yearly(q)) ?? site.products.find(yearly);
}

/** A value as text: the class label for categorical products, whole numbers for years. */
function valueText(p: Product, v: number | null): string {
  if (v === null) return "—";
  if (p.kind === "categorical") return categories(p).find((k) => k.value === v)?.label ?? String(v);
  return num(v, Number.isInteger(v) ? 0 : 3);
}

/** The value in a table cell, with the class colour for categorical products. */
function cell(p: Product, v: number | null): string | Node {
  const c = p.kind === "categorical" ? categories(p).find((k) => k.value === v) : undefined;
  return c ? h("span", { class: "class-cell" }, h("i", { style: `background:${c.color}` }), c.label) : valueText(p, v);
}

let request = 0;

export async function queryPixel(site: Site, shown: Product, lon: number, lat: number): Promise<void> {
  const title = t("pixelTitle", { lon: lon.toFixed(5), lat: lat.toFixed(5) });
  const sp = seriesProduct(site, shown);
  if (!sp) return showMessage(title, t("noSeries"));
  const id = ++request;
  showLoading(title);
  try {
    const [s, extra] = await Promise.all([
      point(site.key, sp.key, lon, lat),
      sp.key !== shown.key && shown.kind !== "rgb" ? point(site.key, shown.key, lon, lat) : Promise.resolve(null),
    ]);
    if (id === request) render(site, shown, sp, s, extra, title);
  } catch (e) {
    if (id !== request) return;
    if (e instanceof NeedsServer) showMessage(title, t("needsServer"));
    else if (e instanceof HttpFailure && e.status === 404) showMessage(title, t("outsideSite"));
    else showMessage(title, t("queryFailed", { reason: (e as Error).message }), "error");
  }
}

function render(site: Site, shown: Product, sp: Product, s: PointSeries, extra: PointSeries | null, title: string): void {
  const name = shortName(sp.key, sp.label);
  const extraName = extra ? shortName(shown.key, shown.label) : "";
  const byDate = new Map(extra?.series.map((r) => [r.date, r.value]));
  const single = extra?.series.length === 1 ? extra.series[0]!.value : undefined;
  const observations = s.series.flatMap((r) => r.observations ?? []);
  const fitted = s.series.some((r) => r.fitted !== null) ? s.series.map((r) => r.fitted) : null;
  const change = site.products.find((q) => q.key === site.changeIndex);
  const notes = [
    sp.key !== shown.key ? t("seriesOf", { name: productName(sp.key, sp.label) }) : "",
    !fitted && change && change.key !== sp.key ? t("fittedOn", { name: productName(change.key, change.label) }) : "",
    single !== undefined ? `${extraName}: ${valueText(shown, single)}` : "",
    observations.length ? "" : t("noObservations"),
    observations.some((o) => o.value === null)
      ? t("maskedObservations", { masked: observations.filter((o) => o.value === null).length, total: observations.length })
      : "",
  ].filter(Boolean);
  const showExtra = extra && single === undefined;
  showResult({
    title,
    notes,
    simulated: site.simulated,
    chart: (el) =>
      pixelChart(el, {
        dates: s.series.map((r) => r.date),
        values: s.series.map((r) => r.value),
        fitted,
        observations,
        label: name,
        ...(site.season ? { season: site.season } : {}),
      }),
    head: [t("date"), name, ...(fitted ? [t("fitted")] : []), ...(showExtra ? [extraName] : [])],
    rows: s.series.map((r) => [
      r.date,
      r.value === null ? t("masked") : num(r.value),
      ...(fitted ? [num(r.fitted)] : []),
      ...(showExtra ? [cell(shown, byDate.get(r.date) ?? null)] : []),
    ]),
    csv: { name: csvName([site.key, sp.key, s.lon.toFixed(5), s.lat.toFixed(5)], site.simulated), text: pixelCsv(site.key, s, site.simulated) },
  });
}
