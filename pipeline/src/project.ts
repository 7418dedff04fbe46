/** Coordinate reprojection with proj4 (EPSG:4326, EPSG:3857 and the UTM zones). */
import proj4 from "proj4";
import { BadParameter } from "./errors.ts";

/** proj4 definition for the EPSG codes reewatch uses; UTM is derived from the code. */
export function crsDefinition(code: string): string {
  const m = /^EPSG:(\d+)$/i.exec(code);
  if (!m) throw new BadParameter(`CRS "${code}" is not an EPSG code`);
  const n = Number(m[1]);
  if (n === 4326) return "+proj=longlat +datum=WGS84 +no_defs";
  if (n === 3857) return "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs";
  if (n >= 32601 && n <= 32660) return `+proj=utm +zone=${n - 32600} +datum=WGS84 +units=m +no_defs`;
  if (n >= 32701 && n <= 32760) return `+proj=utm +zone=${n - 32700} +south +datum=WGS84 +units=m +no_defs`;
  if (n >= 32201 && n <= 32260) return `+proj=utm +zone=${n - 32200} +ellps=WGS72 +towgs84=0,0,4.5,0,0,0.554,0.219 +units=m +no_defs`;
  if (n >= 26901 && n <= 26923) return `+proj=utm +zone=${n - 26900} +datum=NAD83 +units=m +no_defs`;
  throw new BadParameter(`CRS "${code}" is not supported (EPSG:4326, EPSG:3857, WGS84/NAD83 UTM zones are)`);
}

export type PointTransform = (x: number, y: number) => [number, number];

/** A function mapping (x, y) in `from` to (x, y) in `to`. Geographic coordinates are (lon, lat). */
const cache = new Map<string, PointTransform>();

export function transformer(from: string, to: string): PointTransform {
  const key = `${from.toUpperCase()}>${to.toUpperCase()}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let t: PointTransform;
  if (from.toUpperCase() === to.toUpperCase()) t = (x, y) => [x, y];
  else {
    const conv = proj4(crsDefinition(from), crsDefinition(to));
    t = (x, y) => conv.forward([x, y]) as [number, number];
  }
  cache.set(key, t);
  return t;
}

/** UTM zone EPSG code for a lon/lat (northern zones 326xx, southern 327xx). */
export function utmCode(lon: number, lat: number): string {
  const zone = Math.min(60, Math.floor((lon + 180) / 6) + 1);
  return `EPSG:${lat >= 0 ? 32600 + zone : 32700 + zone}`;
}
