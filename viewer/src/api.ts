/** The server API (docs/api.md), or the static export's files when there is no server. */
import type { FeatureCollection, Polygon } from "geojson";
import type { ProductInfo, PublicSite } from "../../tiles/src/site-types.ts";

export type Product = ProductInfo;
export type Site = Omit<PublicSite, "zones"> & { zones: FeatureCollection };

export let staticMode = false;
let base = "";

export async function loadSites(): Promise<Site[]> {
  const live = await fetch("/api/sites")
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  if (live) return live.sites;
  const s = await fetch("./api/sites.json").then((r) => r.json());
  staticMode = true;
  base = ".";
  return s.sites;
}

export function tileUrl(site: string, product: string, date: string): string {
  return `${staticMode ? base : location.origin}/tiles/${site}/${product}/${date}/{z}/{x}/{y}.png`;
}

export async function point(site: string, product: string, lon: number, lat: number) {
  const r = await fetch(`/api/${site}/point?lon=${lon}&lat=${lat}&product=${product}`);
  if (!r.ok) throw new Error((await r.json()).error);
  return r.json();
}

export async function zonal(site: string, product: string, polygon: Polygon) {
  const r = await fetch(`/api/${site}/zonal?product=${product}`, {
    method: "POST",
    body: JSON.stringify(polygon),
    headers: { "content-type": "application/json" },
  });
  if (!r.ok) throw new Error((await r.json()).error);
  return r.json();
}
