/** MapLibre maps without any external resource: the site's own true colour as the base. */
import type { Feature } from "geojson";
import { type GeoJSONSource, Map as MlMap, setWorkerUrl } from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";
import "maplibre-gl/dist/maplibre-gl.css";
import { type Site, tileUrl } from "./api.ts";

// MapLibre 6 runs its worker from a separate module: bundle it and say where it is.
setWorkerUrl(workerUrl);

export function createMap(container: string, site: Site): MlMap {
  return new MlMap({
    container,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "bg", type: "background", paint: { "background-color": "#1b2630" } }],
    },
    center: site.center,
    zoom: site.zoom,
    attributionControl: { compact: true },
    canvasContextAttributes: { preserveDrawingBuffer: true },
    fadeDuration: 0,
  });
}

function setRaster(map: MlMap, id: string, url: string, before?: string, opacity = 1): void {
  if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(id)) map.removeSource(id);
  map.addSource(id, { type: "raster", tiles: [url], tileSize: 256, maxzoom: 18 });
  map.addLayer(
    { id, type: "raster", source: id, paint: { "raster-opacity": opacity, "raster-fade-duration": 0 } },
    before && map.getLayer(before) ? before : undefined,
  );
}

/** Base (true colour of the same date, or the nearest), product on top, outlines last. */
export function showProduct(map: MlMap, site: Site, product: string, date: string, osm: boolean): void {
  const tc = site.products.find((p) => p.key === "truecolor");
  const baseDate = tc?.dates.includes(date) ? date : tc?.dates.at(-1);
  if (osm) setRaster(map, "osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", map.getLayer("base") ? "base" : undefined);
  else if (map.getLayer("osm")) {
    map.removeLayer("osm");
    map.removeSource("osm");
  }
  // Layer order, bottom to top: osm, base, product, zones, drawing.
  if (tc && baseDate) setRaster(map, "base", tileUrl(site.key, "truecolor", baseDate), map.getLayer("product") ? "product" : "zones-line");
  if (product !== "truecolor") setRaster(map, "product", tileUrl(site.key, product, date), "zones-line", 0.85);
  else if (map.getLayer("product")) {
    map.removeLayer("product");
    map.removeSource("product");
  }
  if (!map.getSource("zones")) {
    map.addSource("zones", { type: "geojson", data: site.zones });
    map.addLayer({
      id: "zones-line",
      type: "line",
      source: "zones",
      paint: {
        "line-color": ["match", ["get", "kind"], "control", "#4fc3f7", "aoi", "#ffffff", "#ffeb3b"],
        "line-width": 1.5,
        "line-dasharray": [2, 1],
      },
    });
  }
  if (map.getLayer("zones-line")) map.moveLayer("zones-line");
  if (map.getLayer("draw-line")) map.moveLayer("draw-line");
}

export function showDrawing(map: MlMap, coords: [number, number][]): void {
  const data: Feature = {
    type: "Feature",
    properties: {},
    geometry: { type: "LineString", coordinates: coords.length > 2 ? [...coords, coords[0]!] : coords },
  };
  const src = map.getSource("draw") as GeoJSONSource | undefined;
  if (src) src.setData(data);
  else {
    map.addSource("draw", { type: "geojson", data });
    map.addLayer({
      id: "draw-line",
      type: "line",
      source: "draw",
      paint: { "line-color": "#ff4081", "line-width": 2.5 },
    });
  }
}
