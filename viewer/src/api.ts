/**
 * The server API (docs/api.md), or the files of a static export (`reewatch tiles`) when there is no
 * server. Every URL is relative to the page's folder, so the viewer works from any path.
 */
import type { FeatureCollection, Polygon } from "geojson";
import type { ClaimSummary, ProductInfo, PublicSite } from "../../common/api-types.ts";
import type { Bilingual } from "./i18n.ts";

/** A legend entry the server may send with a product: value, colour, label. */
export type LegendEntry = [number, string, Bilingual];
export type Product = ProductInfo & { legend?: LegendEntry[] };
export type Claim = ClaimSummary;
export type Site = Omit<PublicSite, "zones" | "products"> & { zones: FeatureCollection; products: Product[] };

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

/** Raised when a feature needs the server and the viewer runs from a static export. */
export class NeedsServer extends Error {}

/** A 4xx/5xx answer: the server's one-line reason and the status. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let staticMode = false;
/** Zoom levels the tiles exist at: the server renders any zoom; a static export declares its range (else the CLI default, 10-14). */
let zooms: [number, number] = [0, 16];
export const isStatic = (): boolean => staticMode;
export const tileZooms = (): [number, number] => zooms;

/** An absolute URL for a site path such as "/reports/x/y/report.html" or "tiles/...", relative to the viewer's folder. */
export function url(path: string): string {
  return new URL(path.replace(/^\/+/, ""), new URL(".", location.href)).href;
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url(path), init);
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new HttpFailure(body?.error ?? `${r.status} ${r.statusText}: ${path}`, r.status);
  return body as T;
}

/** The sites from the server, else from the static export's api/sites.json. */
export async function loadSites(): Promise<Site[]> {
  type Answer = { static?: boolean; minzoom?: number; maxzoom?: number; sites: Site[] };
  const live = await json<Answer>("api/sites").catch(() => null);
  const answer = live?.sites ? live : await json<Answer>("api/sites.json");
  staticMode = answer.static === true || !live?.sites;
  if (staticMode) zooms = [answer.minzoom ?? 10, answer.maxzoom ?? 14];
  return answer.sites;
}

/** XYZ template of a product's tiles (the server renders them; a static export has them as files). */
export function tileTemplate(site: string, product: string, date: string): string {
  const e = encodeURIComponent;
  return `${url(`tiles/${e(site)}/${e(product)}/${e(date)}`)}/{z}/{x}/{y}.png`;
}

export function point(site: string, product: string, lon: number, lat: number): Promise<PointSeries> {
  if (staticMode) return Promise.reject(new NeedsServer());
  const q = new URLSearchParams({ lon: lon.toFixed(6), lat: lat.toFixed(6), product });
  return json(`api/${encodeURIComponent(site)}/point?${q}`);
}

export function zonal(site: string, product: string, polygon: Polygon): Promise<ZonalResult> {
  if (staticMode) return Promise.reject(new NeedsServer());
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
