/**
 * Zipped shapefiles -> GeoJSON FeatureCollection in WGS84, with shpjs. shpjs reprojects with proj4
 * when the zip holds the layer's .prj; without one it returns the file's numbers as they are, so a
 * layer without .prj is accepted only when every position is in lon/lat range (then assumed WGS84).
 */
import { inflateRawSync } from "node:zlib";
import shp, { type ShapefileLayer } from "shpjs";
import { BadParameter, oneLine } from "../errors.ts";
import { library } from "./library.ts";

export async function readShapefileZip(bytes: Uint8Array, label: string): Promise<{ fc: unknown; notes: string[] }> {
  const names = zipEntryNames(bytes).map((n) => n.toLowerCase());
  if (!names.some((n) => n.endsWith(".shp"))) throw new BadParameter(`${label}: no .shp in the zip (found ${namesText(names)})`);
  checkDbfHeaders(bytes, label);
  let result: ShapefileLayer | ShapefileLayer[];
  try {
    result = await shp(bytes);
  } catch (err) {
    throw new BadParameter(`${label}: cannot read the shapefile (${String((err as Error).message ?? err).split("\n")[0]})`);
  }
  const layers = Array.isArray(result) ? result : [result];
  const notes = layers.map((layer) => crsNote(layer, names.includes(`${layer.fileName.toLowerCase()}.prj`), label));
  return { fc: { type: "FeatureCollection", features: layers.flatMap((l) => l.features) }, notes };
}

/** Entry names as a message lists them: a damaged zip's names hold control bytes and newlines, so they are JSON-quoted on one line. */
function namesText(names: string[]): string {
  if (names.length === 0) return "nothing";
  const s = names.map((n) => (/^[\w .-]{1,80}$/.test(n) ? n : JSON.stringify(n.slice(0, 80)))).join(", ");
  return oneLine(s.length > 200 ? `${s.slice(0, 197)}...` : s);
}

function crsNote(layer: ShapefileLayer, hasPrj: boolean, label: string): string {
  if (hasPrj) return `${layer.fileName}.shp reprojected to WGS84 from ${layer.fileName}.prj by ${library("shpjs")} (proj4)`;
  const bad = layer.features.map((f) => firstOutOfRange((f.geometry as { coordinates?: unknown } | null)?.coordinates)).find(Boolean);
  if (bad)
    throw new BadParameter(
      `${label}: ${oneLine(layer.fileName)}.shp has no .prj and position [${bad.map((v) => Number(v.toFixed(3))).join(", ")}] is not lon/lat; put its .prj (the CRS) in the zip`,
    );
  return `${layer.fileName}.shp has no .prj; its positions are in lon/lat range, so WGS84 is assumed`;
}

function firstOutOfRange(c: unknown): number[] | undefined {
  if (!Array.isArray(c)) return undefined;
  if (typeof c[0] === "number") return Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90 ? [c[0], c[1]] : undefined;
  for (const child of c) {
    const bad = firstOutOfRange(child);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * File names from the zip's central directory, to know which layers carry a .prj (shpjs does not
 * say). The end-of-central-directory record (0x06054b50) is the last 22 bytes plus any comment.
 */
export function zipEntryNames(b: Uint8Array): string[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = b.length - 22;
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return [];
  const names: string[] = [];
  let p = v.getUint32(end + 16, true);
  for (let i = 0; i < v.getUint16(end + 10, true) && p + 46 <= b.length && v.getUint32(p, true) === 0x02014b50; i++) {
    const [nameLen, extraLen, commentLen] = [v.getUint16(p + 28, true), v.getUint16(p + 30, true), v.getUint16(p + 32, true)];
    names.push(new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/**
 * parsedbf trusts the record count in a .dbf header: a damaged 147-byte file claiming 7 million
 * records kept it looping for 20 s (up to 2^32 records: hours). The count times the record length
 * must fit in the file (plus its end-of-file byte) before shpjs is called.
 */
function checkDbfHeaders(b: Uint8Array, label: string): void {
  for (const { name, data } of zipEntries(b, label)) {
    if (!name.toLowerCase().endsWith(".dbf") || data.length < 12) continue;
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const [records, headerLen, recordLen] = [v.getUint32(4, true), v.getUint16(8, true), v.getUint16(10, true)];
    if (headerLen + records * recordLen > data.length + 1)
      throw new BadParameter(
        `${label}: ${namesText([name])} is damaged: its header promises ${records} records of ${recordLen} bytes, the file holds ${data.length} bytes`,
      );
  }
}

/** The entries shpjs reads (its unzip.js): the layer files. */
const LAYER_FILE = /.+\.(shp|dbf|json|prj|cpg)$/i;

/**
 * The layer files of the zip with their bytes, read as but-unzip (under shpjs) reads them. shpjs
 * starts inflating every layer file before awaiting any, so a corrupt entry rejected a promise
 * nobody awaited: an unhandled rejection that ends the CLI. Inflating them here first turns a
 * corrupt entry into a named error.
 */
function zipEntries(b: Uint8Array, label: string): { name: string; data: Uint8Array }[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = b.length - 22;
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return [];
  const out: { name: string; data: Uint8Array }[] = [];
  let p = v.getUint32(end + 16, true);
  for (let i = 0; i < v.getUint16(end + 10, true) && p + 46 <= b.length && v.getUint32(p, true) === 0x02014b50; i++) {
    const [method, size, nameLen, extraLen, commentLen, local] = [
      v.getUint16(p + 10, true),
      v.getUint32(p + 20, true),
      v.getUint16(p + 28, true),
      v.getUint16(p + 30, true),
      v.getUint16(p + 32, true),
      v.getUint32(p + 42, true),
    ];
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (!LAYER_FILE.test(name)) continue;
    const start = local + 30 <= b.length ? local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true) : b.length;
    const raw = b.subarray(start, Math.min(b.length, start + size));
    try {
      if (method !== 0 && method !== 8) throw new Error(`compression method ${method}`);
      out.push({ name, data: method === 0 ? raw : new Uint8Array(inflateRawSync(raw, { maxOutputLength: 256 * 2 ** 20 })) });
    } catch (err) {
      throw new BadParameter(`${label}: ${namesText([name])} in the zip is corrupt (${oneLine(err)})`);
    }
  }
  return out;
}
