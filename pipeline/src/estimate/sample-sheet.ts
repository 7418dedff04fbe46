/**
 * The sample a reviewer labels, as files (docs/outputs.md, estimate/):
 * - `estimate/sample.csv`: RFC 4180 (CRLF, UTF-8, header row), columns SAMPLE_COLUMNS, one row per
 *   point; `stratum` is the map class name at the point, the last four columns are empty.
 * - `estimate/strata.json`: the design: the class map it stratifies, every class of the map with
 *   its pixel count, area and number of points drawn, the seed and the allocation rule.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { BadParameter, oneLine } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { allocate, allocationRule, type SamplePoint, stratifiedSample } from "./sample.ts";

export const SAMPLE_COLUMNS = ["id", "lon", "lat", "x", "y", "stratum", "reference_class", "labeller", "confidence", "note"] as const;

export const SAMPLE_FILE = "sample.csv";
export const STRATA_FILE = "strata.json";

/** Sample sizes of a design: an area share of `total` per class, at least `minPerClass`. */
export interface DesignSize {
  total: number;
  minPerClass: number;
}

/** Classes of a before/after pair's disturbed map (change/disturbed.tif). */
export const PAIR_CLASSES: Record<number, string> = { 1: "undisturbed", 2: "disturbed" };

/** Annual runs stratify the last year's class map (4 classes); pairs the disturbed map (2 classes). */
export const DESIGN_SIZE = {
  annual: { total: 600, minPerClass: 75 },
  pair: { total: 100, minPerClass: 50 },
} satisfies Record<string, DesignSize>;

const StrataClassSchema = z.object({
  code: z.number().int().nonnegative(),
  name: z.string().min(1),
  pixels: z.number().int().nonnegative(),
  areaKm2: z.number().nonnegative(),
  sampled: z.number().int().nonnegative(),
});

export const StrataSchema = z.object({
  type: z.literal("reewatch-strata"),
  version: z.literal(1),
  /** The class map, relative to the run directory (null for a sample without a raster). */
  map: z.string().nullable(),
  /** The map's year, or a pair's after-date. */
  year: z.union([z.number().int(), z.string()]).nullable(),
  crs: z.string().nullable(),
  pixelAreaKm2: z.number().positive(),
  seed: z.number().int().nullable(),
  allocation: z.string(),
  /** Parameters of the allocation rule, so `reewatch sample` can redraw with the same sizes. */
  total: z.number().int().positive().optional(),
  minPerClass: z.number().int().positive().optional(),
  classes: z.array(StrataClassSchema).min(1),
});

export type StrataClass = z.infer<typeof StrataClassSchema>;
export type Strata = z.infer<typeof StrataSchema>;

/** A class map to sample: values (0 = outside the population), grid and class names by code. */
export interface ClassMap {
  values: ArrayLike<number>;
  grid: Grid;
  /** Every class of the map, code -> name, whether or not it occurs. */
  classes: Record<number, string>;
  /** Path of the map relative to the run directory. */
  path: string;
  year: number | string;
}

export interface SampleDesign {
  points: SamplePoint[];
  strata: Strata;
}

/** Draws the stratified sample of `map` and describes it (pure apart from the projection). */
export function drawSample(map: ClassMap, size: DesignSize, seed: number): SampleDesign {
  const codes = Object.keys(map.classes)
    .map(Number)
    .sort((a, b) => a - b);
  const pixels = codes.map(() => 0);
  for (let i = 0; i < map.values.length; i++) {
    const v = map.values[i]!;
    if (!v) continue;
    const k = codes.indexOf(v);
    if (k < 0) throw new BadParameter(`${map.path}: pixel ${i} holds class ${v}, which is not a class of the map (${codes.join(", ")})`);
    pixels[k]!++;
  }
  const points = stratifiedSample(map.values, map.grid, size.total, size.minPerClass, seed);
  const sampled = allocate(pixels, size.total, size.minPerClass);
  const pixelAreaKm2 = Math.abs(map.grid.transform[0] * map.grid.transform[4]) / 1e6;
  return {
    points,
    strata: {
      type: "reewatch-strata",
      version: 1,
      map: map.path,
      year: map.year,
      crs: map.grid.crs,
      pixelAreaKm2,
      seed,
      allocation: allocationRule(size.total, size.minPerClass),
      total: size.total,
      minPerClass: size.minPerClass,
      classes: codes.map((code, k) => ({
        code,
        name: map.classes[code]!,
        pixels: pixels[k]!,
        areaKm2: Number((pixels[k]! * pixelAreaKm2).toPrecision(12)),
        sampled: sampled[k]!,
      })),
    },
  };
}

/** sample.csv: one row per point, the label columns empty. */
export function sampleCsv(points: SamplePoint[], names: Record<number, string>): string {
  const rows = points.map((p) => [
    String(p.id),
    p.lon.toFixed(7),
    p.lat.toFixed(7),
    p.x.toFixed(2),
    p.y.toFixed(2),
    names[p.mapClass] ?? String(p.mapClass),
    "",
    "",
    "",
    "",
  ]);
  return stringify([[...SAMPLE_COLUMNS], ...rows], { record_delimiter: "windows" });
}

/** Writes `dir/sample.csv` and `dir/strata.json` (each atomically). */
export async function writeSample(dir: string, design: SampleDesign): Promise<void> {
  const names = Object.fromEntries(design.strata.classes.map((c) => [c.code, c.name]));
  await writeFileAtomic(join(dir, SAMPLE_FILE), sampleCsv(design.points, names));
  await writeFileAtomic(join(dir, STRATA_FILE), `${JSON.stringify(design.strata, null, 1)}\n`);
}

/** Validates a parsed strata.json; BadParameter naming the file and the field. */
export function parseStrata(json: unknown, where: string): Strata {
  const r = StrataSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BadParameter(`${where}: ${i.path.join(".") || "(top level)"}: ${i.message} (expected a reewatch-strata version 1 document)`);
  }
  const s = r.data;
  const names = s.classes.map((c) => c.name);
  const dup = names.find((n, k) => names.indexOf(n) !== k);
  if (dup) throw new BadParameter(`${where}: class name ${quoted(dup)} appears twice`);
  for (const c of s.classes) {
    const expected = c.pixels * s.pixelAreaKm2;
    if (Math.abs(c.areaKm2 - expected) > 1e-6 * Math.max(1, expected))
      throw new BadParameter(
        `${where}: class ${quoted(c.name)}: areaKm2 ${c.areaKm2} is not pixels x pixelAreaKm2 (${c.pixels} x ${s.pixelAreaKm2} = ${expected})`,
      );
    if (c.sampled > c.pixels) throw new BadParameter(`${where}: class ${quoted(c.name)}: ${c.sampled} points sampled from only ${c.pixels} pixels`);
  }
  return s;
}

/** A class name quoted in a message: JSON quotes, on one line (a name may hold newlines). */
const quoted = (name: string) => oneLine(JSON.stringify(name));

export async function readStrata(path: string): Promise<Strata> {
  const text = await readFile(path, "utf8").catch((e) => {
    throw new BadParameter(`${path}: cannot read the strata file (${(e as NodeJS.ErrnoException).code})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BadParameter(`${path}: not valid JSON (${oneLine(e)})`);
  }
  return parseStrata(json, path);
}
