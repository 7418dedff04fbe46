/**
 * Drawing a polygon on the map without a plugin: click to add corners, double-click (or Enter, or
 * the Finish button) to close it, Backspace to remove the last corner, Escape to cancel. The shape
 * is drawn from a GeoJSON source (layers.ts: drawn-*).
 */
import type { Feature, Polygon, Position } from "geojson";
import type { MapMouseEvent, Map as MlMap } from "maplibre-gl";
import { $ } from "./dom.ts";
import { t } from "./i18n.ts";

export class PolygonDrawer {
  private corners: Position[] = [];
  private cursor: Position | null = null;
  private on = false;

  constructor(
    private readonly map: MlMap,
    private readonly render: (features: Feature[]) => void,
    private readonly onFinish: (polygon: Polygon) => void,
  ) {
    map.on("click", (e) => this.click(e));
    map.on("dblclick", (e) => {
      if (!this.on) return;
      e.preventDefault();
      this.finish();
    });
    map.on("mousemove", (e) => {
      if (!this.on) return;
      this.cursor = [e.lngLat.lng, e.lngLat.lat];
      this.draw();
    });
    document.addEventListener("keydown", (e) => this.key(e));
    $("draw").addEventListener("click", () => (this.on ? this.cancel() : this.start()));
    $("draw-finish").addEventListener("click", () => this.finish());
    $("draw-undo").addEventListener("click", () => this.undo());
  }

  get drawing(): boolean {
    return this.on;
  }

  start(): void {
    this.on = true;
    this.corners = [];
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = "crosshair";
    this.draw();
  }

  cancel(): void {
    this.stop();
    this.render([]);
  }

  undo(): void {
    this.corners.pop();
    this.draw();
  }

  finish(): void {
    if (!this.on || this.corners.length < 3) return;
    const polygon: Polygon = { type: "Polygon", coordinates: [[...this.corners, this.corners[0]!]] };
    this.stop();
    this.render([{ type: "Feature", properties: {}, geometry: polygon }]);
    this.onFinish(polygon);
  }

  /** Re-labels the status line (also after a language switch). */
  label(): void {
    $("draw").textContent = this.on ? t("drawCancel") : t("draw");
    $("draw").setAttribute("aria-pressed", String(this.on));
    $("draw-tools").hidden = !this.on;
    $("draw-status").textContent = this.on ? t("drawHelp", { n: this.corners.length }) : "";
    $<HTMLButtonElement>("draw-finish").disabled = this.corners.length < 3;
    $<HTMLButtonElement>("draw-undo").disabled = this.corners.length === 0;
  }

  private stop(): void {
    this.on = false;
    this.cursor = null;
    this.map.getCanvas().style.cursor = "";
    // Re-enable double-click zoom after this double-click has been handled.
    setTimeout(() => this.map.doubleClickZoom.enable(), 0);
    this.label();
  }

  private click(e: MapMouseEvent): void {
    if (!this.on) return;
    const last = this.corners.at(-1);
    // The second click of a double-click lands on the last corner: do not add it twice.
    if (last && this.map.project(last as [number, number]).dist(e.point) < 5) return;
    this.corners.push([e.lngLat.lng, e.lngLat.lat]);
    this.draw();
  }

  private key(e: KeyboardEvent): void {
    if (!this.on) return;
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    if (e.key === "Escape") this.cancel();
    else if (e.key === "Enter") this.finish();
    else if (e.key === "Backspace") this.undo();
    else return;
    e.preventDefault();
  }

  private draw(): void {
    const c = this.corners;
    const line = this.cursor ? [...c, this.cursor] : c;
    const features: Feature[] = c.map((p) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: p } }));
    if (line.length >= 2)
      features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: line.length >= 3 ? [...line, line[0]!] : line } });
    if (c.length >= 3) features.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...c, c[0]!]] } });
    this.render(features);
    this.label();
  }
}
