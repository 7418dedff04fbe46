/** The view state in the URL (query string), so a view can be shared and restored. */
export interface ViewState {
  site?: string;
  product?: string;
  year?: string;
  swipe?: [string, string];
  lang: "en" | "zh";
  map?: [number, number, number];
}

export function readState(search = location.search): ViewState {
  const q = new URLSearchParams(search);
  const swipe = q.get("swipe")?.split(",");
  const map = q.get("map")?.split("/").map(Number);
  return {
    ...(q.get("site") ? { site: q.get("site")! } : {}),
    ...(q.get("product") ? { product: q.get("product")! } : {}),
    ...(q.get("year") ? { year: q.get("year")! } : {}),
    ...(swipe?.length === 2 ? { swipe: [swipe[0]!, swipe[1]!] as [string, string] } : {}),
    lang: q.get("lang") === "zh" ? "zh" : "en",
    ...(map?.length === 3 && map.every(Number.isFinite) ? { map: map as [number, number, number] } : {}),
  };
}

export function writeState(s: ViewState): void {
  const q = new URLSearchParams();
  if (s.site) q.set("site", s.site);
  if (s.product) q.set("product", s.product);
  if (s.year) q.set("year", s.year);
  if (s.swipe) q.set("swipe", s.swipe.join(","));
  q.set("lang", s.lang);
  if (s.map) q.set("map", s.map.map((v, i) => (i === 0 ? v.toFixed(2) : v.toFixed(5))).join("/"));
  history.replaceState(null, "", `?${q.toString()}`);
}
