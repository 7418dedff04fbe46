/**
 * Polygon files of `reewatch recovery` (and `reewatch change --aoi`) as pixel masks on a grid.
 * GeoJSON in EPSG:4326 (RFC 7946), or in the CRS its `crs` member names as GDAL writes it
 * ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::26910"}}). One mask per feature;
 * a pixel belongs to a polygon when its centre is inside (aoi.ts `rasterizeRings`, even-odd, so
 * holes work). A polygon with no pixel centre on the grid is an OutsideBounds error; one that is
 * partly off the grid keeps its pixels on it and reports how many fell off.
 */
import { readFile } from "node:fs/promises";
import { parseAoi, projectAoi, projectRings as projectRingsBetween, rasterizeRings } from "../aoi/aoi.ts";
import { BadParameter, OutsideBounds, UnsupportedFormat } from "../errors.ts";
import { invertAffine, pixelToWorld } from "../grid.ts";
import type { Grid, Window } from "../raster.ts";

export interface PolygonMask {
  /** 1-based position of the feature in the file. */
  id: number;
  properties: Record<string, unknown>;
  mask: Uint8Array;
  /** Pixel centres inside the polygon and on the grid. */
  pixels: number;
  /** Pixel centres inside the polygon but off the grid. */
  pixelsOffGrid: number;
}

export interface PolygonFile {
  path: string;
  /** The file's CRS ("EPSG:4326" when it names none). */
  crs: string;
  polygons: PolygonMask[];
}

type Json = Record<string, unknown>;

const isRecord = (x: unknown): x is Json => typeof x === "object" && x !== null;

export async function loadPolygonMasks(path: string, grid: Grid, flag: string): Promise<PolygonFile> {
  const label = `${flag} ${path}`;
  const json = await readFile(path, "utf8").then(
    (t) => parseJson(t, label),
    (e) => {
      throw new BadParameter(`${label}: cannot read (${(e as NodeJS.ErrnoException).code})`);
    },
  );
  const crs = crsOf(json, label);
  // a FeatureCollection, a Feature or a bare geometry; ringsOf and parseAoi check the geometries
  const doc = json as Json;
  const features: Json[] = doc.type === "FeatureCollection" ? ((doc.features ?? []) as Json[]) : doc.type === "Feature" ? [doc] : [{ geometry: doc }];
  if (features.length === 0) throw new BadParameter(`${label}: no features`);
  const polygons = features.map((f, k) => {
    const where = `${label}: polygon ${k + 1}`;
    const rings = crs === "EPSG:4326" ? projectAoi(parseAoi(f.geometry, where), grid.crs) : projectRings(ringsOf(f.geometry, where), crs, grid.crs);
    const { mask, pixels, pixelsOffGrid } = rasterize(rings, grid);
    if (pixels === 0) throw new OutsideBounds(`${where} has no pixel centre on the raster (${grid.crs}, ${grid.width}x${grid.height} px; polygon CRS ${crs})`);
    return { id: k + 1, properties: (f.properties ?? {}) as Record<string, unknown>, mask, pixels, pixelsOffGrid };
  });
  return { path, crs, polygons };
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadParameter(`${label}: not valid JSON (${(e as Error).message})`);
  }
}

/** "EPSG:<n>" from the `crs` member (urn:ogc:def:crs:EPSG::n, EPSG:n, OGC CRS84); EPSG:4326 without one. */
export function crsOf(json: unknown, label: string): string {
  const crs = isRecord(json) ? json.crs : undefined;
  const props = isRecord(crs) ? crs.properties : undefined;
  const name = isRecord(props) ? props.name : undefined;
  if (crs === undefined || crs === null) return "EPSG:4326";
  if (typeof name !== "string")
    throw new UnsupportedFormat(`${label}: "crs" member without a properties.name (a named CRS such as urn:ogc:def:crs:EPSG::26910 is read)`);
  if (/CRS:?84$/i.test(name)) return "EPSG:4326";
  const m = /EPSG:(?:[\d.]*:)?(\d+)$/i.exec(name);
  if (!m) throw new UnsupportedFormat(`${label}: CRS "${name}" is not an EPSG code`);
  return `EPSG:${m[1]}`;
}

function ringsOf(g: unknown, where: string): number[][][][] {
  const type = isRecord(g) ? g.type : undefined;
  const coordinates = isRecord(g) ? g.coordinates : undefined;
  const polys = type === "Polygon" ? [coordinates] : type === "MultiPolygon" ? coordinates : null;
  if (!Array.isArray(polys) || polys.length === 0) throw new BadParameter(`${where}: geometry ${String(type)} is not a Polygon or MultiPolygon`);
  for (const poly of polys as unknown[])
    for (const ring of (poly ?? []) as unknown[])
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every((p: unknown) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])))
        throw new BadParameter(`${where}: a ring needs at least 4 finite [x, y] positions`);
  return polys as number[][][][];
}

function projectRings(polys: number[][][][], from: string, to: string, densify = 8): number[][][][] {
  return from === to ? polys : projectRingsBetween(polys, from, to, densify);
}

/** The mask on the grid, and the count of inside pixel centres of the same lattice off the grid. */
function rasterize(polys: number[][][][], grid: Grid): { mask: Uint8Array; pixels: number; pixelsOffGrid: number } {
  const all: Window = { x: 0, y: 0, width: grid.width, height: grid.height };
  const mask = rasterizeRings(polys, grid, all);
  let pixels = 0;
  for (const v of mask) pixels += v;
  const inv = invertAffine(grid.transform);
  const pts = polys.flatMap((p) => p[0]!.map(([x, y]) => pixelToWorld(inv, x!, y!)));
  const c0 = Math.floor(Math.min(...pts.map((p) => p[0]))) - 1;
  const r0 = Math.floor(Math.min(...pts.map((p) => p[1]))) - 1;
  const c1 = Math.ceil(Math.max(...pts.map((p) => p[0]))) + 1;
  const r1 = Math.ceil(Math.max(...pts.map((p) => p[1]))) + 1;
  let total = 0;
  for (const v of rasterizeRings(polys, grid, { x: c0, y: r0, width: c1 - c0, height: r1 - r0 })) total += v;
  return { mask, pixels, pixelsOffGrid: total - pixels };
}
