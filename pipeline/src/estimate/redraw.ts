/**
 * Redrawing the sample of an existing run (`reewatch sample`): the class map comes from the run's
 * strata.json, or else from its catalog (the change item's last `class_<year>` asset, or a pair's
 * `disturbed` asset). A sample that already has labels is kept unless the caller overwrites it;
 * then the old sample, strata and label sheets move to `estimate/superseded/<time>/`, so no label
 * is lost and each stays beside the sample it belongs to.
 */
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { parseAoi, rasterizeAoi } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import { openGeoTiff } from "../read/geotiff.ts";
import { SiteSchema } from "../site/site.ts";
import type { StacItemDoc, StacLink } from "../write/stac-doc.ts";
import { readLabelSheet } from "./labels-sheet.ts";
import {
  type ClassMap,
  DESIGN_SIZE,
  type DesignSize,
  drawSample,
  PAIR_CLASSES,
  readStrata,
  SAMPLE_FILE,
  type SampleDesign,
  STRATA_FILE,
  writeSample,
} from "./sample-sheet.ts";

export interface RedrawOptions {
  minPerClass?: number;
  total?: number;
  seed?: number;
  overwrite?: boolean;
}

export interface Redrawn {
  design: SampleDesign;
  /** Files moved aside (relative to the run's estimate/ folder). */
  superseded: string[];
}

export async function redrawSample(run: string, o: RedrawOptions): Promise<Redrawn> {
  const dir = join(run, "estimate");
  const strataPath = join(dir, STRATA_FILE);
  const old = await readStrata(strataPath).catch(() => null);
  const found = old?.map
    ? { path: old.map, year: old.year ?? "", classes: Object.fromEntries(old.classes.map((c) => [c.code, c.name])) }
    : await lastClassMap(run);
  const kind = found.path.endsWith("disturbed.tif") ? "pair" : "annual";
  const size: DesignSize = {
    total: o.total ?? old?.total ?? DESIGN_SIZE[kind].total,
    minPerClass: o.minPerClass ?? old?.minPerClass ?? DESIGN_SIZE[kind].minPerClass,
  };
  const map = await readClassMap(run, found);
  const labelled = await labelledSheets(dir);
  if (labelled.length && !o.overwrite)
    throw new BadParameter(
      `${dir}: the sample has labels (${labelled.map((l) => `${l.file}: ${l.count}`).join(", ")}); a new sample would orphan them: pass --overwrite to move them to estimate/superseded/`,
    );
  const superseded = await moveAside(dir, labelled.length > 0);
  const design = drawSample(map, size, o.seed ?? old?.seed ?? 1);
  await mkdir(dir, { recursive: true });
  await writeSample(dir, design);
  return { design, superseded };
}

interface FoundMap {
  path: string;
  year: number | string;
  classes: Record<number, string>;
}

const readJson = async (path: string, what: string): Promise<unknown> => {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new BadParameter(
      `${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): is this a reewatch run directory?`,
    );
  }
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

const links = (doc: unknown, rel: string): string[] =>
  (isRecord(doc) && Array.isArray(doc.links) ? (doc.links as unknown[]) : [])
    .filter((l): l is StacLink => isRecord(l) && l.rel === rel && typeof l.href === "string")
    .map((l) => l.href);

/** The run's last class map, found through catalog.json -> change collection -> change item. */
async function lastClassMap(run: string): Promise<FoundMap> {
  const catalog = await readJson(join(run, "catalog.json"), "run catalog");
  const coll = links(catalog, "child").find((h) => /(^|\/)change\/collection\.json$/.test(h));
  if (!coll) throw new BadParameter(`${run}: catalog.json links no change collection: the run has no class map to sample`);
  const collPath = join(run, coll);
  const itemHref = links(await readJson(collPath, "change collection"), "item")[0];
  if (!itemHref) throw new BadParameter(`${collPath}: links no change item`);
  const itemPath = join(dirname(collPath), itemHref);
  const item = (await readJson(itemPath, "change item")) as Partial<StacItemDoc>;
  const assets = item.assets ?? {};
  const rel = (href: string) => relative(run, join(dirname(itemPath), href));
  const years = Object.keys(assets)
    .map((k) => /^class_(\d{4})$/.exec(k)?.[1])
    .filter((y): y is string => !!y)
    .map(Number)
    .sort((a, b) => a - b);
  if (years.length) {
    const names = item.properties?.["reewatch:classes"];
    if (!names || typeof names !== "object") throw new BadParameter(`${itemPath}: no reewatch:classes property naming the classes of class_${years.at(-1)}`);
    const classes = Object.fromEntries(Object.entries(names).map(([k, v]) => [Number(k), String(v)]));
    return { path: rel(assets[`class_${years.at(-1)}`]!.href), year: years.at(-1)!, classes };
  }
  if (assets.disturbed)
    return {
      path: rel(assets.disturbed.href),
      year: String(item.properties?.end_datetime ?? item.properties?.datetime ?? "").slice(0, 10),
      classes: PAIR_CLASSES,
    };
  throw new BadParameter(`${itemPath}: no class_<year> or disturbed asset: the run has no class map to sample`);
}

/** The map's values on its own grid, 0 outside the run's AOI (site.json) as the run sampled it. */
async function readClassMap(run: string, found: FoundMap): Promise<ClassMap> {
  const file = join(run, found.path);
  const tif = await openGeoTiff(file).catch((e) => {
    throw new BadParameter(`${file}: cannot read the class map (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  });
  try {
    const grid = tif.grid;
    if (!grid) throw new BadParameter(`${file}: no georeferencing`);
    const win = { x: 0, y: 0, width: grid.width, height: grid.height };
    const [values] = await tif.read(win, [0]);
    const site = SiteSchema.safeParse(await readJson(join(run, "site.json"), "site definition").catch(() => null));
    const aoi = site.success ? rasterizeAoi(parseAoi(site.data.aoi, `${run}/site.json aoi`), grid, win) : null;
    const v = Uint8Array.from(values as ArrayLike<number>, (c, i) => ((aoi && !aoi[i]) || !(c > 0) ? 0 : c));
    return { values: v, grid, classes: found.classes, path: found.path, year: found.year };
  } finally {
    await tif.close();
  }
}

const isLabelFile = (f: string) => f === SAMPLE_FILE || f === "labels.csv" || /^labels-.+\.csv$/.test(f);

/** Label files of the estimate folder that hold at least one label (an unreadable one counts). */
async function labelledSheets(dir: string): Promise<{ file: string; count: string }[]> {
  const out: { file: string; count: string }[] = [];
  for (const f of (await readdir(dir).catch(() => [] as string[])).filter(isLabelFile).sort()) {
    const n = await readLabelSheet(join(dir, f)).then(
      (s) => s.rows.filter((r) => r.referenceClass !== null).length,
      () => Number.NaN,
    );
    if (!(n === 0)) out.push({ file: f, count: Number.isNaN(n) ? "unreadable, kept as labelled" : `${n} labelled` });
  }
  return out;
}

/** Moves the label sheets (with the sample and strata they belong to) to superseded/<time>/. */
async function moveAside(dir: string, labelled: boolean): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f !== SAMPLE_FILE && isLabelFile(f));
  if (!files.length && !labelled) return [];
  const names = [...files, SAMPLE_FILE, STRATA_FILE];
  const dest = join("superseded", new Date().toISOString().replace(/[:.]/g, "-"));
  await mkdir(join(dir, dest), { recursive: true });
  const moved: string[] = [];
  for (const f of names)
    await rename(join(dir, f), join(dir, dest, f)).then(
      () => moved.push(join(dest, f)),
      () => {},
    );
  return moved;
}
