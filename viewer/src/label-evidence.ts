/**
 * What the labeller looks at for one point: before/after chips of the true colour and the change
 * index (one PNG pixel per data pixel, scaled up without smoothing, the sampled pixel outlined)
 * and the pixel's index series, from the same point API and chart as a click on the map.
 */
import { point, type Site } from "./api.ts";
import { pixelChart } from "./chart.ts";
import { fill } from "./dom.ts";
import { productName, shortName } from "./explainers.ts";
import { t } from "./i18n.ts";
import { chipUrl, type SamplePoint } from "./label-api.ts";
import { CHIP, chip, notice } from "./label-view.ts";
import { seriesProduct } from "./pixel-query.ts";

/** True colour then the change index, each at `before` and `after` (dates a product lacks are left out). */
export function renderChips(el: HTMLElement, site: Site, p: SamplePoint, before: string, after: string): void {
  const figures = [];
  for (const key of ["truecolor", site.changeIndex]) {
    const prod = site.products.find((q) => q.key === key);
    if (!prod) continue;
    for (const date of [before, after]) {
      if (!prod.dates.includes(date)) continue;
      const name = key === "truecolor" ? t("labelTrueColour") : shortName(prod.key, prod.label);
      figures.push(chip(chipUrl(site.key, prod.key, date, p, CHIP), `${name} ${date}`, `${prod.key}/${date}`));
    }
  }
  fill(el, ...figures);
}

let request = 0;

/** The change index of the pixel through the years (the latest request wins). */
export async function renderSeries(el: HTMLElement, title: HTMLElement, site: Site, p: SamplePoint): Promise<void> {
  const index = site.products.find((q) => q.key === site.changeIndex);
  const sp = index ? seriesProduct(site, index) : undefined;
  if (!sp) return fill(el);
  const id = ++request;
  title.textContent = t("labelSeries", { name: productName(sp.key, sp.label) });
  try {
    const r = await point(site.key, sp.key, p.lon, p.lat);
    if (id !== request) return;
    pixelChart(el, {
      dates: r.series.map((q) => q.date),
      values: r.series.map((q) => q.value),
      fitted: r.series.some((q) => q.fitted !== null) ? r.series.map((q) => q.fitted) : null,
      observations: r.series.flatMap((q) => q.observations ?? []),
      label: shortName(sp.key, sp.label),
      ...(site.season ? { season: site.season } : {}),
    });
  } catch (e) {
    if (id === request) fill(el, notice(t("queryFailed", { reason: (e as Error).message }), "error"));
  }
}
