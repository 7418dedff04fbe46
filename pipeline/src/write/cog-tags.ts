/** The TIFF tags of one COG level (GDAL's COG driver conventions) and the GDAL_METADATA XML. */
import type { Grid } from "../raster.ts";
import { geoTags } from "./geokeys.ts";
import { ASCII, LONG, LONG8, SHORT, type Tag } from "./tiff-ifd.ts";

export type CogDataType = "float32" | "uint8" | "uint16" | "int16";

const SAMPLE_FORMAT: Record<CogDataType, number> = { float32: 3, int16: 2, uint16: 1, uint8: 1 };
const BITS: Record<CogDataType, number> = { float32: 32, int16: 16, uint16: 16, uint8: 8 };

export interface LevelTagsInput {
  width: number;
  height: number;
  tile: number;
  /** Georeferencing, written on the full-resolution IFD only (undefined for overviews). */
  grid: Grid | undefined;
  dataType: CogDataType;
  bands: number;
  /** PhotometricInterpretation RGB instead of min-is-black (3 uint8 bands). */
  rgb: boolean;
  big: boolean;
  offsets: number[];
  counts: number[];
  /** The GDAL_NODATA value, or undefined for none. */
  nodata: number | undefined;
  /** GDAL_METADATA XML (full resolution only). */
  metadata: string | undefined;
}

export function cogTags(t: LevelTagsInput): Tag[] {
  const offsetType = t.big ? LONG8 : LONG;
  const tags: Tag[] = [
    { tag: 254, type: LONG, values: [t.grid ? 0 : 1] }, // NewSubfileType: 1 = reduced resolution
    { tag: 256, type: LONG, values: [t.width] },
    { tag: 257, type: LONG, values: [t.height] },
    { tag: 258, type: SHORT, values: new Array(t.bands).fill(BITS[t.dataType]) },
    { tag: 259, type: SHORT, values: [8] }, // Compression: Adobe deflate (zlib)
    { tag: 262, type: SHORT, values: [t.rgb ? 2 : 1] }, // Photometric: RGB or min-is-black
    { tag: 277, type: SHORT, values: [t.bands] },
    { tag: 284, type: SHORT, values: [1] }, // PlanarConfiguration: pixel-interleaved
    { tag: 317, type: SHORT, values: [t.dataType === "float32" ? 3 : 2] }, // Predictor
    { tag: 322, type: SHORT, values: [t.tile] },
    { tag: 323, type: SHORT, values: [t.tile] },
    { tag: 324, type: offsetType, values: t.offsets },
    { tag: 325, type: offsetType, values: t.counts },
    { tag: 339, type: SHORT, values: new Array(t.bands).fill(SAMPLE_FORMAT[t.dataType]) },
  ];
  const extra = t.bands - (t.rgb ? 3 : 1);
  if (extra > 0) tags.push({ tag: 338, type: SHORT, values: new Array(extra).fill(0) }); // ExtraSamples: unspecified
  if (t.grid) tags.push(...geoTags(t.grid));
  if (t.metadata) tags.push({ tag: 42112, type: ASCII, values: t.metadata }); // GDAL_METADATA
  if (t.nodata !== undefined) tags.push({ tag: 42113, type: ASCII, values: nodataText(t.nodata) }); // GDAL_NODATA
  return tags;
}

/** GDAL_NODATA text: "nan", or the number as GDAL prints it. */
export function nodataText(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(v);
}

const xmlEscape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** GDAL_METADATA XML: dataset items (sorted by name), then per-band description/scale/offset. */
export function gdalMetadataXml(items: Record<string, string>, descriptions?: string[], scale?: number[], offset?: number[]): string | undefined {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    lines.push(`  <Item name="${xmlEscape(k)}">${xmlEscape(v)}</Item>`);
  for (const [i, d] of (descriptions ?? []).entries()) lines.push(`  <Item name="DESCRIPTION" sample="${i}" role="description">${xmlEscape(d)}</Item>`);
  for (const [i, s] of (scale ?? []).entries()) lines.push(`  <Item name="SCALE" sample="${i}" role="scale">${s}</Item>`);
  for (const [i, o] of (offset ?? []).entries()) lines.push(`  <Item name="OFFSET" sample="${i}" role="offset">${o}</Item>`);
  return lines.length ? `<GDALMetadata>\n${lines.join("\n")}\n</GDALMetadata>` : undefined;
}
