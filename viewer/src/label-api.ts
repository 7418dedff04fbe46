/**
 * The labelling endpoints of the server (docs/api.md, "Labelling"): the run's sample and strata,
 * a labeller's saved labels, one label saved (PUT) or cleared (DELETE) per call, the sheet as saved.
 * Writes carry the session token that `reewatch serve --labels` printed in the page's address: it
 * is taken from `?token=` once, kept for this tab (sessionStorage) and removed from the address.
 */

import type { Label, SavedRow as LabelRow, SamplePoint, Saved, Strata } from "../../common/api-types.ts";
import { HttpFailure, url } from "./api.ts";

export type { StrataClass } from "../../common/api-types.ts";
export type { Label, LabelRow, SamplePoint, Saved, Strata };

const TOKEN_KEY = "reewatch.token";
const e = encodeURIComponent;

/** Keeps the `?token=` of the address for this tab (call before anything rewrites the address). */
export function captureToken(): void {
  const t = new URLSearchParams(location.search).get("token");
  if (t && /^[\w-]{16,128}$/.test(t)) sessionStorage.setItem(TOKEN_KEY, t);
}

export const hasToken = (): boolean => !!sessionStorage.getItem(TOKEN_KEY);

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(url(path), { cache: "no-store", ...init });
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new HttpFailure(body?.error ?? `${r.status} ${r.statusText}: ${path}`, r.status);
  return body as T;
}

/** Whether the server saves labels, and the sites that have a sample to label. */
export const status = () => call<{ writable: boolean; sites: string[] }>("api/labelling");
export const strata = (site: string) => call<Strata>(`api/${e(site)}/strata`);
export const sample = (site: string) => call<{ points: SamplePoint[] }>(`api/${e(site)}/sample`).then((r) => r.points);
export const labels = (site: string, labeller: string) =>
  call<Saved & { writable: boolean; rows: LabelRow[] }>(`api/${e(site)}/labels?labeller=${e(labeller)}`);

const write = (method: "PUT" | "DELETE", path: string, body?: unknown) =>
  call<Saved & { row: LabelRow | null }>(path, {
    method,
    headers: { "content-type": "application/json", "x-reewatch-token": sessionStorage.getItem(TOKEN_KEY) ?? "" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

export const saveLabel = (site: string, id: string, label: Label) => write("PUT", `api/${e(site)}/labels/${e(id)}`, label);
export const clearLabel = (site: string, id: string, labeller: string) => write("DELETE", `api/${e(site)}/labels/${e(id)}?labeller=${e(labeller)}`);

/** The address of the labeller's sheet exactly as saved (a CSV download). */
export const sheetUrl = (site: string, labeller: string) => url(`api/${e(site)}/labels.csv?labeller=${e(labeller)}`);

/** A chip: a window of a product around the point, one PNG pixel per data pixel. */
export const chipUrl = (site: string, product: string, date: string, p: SamplePoint, size: number) =>
  url(`api/${e(site)}/chip?${new URLSearchParams({ product, date, lon: String(p.lon), lat: String(p.lat), size: String(size) })}`);
