/** The name of the zone or control polygon under the pointer, in a small tooltip (no map labels: no glyphs needed). */
import type { Map as MlMap } from "maplibre-gl";
import { $ } from "./dom.ts";
import { t } from "./i18n.ts";

export function zoneHover(map: MlMap, active: () => boolean): void {
  const tip = $("hover");
  map.on("mousemove", (e) => {
    const f = active() ? map.queryRenderedFeatures(e.point, { layers: ["zones-hit"] })[0] : undefined;
    tip.hidden = !f;
    if (!f) return;
    tip.textContent = `${f.properties.name} · ${t(f.properties.kind === "control" ? "hoverControl" : "hoverZone")}`;
    tip.style.left = `${e.point.x + 14}px`;
    tip.style.top = `${e.point.y + 14}px`;
  });
  map.on("mouseout", () => (tip.hidden = true));
}
