/** CSV of what a chart shows (RFC 4180 quoting), and its download. Simulated data says SIMULATED in the file and its name. */
import type { PointSeries, ZoneStats } from "./api.ts";

type Cell = string | number | boolean | null | undefined;

export function toCsv(rows: Cell[][]): string {
  const cell = (v: Cell) => {
    const s = v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** One row per composite date, then one per raw observation. */
export function pixelCsv(site: string, p: PointSeries, simulated: boolean): string {
  const data = simulated ? "SIMULATED" : "observed";
  const rows: Cell[][] = [["site", "product", "lon", "lat", "kind", "date", "value", "fitted", "masked", "data"]];
  for (const s of p.series) rows.push([site, p.product, p.lon, p.lat, "composite", s.date, s.value, s.fitted, s.value === null ? 1 : 0, data]);
  for (const s of p.series)
    for (const o of s.observations ?? []) rows.push([site, p.product, p.lon, p.lat, "observation", o.date, o.value, null, o.value === null ? 1 : 0, data]);
  return toCsv(rows);
}

/** One row per date for the drawn polygon and one per date for the site's control polygons. */
export function zonalCsv(site: string, product: string, areaKm2: number, zone: ZoneStats[], control: ZoneStats[], simulated: boolean): string {
  const data = simulated ? "SIMULATED" : "observed";
  const rows: Cell[][] = [["site", "product", "polygon", "area_km2", "date", "mean", "p10", "p50", "p90", "count", "valid_fraction", "data"]];
  const add = (name: string, area: number | null, s: ZoneStats[]) => {
    for (const r of s) rows.push([site, product, name, area, r.date, r.mean, r.p10, r.p50, r.p90, r.count, r.validFraction, data]);
  };
  add("drawn", Number(areaKm2.toFixed(6)), zone);
  add("control", null, control);
  return toCsv(rows);
}

/** `reewatch-<parts>[-SIMULATED].csv`, safe for any file system. */
export function csvName(parts: (string | number)[], simulated: boolean, extension = "csv"): string {
  const base = ["reewatch", ...parts].map((p) => String(p).replace(/[^A-Za-z0-9_.-]+/g, "_")).join("-");
  return `${base}${simulated ? "-SIMULATED" : ""}.${extension}`;
}

/** Saves text (as CSV) or a blob under `name` through the browser's download. */
export function download(name: string, data: string | Blob): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(typeof data === "string" ? new Blob([data], { type: "text/csv;charset=utf-8" }) : data);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
