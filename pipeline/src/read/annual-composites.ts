/**
 * Annual composites as scientists already have them, or as a reewatch run wrote them, read into one
 * index stack per requested index (`index[name][k]` = the values of `years[k]`, row-major, NaN =
 * no data). Two layouts:
 * - a folder of multi-band GeoTIFFs (Earth Engine exports, FORCE, spectral-recovery inputs): one
 *   file per year with the year in its name (`2005.tif`, `landsat_2005.tif`), bands named in the
 *   band descriptions (blue, green, red, nir|nir08, swir1|swir16, swir2|swir22); indices come from
 *   the index table. A pixel whose bands are all zero, or equal to the file's no-data, is no data.
 *   Float bands are reflectance (times the file's scale, plus its offset); integer bands without
 *   scale/offset metadata are refused (docs/science.md, Radiometry: no index from DNs of unknown scale).
 * - a reewatch run directory: read through its catalog.json -> composites collection -> one item
 *   per year, whose asset named after the index is that year's index COG.
 * The series must be complete (one composite per year from the first to the last) and on one grid.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { BadParameter, MissingBand, ReewatchError, UnknownScale, UnsupportedFormat } from "../errors.ts";
import { sameGrid } from "../grid.ts";
import { computeIndex } from "../indices/compute.ts";
import type { Bands } from "../indices/families.ts";
import { indexByName } from "../indices/table.ts";
import type { BandLetter, Grid } from "../raster.ts";
import { SiteSchema } from "../site/site.ts";
import type { StacItemDoc, StacLink } from "../write/stac-doc.ts";
import { type GeoTiff, openGeoTiff, readWhole } from "./geotiff.ts";

export interface AnnualComposites {
  grid: Grid;
  years: number[];
  /** index name -> one array per year. */
  index: Record<string, Float32Array[]>;
  layout: "band files" | "reewatch run";
  /** The files read, for the run manifest. */
  files: string[];
  /** A run directory's site: its key and the minimum loss magnitude its change stage used. */
  site?: { key: string; minMagnitude?: number };
}

/** Band description -> band letter (docs/science.md: Band letters), case-insensitive. */
export const BAND_NAMES: Record<string, BandLetter> = {
  blue: "B",
  green: "G",
  red: "R",
  nir: "N",
  nir08: "N",
  swir1: "S1",
  swir16: "S1",
  swir2: "S2",
  swir22: "S2",
};

/** The TC coefficients band files get (their sensor is not recorded in them). */
export const BAND_FILE_SENSOR = "landsat-8" as const;

export async function readAnnualComposites(dir: string, indices: string[], flag = "--composites"): Promise<AnnualComposites> {
  const names = await readdir(dir).catch((e) => {
    throw new BadParameter(`${flag} ${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code})`);
  });
  return names.includes("catalog.json") ? readRun(dir, indices, flag) : readBandFiles(dir, names, indices, flag);
}

/** Consecutive years, or a BadParameter naming the gap. */
function checkComplete(years: number[], where: string): void {
  if (years.length === 0) throw new BadParameter(`${where}: no annual composites found`);
  for (let k = 1; k < years.length; k++)
    if (years[k] !== years[k - 1]! + 1)
      throw new BadParameter(`${where}: no composite for ${years[k - 1]! + 1} (found ${years.join(", ")}); an annual series must have every year`);
}

// --- a folder of multi-band GeoTIFFs --------------------------------------------------------------

function yearOf(file: string, where: string): number {
  const found =
    basename(file)
      .replace(/\.tiff?$/i, "")
      .match(/(?<!\d)(19|20)\d\d(?!\d)/g) ?? [];
  if (found.length !== 1) throw new BadParameter(`${where}: cannot tell the year of ${file} (a year such as 2005 must appear once in the name)`);
  return Number(found[0]);
}

async function readBandFiles(dir: string, names: string[], indices: string[], flag: string): Promise<AnnualComposites> {
  const where = `${flag} ${dir}`;
  const byYear = new Map<number, string>();
  for (const f of names.filter((x) => /\.tiff?$/i.test(x)).sort()) {
    const y = yearOf(f, where);
    if (byYear.has(y)) throw new BadParameter(`${where}: two composites for ${y} (${byYear.get(y)}, ${f})`);
    byYear.set(y, f);
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  checkComplete(years, where);
  const defs = indices.map((n) => indexByName(n));
  const letters = [...new Set(defs.flatMap((d) => d.bands))];
  const out: AnnualComposites = { grid: undefined as unknown as Grid, years, index: {}, layout: "band files", files: [] };
  for (const d of defs) out.index[d.name] = [];
  for (const y of years) {
    const path = join(dir, byYear.get(y)!);
    const { grid, bands, valid } = await readBands(path, letters);
    if (!out.grid) out.grid = grid;
    else if (!sameGrid(out.grid, grid)) throw new BadParameter(`${path}: grid differs from ${out.files[0]} (every year must share one grid)`);
    out.files.push(path);
    for (const d of defs) out.index[d.name]!.push(computeIndex(d, bands, valid, BAND_FILE_SENSOR));
  }
  return out;
}

/** The needed bands of one file as reflectance, and its valid mask. */
async function readBands(path: string, letters: BandLetter[]): Promise<{ grid: Grid; bands: Bands; valid: Uint8Array }> {
  const t = await openGeoTiff(path).catch((e) => {
    throw !(e instanceof ReewatchError) ? new UnsupportedFormat(`${path}: not a readable GeoTIFF (${(e as Error).message})`) : e;
  });
  try {
    if (!t.grid) throw new UnsupportedFormat(`${path}: no georeferencing (a GeoTIFF with a CRS and geotransform is needed)`);
    const bandOf = letterBands(t, path);
    const missing = letters.filter((l) => bandOf.get(l) === undefined);
    if (missing.length)
      throw new MissingBand(
        `${path}: no band named ${missing.map(letterName).join(", ")} (bands: ${t.descriptions.join(", ")}); the requested indices need them`,
      );
    const raw = await t.read(
      { x: 0, y: 0, width: t.grid.width, height: t.grid.height },
      t.descriptions.map((_, i) => i),
    );
    const isFloat = raw[0] instanceof Float32Array || raw[0] instanceof Float64Array;
    if (!isFloat && t.scales.every((s) => s === 1) && t.offsets.every((o) => o === 0))
      throw new UnknownScale(
        `${path}: integer bands without scale/offset metadata; reflectance scale unknown (set it, e.g. gdal_edit.py -scale/-offset, or export reflectance as float)`,
      );
    const n = t.grid.width * t.grid.height;
    const valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) valid[i] = raw.some((b) => b[i] !== 0) && !raw.some((b) => b[i] === t.nodata) ? 1 : 0;
    const bands: Bands = {};
    for (const l of letters) {
      const b = bandOf.get(l)!;
      const [src, s, o] = [raw[b]!, t.scales[b]!, t.offsets[b]!];
      bands[l] = Float32Array.from(src as ArrayLike<number>, (v, i) => (valid[i] ? v * s + o : Number.NaN));
    }
    return { grid: t.grid, bands, valid };
  } finally {
    await t.close();
  }
}

/** Band letter -> 0-based band, from the band descriptions; every band must have one. */
function letterBands(t: GeoTiff, path: string): Map<BandLetter, number> {
  const out = new Map<BandLetter, number>();
  t.descriptions.forEach((desc, i) => {
    if (!desc.trim())
      throw new BadParameter(
        `${path}: band ${i + 1} has no description; name the bands blue, green, red, nir, swir1/swir16, swir2/swir22 in the band descriptions`,
      );
    const l = BAND_NAMES[desc.trim().toLowerCase()];
    if (l === undefined) return;
    if (out.has(l)) throw new BadParameter(`${path}: bands ${out.get(l)! + 1} and ${i + 1} are both ${letterName(l)}`);
    out.set(l, i);
  });
  return out;
}

function letterName(l: BandLetter): string {
  return Object.entries(BAND_NAMES)
    .filter(([, v]) => v === l)
    .map(([k]) => k)
    .join("/");
}

// --- a reewatch run directory ---------------------------------------------------------------------

async function readJson(path: string, where: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new BadParameter(`${where}: ${path} is missing or not JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

const hrefsOf = (doc: unknown, rel: string, base: string): string[] =>
  (isRecord(doc) && Array.isArray(doc.links) ? (doc.links as unknown[]) : [])
    .filter((l): l is StacLink => isRecord(l) && l.rel === rel && typeof l.href === "string")
    .map((l) => join(base, l.href));

async function readRun(dir: string, indices: string[], flag: string): Promise<AnnualComposites> {
  const where = `${flag} ${dir}`;
  const catalog = await readJson(join(dir, "catalog.json"), where);
  const collPath = hrefsOf(catalog, "child", dir).find((p) => p.endsWith(join("composites", "collection.json")));
  if (!collPath) throw new BadParameter(`${where}: catalog.json links no composites collection (is this a reewatch run directory?)`);
  const coll = await readJson(collPath, where);
  const items: { year: number; path: string; item: Partial<StacItemDoc> }[] = [];
  for (const p of hrefsOf(coll, "item", dirname(collPath))) {
    const item = (await readJson(p, where)) as Partial<StacItemDoc> | null;
    const year = item?.properties?.["reewatch:year"];
    if (typeof year !== "number" || !item || !Number.isInteger(year))
      throw new BadParameter(`${where}: ${p} is not an annual composite (a before/after pair run has no annual series)`);
    items.push({ year, path: p, item });
  }
  items.sort((a, b) => a.year - b.year);
  const years = items.map((i) => i.year);
  checkComplete(years, where);
  // the site as the run used it (schema defaults filled in), for its minimum loss magnitude
  const parsed = SiteSchema.safeParse(await readJson(join(dir, "site.json"), where).catch(() => null));
  const site = parsed.success ? parsed.data : null;
  const out: AnnualComposites = {
    grid: undefined as unknown as Grid,
    years,
    index: {},
    layout: "reewatch run",
    files: [],
    ...(site ? { site: { key: site.key, minMagnitude: site.minMagnitude } } : {}),
  };
  for (const name of indices.map((n) => indexByName(n).name)) {
    out.index[name] = [];
    for (const { year, path, item } of items) {
      const href = item.assets?.[name]?.href;
      if (typeof href !== "string")
        throw new MissingBand(`${where}: the run has no ${name} composite for ${year} (its composites have: ${Object.keys(item.assets ?? {}).join(", ")})`);
      const file = join(dirname(path), href);
      const t = await openGeoTiff(file);
      await t.close();
      if (!t.grid) throw new UnsupportedFormat(`${file}: no georeferencing`);
      if (!out.grid) out.grid = t.grid;
      else if (!sameGrid(out.grid, t.grid)) throw new BadParameter(`${file}: grid differs from the run's other composites`);
      const [a] = await readWhole(file, [0]);
      out.index[name].push(a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>));
      out.files.push(file);
    }
  }
  return out;
}
