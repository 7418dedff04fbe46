/**
 * The Aoi value and GeoJSON parsing: strict for GeoJSON (parseAoi), lenient for KML and shapefiles
 * (polygonsAmong), which routinely mix polygons with points and lines.
 */
import { BadParameter, oneLine } from "../errors.ts";
import { validatePolygons } from "./validate.ts";

/** A datum shift applied on load, recorded so a run manifest can say what was done. */
export interface AoiConversion {
  from: "gcj02" | "bd09";
  to: "wgs84";
  /** `name@version` of the library that did it, e.g. "gcoord@1.0.7". */
  library: string;
}

/** Rings of a (multi)polygon: polygons[k][0] is an outer ring, later rings are holes. Closed rings. */
export interface Aoi {
  polygons: number[][][][];
  /** Where it came from (file name), for messages and provenance. */
  label: string;
  /** Set when positions were converted to WGS84 from a Chinese web-map datum. */
  conversion?: AoiConversion;
  /** What loading assumed or dropped (ignored points, a missing .prj, a buffer), one line each. */
  notes?: string[];
}

type Json = Record<string, unknown>;

/**
 * GeoJSON nests three levels (FeatureCollection > Feature > geometry); readers recurse, so a file
 * nesting Features or GeometryCollections thousands deep would overflow the stack (a RangeError).
 */
const MAX_DEPTH = 32;

/** A `type` member as messages show it: a plain word as is, anything else (newlines, objects) as short one-line JSON. */
function typeName(t: unknown): string {
  if (typeof t === "string" && /^\S{1,40}$/.test(t)) return t;
  if (t === undefined) return "undefined";
  let s: string;
  try {
    s = String(JSON.stringify(t));
  } catch {
    s = typeof t;
  }
  return oneLine(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

function checkDepth(depth: number, label: string): void {
  if (depth > MAX_DEPTH) throw new BadParameter(`${label}: GeoJSON nested more than ${MAX_DEPTH} levels deep`);
}

/** Accepts a Feature, FeatureCollection or bare Polygon/MultiPolygon; throws BadParameter otherwise. */
export function parseAoi(json: unknown, label = "AOI"): Aoi {
  const polygons = geoJsonPolygons(json, label);
  validatePolygons(polygons, label);
  return { polygons, label };
}

/** The polygons of GeoJSON, unvalidated; any other geometry is an error. */
export function geoJsonPolygons(json: unknown, label: string): number[][][][] {
  const polygons: number[][][][] = [];
  collectPolygons(json, label, polygons);
  if (polygons.length === 0) throw new BadParameter(`${label}: no Polygon or MultiPolygon geometry found`);
  return polygons;
}

function collectPolygons(node: unknown, label: string, out: number[][][][], depth = 0): void {
  checkDepth(depth, label);
  if (!node || typeof node !== "object") throw new BadParameter(`${label}: not a GeoJSON object`);
  const obj = node as Json;
  switch (obj.type) {
    case "FeatureCollection":
      if (!Array.isArray(obj.features)) throw new BadParameter(`${label}: FeatureCollection without a features array`);
      for (const f of obj.features) collectPolygons(f, label, out, depth + 1);
      return;
    case "Feature":
      collectPolygons(obj.geometry, label, out, depth + 1);
      return;
    case "Polygon":
      out.push(coordsArray(obj.coordinates, label) as number[][][]);
      return;
    case "MultiPolygon":
      for (const p of coordsArray(obj.coordinates, label) as number[][][][]) out.push(p);
      return;
    default:
      throw new BadParameter(`${label}: geometry type ${typeName(obj.type)} is not a Polygon or MultiPolygon`);
  }
}

function coordsArray(c: unknown, label: string): unknown[] {
  if (!Array.isArray(c) || c.length === 0) throw new BadParameter(`${label}: empty or missing coordinates`);
  return c;
}

/**
 * The polygons of a FeatureCollection as KML and shapefile readers produce it (GeometryCollections
 * from KML MultiGeometry included). Other geometries are dropped with a note when a polygon remains,
 * since a traced site often carries a few pins and tracks; with no polygon at all it is an error.
 */
export function polygonsAmong(fc: unknown, label: string): { polygons: number[][][][]; notes: string[] } {
  const polygons: number[][][][] = [];
  const ignored = new Map<string, number>();
  const visit = (g: Json | null | undefined, depth = 0): void => {
    checkDepth(depth, label);
    const type = g?.type === undefined || g?.type === null ? "no geometry" : typeName(g.type);
    if (type === "GeometryCollection" && Array.isArray(g?.geometries)) for (const c of g.geometries) visit(c as Json, depth + 1);
    else if (type === "Polygon" || type === "MultiPolygon") collectPolygons(g, label, polygons);
    else ignored.set(type, (ignored.get(type) ?? 0) + 1);
  };
  const features = (fc as Json | null)?.features;
  if (!Array.isArray(features)) throw new BadParameter(`${label}: no features found`);
  for (const f of features) visit((f as Json | null)?.geometry as Json | null);
  const tally = [...ignored].map(([type, n]) => `${type} x${n}`).join(", ");
  if (polygons.length === 0) throw new BadParameter(`${label}: no polygon to use as an AOI (found ${tally || "no features"})`);
  return { polygons, notes: ignored.size > 0 ? [`ignored features that are not polygons: ${tally}`] : [] };
}
