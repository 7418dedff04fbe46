/**
 * Coordinate reprojection with proj4, for any EPSG code: definitions come from the maintained
 * epsg-index package (one small JSON per code, read when a code is first asked for).
 * CGCS2000 (EPSG:4490 and its Gauss-Kruger zones 4491-4554) is "+ellps=GRS80" without a datum
 * there; proj4 then shifts nothing (as towgs84=0 would): lon/lat pass through from WGS84 unchanged,
 * as in PROJ, which has no EPSG transformation between the two and uses a null "ballpark" one.
 * Against gdaltransform both agree within 1e-7 m (pipeline/src/project.test.ts).
 */
import { createRequire } from "node:module";
import proj4 from "proj4";
import { BadParameter } from "./errors.ts";

// epsg-index is a folder of JSON files, one per code: require() reads (and caches) just the one asked for.
const requireJson = createRequire(import.meta.url);

interface EpsgEntry {
  name: string;
  kind: string;
  proj4: string;
}

/** Kinds of epsg-index entries that are 2D coordinates (geocentric, vertical, engineering are not). */
const PLANAR_KINDS = new Set(["CRS-PROJCRS", "CRS-GEOGCRS", "CRS-GEOG3DCRS"]);

/** proj4 definition of an "EPSG:<code>" CRS. */
export function crsDefinition(code: string): string {
  const m = /^EPSG:(\d+)$/i.exec(code.trim());
  if (!m) throw new BadParameter(`CRS "${code}" is not an EPSG code (EPSG:<number> expected)`);
  const entry = epsgEntry(code, Number(m[1]));
  if (!PLANAR_KINDS.has(entry.kind))
    throw new BadParameter(`CRS "${code}" (${entry.name}) is a ${entry.kind.replace("CRS-", "")} CRS, not a geographic or projected one`);
  if (!entry.proj4) throw new BadParameter(`CRS "${code}" (${entry.name}) has no proj4 definition in the EPSG index`);
  const grid = mandatoryGrid(entry.proj4);
  if (grid) throw new BadParameter(`CRS "${code}" (${entry.name}) needs the datum-shift grid ${grid}, which reewatch does not ship`);
  return entry.proj4;
}

/** A datum-shift grid the definition cannot do without ("@" marks optional ones, e.g. 3857's @null). */
function mandatoryGrid(def: string): string | undefined {
  // proj4 ships no grid files: it would print a warning and return NaN for every point.
  const grids = /\+nadgrids=(\S+)/.exec(def)?.[1]?.split(",") ?? [];
  return grids.find((g) => !g.startsWith("@"));
}

function epsgEntry(code: string, n: number): EpsgEntry {
  try {
    return requireJson(`epsg-index/s/${n}.json`) as EpsgEntry;
  } catch {
    throw new BadParameter(`CRS "${code}" is not a coordinate reference system in the EPSG index (unknown, deprecated or not a CRS)`);
  }
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
