/**
 * Filled label sheets: what a reviewer (or the labelling UI) made of `estimate/sample.csv`.
 *
 * Formats read (columns by name, any order; RFC 4180, UTF-8 with or without BOM, LF or CRLF):
 * - `labels`: `estimate/labels.csv` and a second labeller's `estimate/labels-<slug>.csv`: the
 *   columns of sample.csv (SAMPLE_COLUMNS) plus `stratum_shown` (`true`/`false`: whether the
 *   labeller saw the map class; empty = not recorded).
 * - `sample`: sample.csv itself with `reference_class` filled in by hand.
 * - `legacy`: the label sheets of earlier versions (`id,x,y,lon,lat,map_class,reference_class`,
 *   `#` comment lines before the header), e.g. samples/labels/brumadinho-labels.csv.
 * The `sample` and `legacy` sheets print the map class beside the column to fill, so their rows
 * count as labelled with the stratum shown.
 *
 * "row N" in messages is the row a spreadsheet shows: the header is row 1, comment lines count.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { BadParameter, oneLine } from "../errors.ts";
import type { SamplePoint } from "./sample.ts";
import { SAMPLE_COLUMNS } from "./sample-sheet.ts";

export const LABEL_COLUMNS = [...SAMPLE_COLUMNS, "stratum_shown"] as const;
export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface LabelRow {
  /** File name of the sheet (no folder) and the row in it, for messages. */
  sheet: string;
  row: number;
  id: number;
  /** null where the sheet gives no coordinates. */
  lon: number | null;
  lat: number | null;
  x: number | null;
  y: number | null;
  /** Map class name at the point. */
  stratum: string;
  /** Class name the labeller gave; null = unlabelled (empty or skipped). */
  referenceClass: string | null;
  labeller: string | null;
  confidence: Confidence | null;
  note: string;
  /** Whether the labeller saw the map class; null = not recorded. */
  stratumShown: boolean | null;
}

export interface LabelSheet {
  path: string;
  format: "labels" | "sample" | "legacy";
  /** Text of the `#` lines (legacy sheets carry their provenance there). */
  comments: string[];
  rows: LabelRow[];
}

interface Cells {
  /** The cell of column `col`, "" when the sheet has no such column. */
  get(col: string): string;
}

export async function readLabelSheet(path: string): Promise<LabelSheet> {
  const text = await readFile(path, "utf8").catch((e) => {
    throw new BadParameter(`${path}: cannot read the label sheet (${(e as NodeJS.ErrnoException).code})`);
  });
  return { ...parseLabelSheet(text, basename(path)), path };
}

/** Parses and validates a sheet's text; `name` (the file name) prefixes every message. */
export function parseLabelSheet(text: string, name: string): LabelSheet {
  let records: { record: string[]; info: { comment_lines: number; empty_lines: number } }[];
  try {
    records = parse(text, { bom: true, comment: "#", comment_no_infix: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new BadParameter(`${name}: not a valid CSV (${oneLine(e)})`);
  }
  const comments = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((l) => l.startsWith("#"))
    .map((l) => l.replace(/^#\s?/, ""));
  if (!records.length) throw new BadParameter(`${name}: empty: expected a header row (${LABEL_COLUMNS.join(",")})`);
  const header = records[0]!.record.map((h) => h.trim());
  const format = sheetFormat(header, name);
  const seen = new Map<number, number>();
  const rows = records.slice(1).map(({ record, info }, k) => {
    const row = k + 2 + info.comment_lines + info.empty_lines;
    const cells: Cells = { get: (c) => (header.includes(c) ? (record[header.indexOf(c)] ?? "") : "") };
    const r = parseRow(cells, name, row, format);
    if (seen.has(r.id)) throw new BadParameter(`${name} row ${row}: id ${r.id} is already on row ${seen.get(r.id)}`);
    seen.set(r.id, row);
    return r;
  });
  return { path: name, format, comments, rows };
}

function parseRow(cells: Cells, name: string, row: number, format: LabelSheet["format"]): LabelRow {
  const at = (msg: string) => new BadParameter(`${name} row ${row}: ${msg}`);
  const id = Number(cells.get("id").trim());
  if (!Number.isInteger(id) || id < 1) throw at(`id ${cellText(cells.get("id"))} is not a positive integer`);
  const stratumCol = format === "legacy" ? "map_class" : "stratum";
  const stratum = cells.get(stratumCol).trim();
  if (!stratum) throw at(`${stratumCol} is empty: every point needs the map class it was drawn from`);
  const confidence = cells.get("confidence").trim().toLowerCase();
  if (confidence && !(CONFIDENCES as readonly string[]).includes(confidence))
    throw at(`confidence ${cellText(confidence)} is not one of ${CONFIDENCES.join(", ")} (or empty)`);
  return {
    sheet: name,
    row,
    id,
    lon: coordinate(cells, "lon", at),
    lat: coordinate(cells, "lat", at),
    x: coordinate(cells, "x", at),
    y: coordinate(cells, "y", at),
    stratum,
    referenceClass: cells.get("reference_class").trim() || null,
    labeller: cells.get("labeller").trim() || null,
    confidence: (confidence || null) as Confidence | null,
    note: cells.get("note"),
    stratumShown: format === "labels" ? shown(cells.get("stratum_shown"), at) : true,
  };
}

/**
 * A cell quoted in a message: JSON quotes, cut to 40 characters, on one line. Quoted CSV cells may
 * hold newlines, tabs and runs of spaces, which would break the one-line message.
 */
function cellText(v: string): string {
  const s = JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  return oneLine(s);
}

function sheetFormat(header: string[], name: string): LabelSheet["format"] {
  const missing = (cols: readonly string[]) => cols.filter((c) => !header.includes(c));
  if (!missing(LABEL_COLUMNS).length) return "labels";
  if (!missing(SAMPLE_COLUMNS).length) return "sample";
  if (!missing(["id", "map_class", "reference_class"]).length) return "legacy";
  throw new BadParameter(`${name}: header lacks ${missing(LABEL_COLUMNS).join(", ")} (expected ${LABEL_COLUMNS.join(",")})`);
}

function coordinate(cells: Cells, col: string, at: (msg: string) => BadParameter): number | null {
  const v = cells.get(col).trim();
  if (v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw at(`${col} ${cellText(v)} is not a number`);
  return n;
}

function shown(v: string, at: (msg: string) => BadParameter): boolean | null {
  const s = v.trim().toLowerCase();
  if (s === "") return null;
  if (s === "true" || s === "false") return s === "true";
  throw at(`stratum_shown ${cellText(v)} is not true or false`);
}

/** A labels.csv (LABEL_COLUMNS, RFC 4180 with CRLF) of the given rows. */
export function labelsCsv(rows: LabelRow[]): string {
  const num = (v: number | null, digits: number) => (v === null ? "" : v.toFixed(digits));
  const body = rows.map((r) => [
    String(r.id),
    num(r.lon, 7),
    num(r.lat, 7),
    num(r.x, 2),
    num(r.y, 2),
    r.stratum,
    r.referenceClass ?? "",
    r.labeller ?? "",
    r.confidence ?? "",
    r.note,
    r.stratumShown === null ? "" : String(r.stratumShown),
  ]);
  return stringify([[...LABEL_COLUMNS], ...body], { record_delimiter: "windows" });
}

/**
 * A filled sheet made for `points` (e.g. a legacy sheet of the same seed) as the rows of a
 * labels.csv of this sample: every point once, in sample order, labelled where the sheet labels
 * it. Returns the reason instead when the sheet is of another sample (an id the sample lacks, or a
 * point at other coordinates or in another stratum).
 */
export function alignToSample(sheet: LabelSheet, points: SamplePoint[], names: Record<number, string>): { rows: LabelRow[] } | { mismatch: string } {
  const byId = new Map(sheet.rows.map((r) => [r.id, r]));
  const ids = new Set(points.map((p) => p.id));
  const stray = sheet.rows.find((r) => !ids.has(r.id));
  if (stray) return { mismatch: `${sheet.path} row ${stray.row}: id ${stray.id} is not a point of the sample (${points.length} points)` };
  const rows: LabelRow[] = [];
  for (const [k, p] of points.entries()) {
    const r = byId.get(p.id);
    const stratum = names[p.mapClass] ?? String(p.mapClass);
    const off = (a: number | null, b: number) => a !== null && Math.abs(a - b) > 0.005;
    if (r && (r.stratum !== stratum || off(r.x, p.x) || off(r.y, p.y)))
      return {
        mismatch: `${sheet.path} row ${r.row}: id ${r.id} is (${r.x}, ${r.y}) ${r.stratum} but the sample has (${p.x.toFixed(2)}, ${p.y.toFixed(2)}) ${stratum}`,
      };
    rows.push({
      sheet: "labels.csv",
      row: k + 2,
      id: p.id,
      lon: p.lon,
      lat: p.lat,
      x: p.x,
      y: p.y,
      stratum,
      referenceClass: r?.referenceClass ?? null,
      labeller: r?.labeller ?? null,
      confidence: r?.confidence ?? null,
      note: r?.note ?? "",
      stratumShown: r ? r.stratumShown : null,
    });
  }
  return { rows };
}
