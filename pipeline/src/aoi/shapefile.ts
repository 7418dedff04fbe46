/**
 * Zipped shapefiles -> GeoJSON FeatureCollection in WGS84, with shpjs. shpjs reprojects with proj4
 * when the zip holds the layer's .prj; without one it returns the file's numbers as they are, so a
 * layer without .prj is accepted only when every position is in lon/lat range (then assumed WGS84).
 */
import shp, { type ShapefileLayer } from "shpjs";
import { BadParameter } from "../errors.ts";
import { library } from "./library.ts";

export async function readShapefileZip(bytes: Uint8Array, label: string): Promise<{ fc: unknown; notes: string[] }> {
  const names = zipEntryNames(bytes).map((n) => n.toLowerCase());
  if (!names.some((n) => n.endsWith(".shp"))) throw new BadParameter(`${label}: no .shp in the zip (found ${names.join(", ") || "nothing"})`);
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

function crsNote(layer: ShapefileLayer, hasPrj: boolean, label: string): string {
  if (hasPrj) return `${layer.fileName}.shp reprojected to WGS84 from ${layer.fileName}.prj by ${library("shpjs")} (proj4)`;
  const bad = layer.features.map((f) => firstOutOfRange((f.geometry as { coordinates?: unknown } | null)?.coordinates)).find(Boolean);
  if (bad)
    throw new BadParameter(
      `${label}: ${layer.fileName}.shp has no .prj and position [${bad.map((v) => Number(v.toFixed(3))).join(", ")}] is not lon/lat; put its .prj (the CRS) in the zip`,
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
