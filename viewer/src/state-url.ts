/**
 * The view state in the URL query, so that a view can be shared and restored:
 * `?site=ganzhou&product=ndvi&year=2020&swipe=2016,2024&map=12.50/24.91000/115.07000&lang=zh&osm=1&opacity=0.8`.
 */
import type { Lang } from "./i18n.ts";

export interface ViewState {
  site?: string;
  product?: string;
  year?: string;
  /** Before/after years of the swipe; absent when the swipe is off. */
  swipe?: [string, string];
  lang: Lang;
  /** zoom, latitude, longitude */
  map?: [number, number, number];
  osm: boolean;
  /** Opacity of the product layer over the true-colour base, 0..1. */
  opacity: number;
}

const DATE = /^(\d{4}(-\d\d-\d\d)?|-)$/;
const KEY = /^[a-z0-9_-]{1,64}$/;

/** Parses a query string; unknown or malformed values are dropped, never trusted. */
export function readState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const get = (k: string, re: RegExp) => {
    const v = q.get(k);
    return v !== null && re.test(v) ? v : undefined;
  };
  const swipe = q.get("swipe")?.split(",");
  const map = q.get("map")?.split("/").map(Number);
  const opacity = Number(q.get("opacity") ?? 1);
  const s: ViewState = {
    lang: q.get("lang") === "zh" ? "zh" : "en",
    osm: q.get("osm") === "1",
    opacity: Number.isFinite(opacity) ? Math.min(1, Math.max(0, opacity)) : 1,
  };
  const site = get("site", KEY);
  const product = get("product", KEY);
  const year = get("year", DATE);
  if (site) s.site = site;
  if (product) s.product = product;
  if (year) s.year = year;
  if (swipe?.length === 2 && swipe.every((d) => DATE.test(d))) s.swipe = [swipe[0]!, swipe[1]!];
  if (map?.length === 3 && map.every(Number.isFinite) && Math.abs(map[1]!) <= 90 && Math.abs(map[2]!) <= 180) s.map = map as [number, number, number];
  return s;
}

/** The query string of a state (stable key order, rounded map position). */
export function toSearch(s: ViewState): string {
  const q = new URLSearchParams();
  if (s.site) q.set("site", s.site);
  if (s.product) q.set("product", s.product);
  if (s.year) q.set("year", s.year);
  if (s.swipe) q.set("swipe", s.swipe.join(","));
  if (s.map) q.set("map", `${s.map[0].toFixed(2)}/${s.map[1].toFixed(5)}/${s.map[2].toFixed(5)}`);
  q.set("lang", s.lang);
  if (s.osm) q.set("osm", "1");
  if (s.opacity < 1) q.set("opacity", s.opacity.toFixed(2));
  return `?${q.toString().replaceAll("%2C", ",").replaceAll("%2F", "/")}`;
}

/** Replaces the page URL (no history entry per slider step). */
export function writeState(s: ViewState): void {
  const search = toSearch(s);
  if (search !== location.search) history.replaceState(null, "", `${location.pathname}${search}${location.hash}`);
}
