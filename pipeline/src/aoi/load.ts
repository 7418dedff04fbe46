/**
 * loadAoi: an AOI file as users have it -> Aoi in WGS84. The format comes from the extension and
 * is confirmed by the content (a .json holding KML is an error, not a guess); the positions are
 * validated in the file's own numbers, so messages quote what the user sees, then converted from
 * GCJ-02/BD-09 when asked.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { BadParameter, oneLine, UnsupportedFormat } from "../errors.ts";
import { type AoiCrs, checkAoiCrs, toWgs84 } from "./datum.ts";
import { type Aoi, geoJsonPolygons, polygonsAmong } from "./parse.ts";
import { validatePolygons } from "./validate.ts";

export interface LoadAoiOptions {
  /** Datum of the file's positions: "wgs84" (default), "gcj02" (AMap/Gaode, Tencent) or "bd09" (Baidu). */
  crs?: AoiCrs;
  /** Name used in messages and provenance; the path by default. */
  label?: string;
}

type Format = "geojson" | "kml" | "shapefile";
const BY_EXTENSION: Record<string, Format> = { ".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".zip": "shapefile" };
const FORMAT_NAME: Record<Format, string> = { geojson: "GeoJSON", kml: "KML", shapefile: "a zip (shapefile)" };

export async function loadAoi(path: string, opts: LoadAoiOptions = {}): Promise<Aoi> {
  const label = opts.label ?? path;
  const crs = checkAoiCrs(opts.crs ?? "wgs84", label);
  const bytes = await readBytes(path, label);
  const { polygons, notes } = await readPolygons(formatOf(path, bytes, label), bytes, label);
  validatePolygons(polygons, label);
  const { polygons: wgs84, conversion } = toWgs84(polygons.map(to2d), crs);
  return { polygons: wgs84, label, ...(conversion && { conversion }), ...(notes.length > 0 && { notes }) };
}

async function readBytes(path: string, label: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new BadParameter(`${label}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
}

async function readPolygons(format: Format, bytes: Uint8Array, label: string): Promise<{ polygons: number[][][][]; notes: string[] }> {
  const text = () => new TextDecoder().decode(bytes);
  if (format === "geojson") return { polygons: geoJsonPolygons(parseJson(text(), label), label), notes: [] };
  // The KML and shapefile readers pull in xmldom, proj4 and friends: load them only when needed.
  if (format === "kml") return polygonsAmong((await import("./kml.ts")).readKml(text(), label), label);
  const { fc, notes } = await (await import("./shapefile.ts")).readShapefileZip(bytes, label);
  const found = polygonsAmong(fc, label);
  return { polygons: found.polygons, notes: [...notes, ...found.notes] };
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the fault, newlines and tabs included: keep the message one line.
    throw new BadParameter(`${label}: not valid JSON (${oneLine(err)})`);
  }
}

function formatOf(path: string, bytes: Uint8Array, label: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === ".kmz") throw new UnsupportedFormat(`${label}: KMZ is not read; unzip it and pass the doc.kml inside`);
  const found = sniff(bytes);
  if (!found) throw new UnsupportedFormat(`${label}: not GeoJSON, KML or a zipped shapefile (${bytes.length === 0 ? "empty file" : "unrecognised content"})`);
  const claimed = BY_EXTENSION[ext];
  if (claimed && claimed !== found) throw new BadParameter(`${label}: the extension says ${FORMAT_NAME[claimed]} but the content is ${FORMAT_NAME[found]}`);
  return found;
}

/** By content: a zip's local-header magic "PK\x03\x04", JSON's "{", or a <kml> element near the top. */
function sniff(bytes: Uint8Array): Format | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "shapefile";
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).trimStart();
  if (head.startsWith("{")) return "geojson";
  if (head.startsWith("<") && /<(\w+:)?kml[\s>]/.test(head)) return "kml";
  return undefined;
}

function to2d(poly: number[][][]): number[][][] {
  return poly.map((ring) => ring.map((p) => [p[0]!, p[1]!]));
}
