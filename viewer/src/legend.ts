/**
 * The legend of the shown product: a continuous ramp with its declared range and unit (the same
 * stretch for every year), or categorical swatches. Colours come from the product's `legend` when
 * the server sends one, else from the colour-map definitions the tile server uses (common/colormaps.ts).
 */
import { COLORMAPS, rampStops } from "../../common/colormaps.ts";
import type { Product } from "./api.ts";
import { fill, h } from "./dom.ts";
import { classLabel, productName } from "./explainers.ts";
import { pick, t } from "./i18n.ts";

const MAPS = COLORMAPS;

/** Tick values: both ends of the range plus round values between them (a 1, 2, 2.5 or 5 step), none crowding an end. */
export function ticks([lo, hi]: [number, number]): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const inner: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v < hi - 1e-9; v += step) if (v - lo > span * 0.12 && hi - v > span * 0.12) inner.push(Number(v.toFixed(10)) + 0);
  return [lo, ...inner, hi];
}

export function formatTick(v: number, [lo, hi]: [number, number]): string {
  const span = hi - lo;
  const digits = Number.isInteger(lo) && Number.isInteger(hi) && span >= 4 ? 0 : span >= 1 ? 2 : 3;
  return Number(v.toFixed(digits)).toString();
}

/** Categorical entries shown for a product: value, colour and label. */
export function categories(p: Product): { value: number; color: string; label: string }[] {
  if (p.legend?.length) return p.legend.map(([value, color, label]) => ({ value, color, label: pick(label, String(value)) }));
  return (MAPS[p.colormap]?.classes ?? [])
    .filter((c) => c.value > 0 && c.value >= p.range[0] && c.value <= p.range[1])
    .map((c) => ({ value: c.value, color: c.color, label: classLabel(p.key, c.value) ?? pick(c.label) }));
}

function ramp(p: Product): HTMLElement {
  const stops = p.legend?.length
    ? p.legend.map(([v, c]) => [(v - p.range[0]) / (p.range[1] - p.range[0]), c] as const)
    : MAPS[p.colormap]
      ? rampStops(MAPS[p.colormap]!)
      : [];
  const gradient = stops.map(([f, c]) => `${c} ${(f * 100).toFixed(1)}%`).join(", ");
  const ts = ticks(p.range);
  const span = p.range[1] - p.range[0];
  return h(
    "div",
    { class: "ramp-box" },
    h("div", {
      class: "ramp",
      style: `background: linear-gradient(to right, ${gradient})`,
      role: "img",
      "aria-label": t("legendRamp", { min: p.range[0], max: p.range[1] }),
    }),
    h(
      "div",
      { class: "ramp-ticks", "aria-hidden": "true" },
      ...ts.map((v) => h("span", { style: `left: ${(((v - p.range[0]) / span) * 100).toFixed(2)}%` }, formatTick(v, p.range))),
    ),
  );
}

export function renderLegend(el: HTMLElement, p: Product): void {
  const unit = p.unit ? ` (${p.unit})` : "";
  const title = h("div", { class: "legend-title" }, h("b", {}, productName(p.key, p.label)), unit);
  const full = pick(p.label);
  const sub = full && !productName(p.key, p.label).includes(full) ? h("div", { class: "legend-sub" }, full) : null;
  if (p.kind === "rgb") {
    fill(el, title, sub, h("div", { class: "legend-note" }, t("legendRgb")));
    return;
  }
  const body =
    p.kind === "categorical"
      ? h("ul", { class: "swatches" }, ...categories(p).map((c) => h("li", {}, h("i", { style: `background:${c.color}` }), c.label)))
      : ramp(p);
  const note =
    p.kind === "categorical" ? t("legendNoData") : t("legendStretch", { min: formatTick(p.range[0], p.range), max: formatTick(p.range[1], p.range) });
  fill(el, title, sub, body, h("div", { class: "legend-note" }, note));
}

/** The outline key (AOI, zones, controls, drawn polygon, clicked pixel). */
export function renderOutlineKey(el: HTMLElement): void {
  const item = (cls: string, key: string) => h("li", {}, h("i", { class: `line ${cls}` }), t(key));
  fill(el, h("ul", { class: "outline-key" }, item("aoi", "keyAoi"), item("zone", "keyZone"), item("control", "keyControl"), item("drawn", "keyDrawn")));
}
