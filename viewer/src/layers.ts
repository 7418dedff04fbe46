/**
 * What a map shows, bottom to top: the optional online basemap (OSM), the site's true colour of the
 * shown year (the offline base), the product, then the outlines of the AOI, zones and controls, the
 * drawn polygon and the clicked pixel. A raster that changes (year slider, play) is added above the
 * old one, and the old one is removed only once the new tiles are in: no flash of empty map.
 */
import type { Feature, FeatureCollection } from "geojson";
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap, RasterSourceSpecification } from "maplibre-gl";
import { type Product, type Site, type TileSource, tileSource, tileZooms } from "./api.ts";

export interface View {
  site: Site;
  product: Product;
  date: string;
  osm: boolean;
  opacity: number;
}

type Slot = "osm" | "base" | "product";
const RANK: Record<string, number> = { osm: 0, base: 1, product: 2 };
const OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };

interface SlotState {
  current?: { id: string; url: string };
  stale: string[];
}
const SLOTS = new WeakMap<MlMap, Record<Slot, SlotState>>();
let serial = 0;

function slots(map: MlMap): Record<Slot, SlotState> {
  const s = SLOTS.get(map) ?? { osm: { stale: [] }, base: { stale: [] }, product: { stale: [] } };
  SLOTS.set(map, s);
  return s;
}

/** The first layer above every raster of `slot` (a higher slot or an overlay). */
function above(map: MlMap, slot: Slot): string | undefined {
  return map.getLayersOrder().find((id) => id !== "bg" && (RANK[id.split("-")[0]!] ?? 9) > RANK[slot]!);
}

function drop(map: MlMap, id: string): void {
  if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(id)) map.removeSource(id);
}

/** Calls `done` once the source's tiles are loaded (or after a few seconds, whatever happens). */
function whenLoaded(map: MlMap, id: string, done: () => void): void {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    map.off("sourcedata", onData);
    map.off("idle", finish);
    done();
  };
  const onData = (e: { sourceId?: string; tile?: unknown }) => {
    if (e.sourceId === id && e.tile && map.isSourceLoaded(id)) finish();
  };
  map.on("sourcedata", onData);
  map.once("idle", finish);
  setTimeout(finish, 5000);
}

/** A MapLibre raster source: XYZ tiles, or a PMTiles archive through the pmtiles protocol (map.ts), whose header gives the zooms. */
function rasterSource(from: TileSource, slot: Slot, opts: { bounds?: number[]; attribution?: string }): RasterSourceSpecification {
  const zooms = slot === "osm" ? { maxzoom: 19 } : { minzoom: tileZooms()[0], maxzoom: tileZooms()[1] };
  return {
    type: "raster",
    tileSize: 256,
    ...("pmtiles" in from ? { url: `pmtiles://${from.pmtiles}` } : { tiles: [from.tiles], ...zooms }),
    ...(opts.bounds ? { bounds: opts.bounds as [number, number, number, number] } : {}),
    ...(opts.attribution ? { attribution: opts.attribution } : {}),
  };
}

function setRaster(map: MlMap, slot: Slot, from: TileSource | null, opacity: number, opts: { bounds?: number[]; attribution?: string } = {}): void {
  const st = slots(map)[slot];
  const url = from && ("pmtiles" in from ? from.pmtiles : from.tiles);
  if (st.current && st.current.url === url) {
    map.setPaintProperty(st.current.id, "raster-opacity", opacity);
    return;
  }
  if (st.current) st.stale.push(st.current.id);
  const clear = () => {
    for (const id of st.stale.splice(0)) drop(map, id);
  };
  if (!url) {
    st.current = undefined;
    clear();
    return;
  }
  const id = `${slot}-${++serial}`;
  map.addSource(id, rasterSource(from, slot, opts));
  map.addLayer(
    {
      id,
      type: "raster",
      source: id,
      paint: { "raster-opacity": opacity, "raster-fade-duration": 0, "raster-resampling": slot === "osm" ? "linear" : "nearest" },
    },
    above(map, slot),
  );
  st.current = { id, url };
  whenLoaded(map, id, clear);
}

/** The true-colour date under a product date: the same date, else the latest before it, else the last. */
export function baseDate(site: Site, date: string): string | undefined {
  const tc = site.products.find((p) => p.key === "truecolor")?.dates ?? [];
  if (tc.includes(date)) return date;
  return tc.filter((d) => d <= date).at(-1) ?? tc.at(-1);
}

export function showView(map: MlMap, v: View, attribution: string): void {
  const bounds = v.site.bbox;
  setRaster(map, "osm", v.osm ? { tiles: OSM } : null, 1, { attribution: "© OpenStreetMap contributors" });
  const bd = baseDate(v.site, v.date);
  setRaster(map, "base", bd ? tileSource(v.site.key, "truecolor", bd) : null, 1, { bounds, attribution });
  const product = v.product.key === "truecolor" ? null : tileSource(v.site.key, v.product.key, v.date);
  setRaster(map, "product", product, v.opacity, { bounds });
}

/** Outline, drawing and pixel layers (created once per map, above every raster). */
export function addOverlays(map: MlMap): void {
  for (const id of ["zones", "drawn", "pixel"]) map.addSource(id, { type: "geojson", data: EMPTY });
  const kind: ExpressionSpecification = ["get", "kind"];
  map.addLayer({ id: "zones-hit", type: "fill", source: "zones", filter: ["!=", kind, "aoi"], paint: { "fill-opacity": 0 } });
  map.addLayer({ id: "zones-halo", type: "line", source: "zones", paint: { "line-color": "#000", "line-width": 3.5, "line-opacity": 0.45 } });
  map.addLayer({
    id: "zones-line",
    type: "line",
    source: "zones",
    paint: { "line-color": ["match", kind, "control", "#4dd0e1", "aoi", "#ffffff", "#ffd54f"], "line-width": ["match", kind, "aoi", 1.5, 2] },
  });
  map.addLayer({
    id: "drawn-fill",
    type: "fill",
    source: "drawn",
    filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": "#ff4081", "fill-opacity": 0.18 },
  });
  map.addLayer({
    id: "drawn-line",
    type: "line",
    source: "drawn",
    filter: ["!=", ["geometry-type"], "Point"],
    paint: { "line-color": "#ff4081", "line-width": 2.5 },
  });
  map.addLayer({
    id: "drawn-vertex",
    type: "circle",
    source: "drawn",
    filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 4, "circle-color": "#fff", "circle-stroke-color": "#ff4081", "circle-stroke-width": 2 },
  });
  map.addLayer({
    id: "pixel-dot",
    type: "circle",
    source: "pixel",
    paint: { "circle-radius": 6, "circle-color": "#00e5ff", "circle-stroke-color": "#000", "circle-stroke-width": 2 },
  });
}

export function setOverlay(map: MlMap, id: "zones" | "drawn" | "pixel", features: Feature[]): void {
  (map.getSource(id) as GeoJSONSource | undefined)?.setData({ type: "FeatureCollection", features });
}
