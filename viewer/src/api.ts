/**
 * The server API (docs/api.md), or the files of a static export (`reewatch tiles`) when there is no
 * server. Every URL is relative to the page's folder, so the viewer works from any path.
 */
import type { FeatureCollection, Polygon } from "geojson";
import type { ClaimSummary, ProductInfo, PublicSite, StaticSite, StaticSites } from "../../common/api-types.ts";
import { HttpFailure, json, NeedsServer, url } from "./http.ts";
import type { Bilingual } from "./i18n.ts";

export { HttpFailure, NeedsServer, url };

/** A legend entry the server may send with a product: value, colour, label. */
export type LegendEntry = [number, string, Bilingual];
export type Product = ProductInfo & { legend?: LegendEntry[] };
export type Claim = ClaimSummary;
export type Site = Omit<PublicSite, "zones" | "products"> & { zones: FeatureCollection; products: Product[] };
/** What a tile source is built from: an XYZ template (server, folder export) or a PMTiles archive. */
export type TileSource = { tiles: string } | { pmtiles: string };

export interface PointSeries {
  lon: number;
  lat: number;
  product: string;
  simulated?: boolean;
  series: { date: string; value: number | null; fitted: number | null; observations?: { date: string; value: number | null }[] }[];
}

export interface ZoneStats {
  date: string;
  mean: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  count: number;
  validFraction: number | null;
}

export interface ZonalResult {
  product: string;
  simulated?: boolean;
  areaKm2: number;
  series: ZoneStats[];
  control: ZoneStats[];
}

/** The static export's site list when the viewer runs from one (no server). */
let exported: StaticSites | null = null;
/** Zoom levels the tiles exist at: the server renders any zoom; a static export declares its range. */
let zooms: [number, number] = [0, 16];
export const isStatic = (): boolean => exported !== null;
export const tileZooms = (): [number, number] => zooms;

/** The sites from the server, else from the static export's api/sites.json. */
export async function loadSites(): Promise<Site[]> {
  const live = await json<{ sites: Site[] }>("api/sites").catch(() => null);
  if (live?.sites) return live.sites;
  exported = await json<StaticSites>("api/sites.json");
  zooms = [exported.minzoom, exported.maxzoom];
  return exported.sites as unknown as Site[];
}

/** Where a product's tiles come from: the server renders them; a static export has one PMTiles archive per date (or an XYZ folder). */
export function tileSource(site: string, product: string, date: string): TileSource {
  const base = url(`tiles/${[site, product, date].map(encodeURIComponent).join("/")}`);
  return exported?.tiles === "pmtiles" ? { pmtiles: `${base}.pmtiles` } : { tiles: `${base}/{z}/{x}/{y}.png` };
}

const staticSite = (key: string): StaticSite | undefined => exported?.sites.find((s) => s.key === key);

/** A pixel's series: from the server, or in a static export read from the copied COGs by range requests. */
export function point(site: string, product: string, lon: number, lat: number): Promise<PointSeries> {
  const copy = staticSite(site);
  // Loaded only in a static export: geotiff.js and proj4 stay out of the server viewer's bundle.
  if (copy) return import("./static-point.ts").then((m) => m.staticPoint(copy, product, lon, lat));
  const q = new URLSearchParams({ lon: lon.toFixed(6), lat: lat.toFixed(6), product });
  return json(`api/${encodeURIComponent(site)}/point?${q}`);
}

export function zonal(site: string, product: string, polygon: Polygon): Promise<ZonalResult> {
  if (isStatic()) return Promise.reject(new NeedsServer());
  return json(`api/${encodeURIComponent(site)}/zonal?product=${encodeURIComponent(product)}`, {
    method: "POST",
    body: JSON.stringify(polygon),
    headers: { "content-type": "application/json" },
  });
}

/** A JSON file of the run (run.json, STAC items), or null when it is not available (e.g. not exported). */
export function runFile<T>(path: string): Promise<T | null> {
  return json<T>(path).catch(() => null);
}
