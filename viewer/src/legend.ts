/** Legends from the same colour-map data files the tile server uses (tiles/colormaps). */
import type { Product } from "./api.ts";

interface Cmap {
  kind: string;
  stops?: [number, string][];
  classes?: { value: number; color: string; label: { en: string; zh: string } }[];
}

const FILES = import.meta.glob("../../tiles/colormaps/*.json", { eager: true, import: "default" }) as Record<string, Cmap>;
const MAPS: Record<string, Cmap> = Object.fromEntries(Object.entries(FILES).map(([k, v]) => [k.split("/").pop()!.replace(".json", ""), v]));

export function renderLegend(el: HTMLElement, p: Product, lang: "en" | "zh"): void {
  const cm = MAPS[p.colormap];
  const title = `<b>${p.label[lang]}</b>${p.unit ? ` (${p.unit})` : ""}`;
  if (p.kind === "rgb" || !cm) {
    el.innerHTML = `${title}<div class="muted">RGB</div>`;
    return;
  }
  if (cm.kind === "categorical") {
    el.innerHTML = `${title}<ul class="swatches">${(cm.classes ?? []).map((c) => `<li><i style="background:${c.color}"></i>${c.label[lang]}</li>`).join("")}</ul>`;
    return;
  }
  const grad = (cm.stops ?? []).map(([t, c]) => `${c} ${(t * 100).toFixed(0)}%`).join(", ");
  el.innerHTML = `${title}<div class="ramp" style="background:linear-gradient(to right, ${grad})"></div><div class="ramp-labels"><span>${p.range[0]}</span><span>${p.range[1]}</span></div>`;
}
