import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Label, SamplePoint, Strata } from "../../common/api-types.ts";
import { BadParameter, parseStrata, SAMPLE_COLUMNS, writeFileAtomic } from "../../pipeline/src/index.ts";
import { HttpError } from "./http-errors.ts";

export type { Label, SamplePoint, Strata };
export { SAMPLE_COLUMNS };
export const LABEL_COLUMNS = [...SAMPLE_COLUMNS, "stratum_shown"] as const;
export const CONFIDENCES = ["high", "medium", "low"] as const;
const MAX_NOTE = 2000;
const MAX_NAME = 80;

/** One row of a label sheet, every column as text (as in the file). */
export type SheetRow = Record<(typeof LABEL_COLUMNS)[number], string>;
const estimateDir = (runDir: string) => join(resolve(runDir), "estimate");

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new HttpError(404, `${what}: not found (run \`reewatch sample <run>\` to draw a sample)`);
    throw e;
  }
}

/** Rows of a CSV whose header must be exactly `columns`, as objects of text. */
function parseSheet<C extends readonly string[]>(text: string, columns: C, name: string): Record<C[number], string>[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true });
  } catch (e) {
    throw new HttpError(422, `${name}: not a valid CSV (${(e as Error).message})`);
  }
  const [head, ...body] = rows;
  if (head?.join(",") !== columns.join(",")) throw new HttpError(422, `${name}: header is "${head?.join(",") ?? ""}", expected "${columns.join(",")}"`);
  return body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ""])) as Record<C[number], string>);
}

/** The run's strata.json, validated as `reewatch sample` and `estimate` validate it (a 422 when it is not valid). */
export async function readStrata(runDir: string): Promise<Strata> {
  const text = await readText(join(estimateDir(runDir), "strata.json"), "estimate/strata.json");
  try {
    return parseStrata(JSON.parse(text), "estimate/strata.json");
  } catch (e) {
    if (e instanceof SyntaxError) throw new HttpError(422, "estimate/strata.json: not valid JSON");
    if (e instanceof BadParameter) throw new HttpError(422, e.message);
    throw e;
  }
}

/** The sample as the run wrote it: the rows of sample.csv, as text (exactly what a new label sheet copies). */
async function sampleRows(runDir: string): Promise<SheetRow[]> {
  const rows = parseSheet(await readText(join(estimateDir(runDir), "sample.csv"), "estimate/sample.csv"), SAMPLE_COLUMNS, "estimate/sample.csv");
  const ids = new Set<string>();
  for (const [i, r] of rows.entries()) {
    if (!r.id || ids.has(r.id)) throw new HttpError(422, `estimate/sample.csv row ${i + 2}: id "${r.id}" is empty or repeated`);
    ids.add(r.id);
  }
  return rows.map((r) => ({ ...r, reference_class: "", labeller: "", confidence: "", note: "", stratum_shown: "" }));
}

export async function readSample(runDir: string): Promise<SamplePoint[]> {
  return (await sampleRows(runDir)).map((r) => ({ id: r.id, lon: Number(r.lon), lat: Number(r.lat), x: Number(r.x), y: Number(r.y), stratum: r.stratum }));
}

/** A labeller's name, checked: 1..80 characters after trimming, no control characters. */
/**
 * A JSON value as an error message shows it: text quoted on one line, anything else by its type.
 * String() of an object whose toString is not a function throws (a 500 the fuzzer found).
 */
function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  return v === null || v === undefined ? '""' : `(a ${Array.isArray(v) ? "list" : typeof v})`;
}

export function checkLabeller(name: unknown): string {
  const s = typeof name === "string" ? name.normalize("NFC").trim() : "";
  if (!s || s.length > MAX_NAME || /\p{Cc}/u.test(s))
    throw new BadParameter(`labeller ${shown(name)} must be 1 to ${MAX_NAME} characters, no control characters`);
  return s;
}

/** The file-name part of a labeller: letters and digits of any script, lower case, runs of others as "-". */
export function slug(labeller: string): string {
  const s = labeller
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  if (!s) throw new BadParameter(`labeller "${labeller}" needs at least one letter or digit (it names the file labels-<name>.csv)`);
  return s;
}

/** The only paths this module writes: `<run>/estimate/labels.csv` and `<run>/estimate/labels-<slug>.csv`. */
function sheetPath(runDir: string, name: string): string {
  const dir = estimateDir(runDir);
  const path = resolve(dir, name);
  if (!/^labels(-[\p{L}\p{N}-]+)?\.csv$/u.test(name) || dirname(path) !== dir || basename(path) !== name)
    throw new HttpError(400, `"${name}" is not a label sheet name (labels.csv or labels-<name>.csv)`);
  return path;
}

async function readSheet(path: string): Promise<SheetRow[] | null> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  return text === null ? null : parseSheet(text, LABEL_COLUMNS, `estimate/${basename(path)}`);
}

/** A row labelled (or skipped) by someone else than `labeller`: a class without a name counts as someone else's. */
const foreign = (r: SheetRow, labeller: string) => (r.labeller !== "" || r.reference_class !== "") && r.labeller !== labeller;

/**
 * The sheet a labeller writes: `labels-<slug>.csv` when it exists; else `labels.csv` unless that
 * one holds another labeller's rows (or labels without a labeller, e.g. typed in by hand); else
 * `labels-<slug>.csv`.
 */
export async function sheetFor(runDir: string, labeller: string): Promise<{ name: string; path: string; rows: SheetRow[] | null }> {
  const own = `labels-${slug(labeller)}.csv`;
  const ownRows = await readSheet(sheetPath(runDir, own));
  if (ownRows) return { name: own, path: sheetPath(runDir, own), rows: ownRows };
  const main = await readSheet(sheetPath(runDir, "labels.csv"));
  if (!main?.some((r) => foreign(r, labeller))) return { name: "labels.csv", path: sheetPath(runDir, "labels.csv"), rows: main };
  return { name: own, path: sheetPath(runDir, own), rows: null };
}

/** Counts of a sheet: rows with a class, rows skipped (a labeller but no class), all rows. */
export function progress(rows: SheetRow[]): { total: number; labelled: number; skipped: number } {
  const labelled = rows.filter((r) => r.reference_class).length;
  return { total: rows.length, labelled, skipped: rows.filter((r) => r.labeller && !r.reference_class).length };
}

export function sheetText(rows: SheetRow[]): string {
  return stringify([[...LABEL_COLUMNS], ...rows.map((r) => LABEL_COLUMNS.map((c) => r[c]))], { record_delimiter: "windows", quote_record_delimiter: true });
}

const queues = new Map<string, Promise<unknown>>();
/** Runs `job` after every earlier job of the same key has finished (one writer per run's sheets). */
function serialised<T>(key: string, job: () => Promise<T>): Promise<T> {
  const result = (queues.get(key) ?? Promise.resolve()).then(job, job);
  const tail = result.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return result;
}

export function checkLabel(body: unknown, classes: string[]): Label {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadParameter("request body must be a JSON object");
  const labeller = checkLabeller(b.labeller);
  const cls = b.reference_class ?? "";
  if (typeof cls !== "string" || (cls !== "" && !classes.includes(cls)))
    throw new BadParameter(`reference_class ${shown(cls)} is not a class of the map (${classes.join(", ")}), nor "" for a skipped point`);
  const confidence = b.confidence ?? "";
  if (confidence !== "" && !CONFIDENCES.includes(confidence as never))
    throw new BadParameter(`confidence ${shown(confidence)} must be high, medium, low or ""`);
  const note = b.note ?? "";
  if (typeof note !== "string" || note.length > MAX_NOTE || note.includes("\0")) throw new BadParameter(`note must be text of at most ${MAX_NOTE} characters`);
  if (typeof b.stratum_shown !== "boolean") throw new BadParameter("stratum_shown must be true or false");
  return { labeller, reference_class: cls, confidence: confidence as string, note, stratum_shown: b.stratum_shown };
}

/**
 * Saves one point's label (or clears it when `label` is null) in the labeller's sheet, creating
 * the sheet from sample.csv on the first label. Returns the sheet's name, the row and the counts.
 */
export function saveLabel(runDir: string, id: string, labeller: string, label: Label | null) {
  return serialised(estimateDir(runDir), async () => {
    const sample = await sampleRows(runDir);
    const sheet = await sheetFor(runDir, labeller);
    if (!sheet.rows && !label) return { file: sheet.name, row: null, ...progress(sample) };
    const rows = sheet.rows ?? sample;
    const same = rows.length === sample.length && sample.every((r, i) => r.id === rows[i]!.id);
    if (!same)
      throw new HttpError(409, `estimate/${sheet.name} was filled for another sample than estimate/sample.csv (its ids differ): move it away to start again`);
    const other = rows.find((r) => foreign(r, labeller));
    if (other)
      throw new HttpError(
        409,
        `estimate/${sheet.name} holds labels by ${other.labeller ? `"${other.labeller}"` : "an unnamed labeller"}: choose a labeller name of your own`,
      );
    const row = rows.find((r) => r.id === id);
    if (!row) throw new HttpError(404, `point "${id}" is not in estimate/sample.csv`);
    Object.assign(
      row,
      label ? { ...label, stratum_shown: String(label.stratum_shown) } : { reference_class: "", labeller: "", confidence: "", note: "", stratum_shown: "" },
    );
    await writeFileAtomic(sheet.path, sheetText(rows));
    return { file: sheet.name, row, ...progress(rows) };
  });
}

/** A labeller's saved rows (only the touched ones) and counts; the sheet need not exist yet. */
export async function readLabels(runDir: string, labeller: string) {
  const sample = await sampleRows(runDir);
  const sheet = await sheetFor(runDir, labeller);
  const rows = sheet.rows ?? sample;
  return { file: sheet.name, ...progress(rows), total: sample.length, rows: rows.filter((r) => r.labeller) };
}

/** The labeller's sheet exactly as saved, or null before the first label. */
export async function sheetBytes(runDir: string, labeller: string): Promise<{ name: string; data: Buffer } | null> {
  const sheet = await sheetFor(runDir, labeller);
  return sheet.rows ? { name: sheet.name, data: await readFile(sheet.path) } : null;
}
