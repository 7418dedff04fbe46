/**
 * Before/after swipe: a second map over the first, clipped to the right of a divider (clip-path),
 * following the first map's camera. The divider is dragged with the pointer or moved with the arrow
 * keys (Home/End to the edges). The second map lets pointer events through to the first, so
 * clicking and drawing work on both sides.
 */
import type { Map as MlMap } from "maplibre-gl";
import { $ } from "./dom.ts";
import { t } from "./i18n.ts";
import { createMap, follow, loaded } from "./map.ts";

export class Swipe {
  private map: MlMap | null = null;
  private pos = 50;
  private active = false;

  constructor(
    private readonly leader: MlMap,
    private readonly setup: (m: MlMap) => void,
  ) {
    const divider = $("divider");
    divider.addEventListener("pointerdown", (e) => {
      divider.setPointerCapture(e.pointerId);
      divider.classList.add("dragging");
    });
    divider.addEventListener("pointermove", (e) => {
      if (!divider.hasPointerCapture(e.pointerId)) return;
      const r = $("maps").getBoundingClientRect();
      this.move(((e.clientX - r.left) / r.width) * 100);
    });
    divider.addEventListener("pointerup", () => divider.classList.remove("dragging"));
    divider.addEventListener("keydown", (e) => this.key(e));
  }

  get on(): boolean {
    return this.active;
  }

  /** The right-hand map, or null while the swipe is off. */
  get right(): MlMap | null {
    return this.active ? this.map : null;
  }

  /** The right-hand map, even when hidden (for tests and resizing). */
  get created(): MlMap | null {
    return this.map;
  }

  async enable(): Promise<MlMap> {
    this.active = true;
    for (const id of ["map-b", "divider", "badge-b"]) $(id).hidden = false;
    if (!this.map) {
      const c = this.leader.getCenter();
      this.map = createMap("map-b", [c.lng, c.lat], this.leader.getZoom(), false);
      follow(this.leader, this.map);
      await loaded(this.map);
      this.setup(this.map);
    }
    this.map.resize();
    this.move(this.pos);
    return this.map;
  }

  disable(): void {
    this.active = false;
    for (const id of ["map-b", "divider", "badge-b"]) $(id).hidden = true;
  }

  move(percent: number): void {
    this.pos = Math.min(98, Math.max(2, percent));
    $("map-b").style.clipPath = `inset(0 0 0 ${this.pos}%)`;
    const d = $("divider");
    d.style.left = `${this.pos}%`;
    d.setAttribute("aria-valuenow", this.pos.toFixed(0));
    d.setAttribute("aria-valuetext", t("dividerAt", { p: this.pos.toFixed(0) }));
    $("badge-b").style.left = `calc(${this.pos}% + 12px)`;
  }

  private key(e: KeyboardEvent): void {
    const step = e.shiftKey ? 10 : 2;
    const to: Record<string, number> = { ArrowLeft: this.pos - step, ArrowRight: this.pos + step, Home: 2, End: 98 };
    if (!(e.key in to)) return;
    e.preventDefault();
    this.move(to[e.key]!);
  }
}
