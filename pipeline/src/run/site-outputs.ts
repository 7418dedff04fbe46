/** Stage writers of a site run: change COGs and their item, zonal tables, the run catalog. */
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import { strips, wholeWindow } from "../grid.ts";
import type { Grid } from "../raster.ts";
import { mappedZones, type Site } from "../site/site.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { footprint, stacCatalog, stacCollection, stacItem } from "../write/stac.ts";
import { classAreasOf } from "../zonal/zonal.ts";
import { classCountsInStrips, type StripRead, zoneStatsInStrips } from "../zonal/zonal-strips.ts";
import { changeProducts, productRow } from "./change-products.ts";
import type { ProductRow } from "./product-table.ts";
import { CHANGE_RULES, type ChangeResult, CLASS_NAMES } from "./site-change.ts";
import type { ChangeSummary } from "./site-change-strips.ts";

/** Recovery metrics of NDVI (change/recovery-metrics.ts) and the classes per year, as product rows. */
function recoveryAndClassRows(c: ChangeResult): ProductRow[] {
  const yearsOf = (nodata: number) => ({ integer: { type: "int16", nodata } as const, unit: "years" });
  return [
    productRow("r80p", "R80P: NDVI(r+t) / (0.8 x recovery target)", c.r80p, [0, 1.5], "recovery"),
    productRow("rri", "RRI: (max NDVI(r+t-1..r+t) - NDVI(r)) / (NDVI(d) - NDVI(r))", c.rri, [0, 1.2], "recovery"),
    productRow("dir", "dIR: NDVI(r+t) - NDVI(r), regrowth positive", c.dir, [-0.3, 0.5], "change"),
    productRow("timestep", "t: years between restoration start and the metrics' end year", c.timestep, [0, 5], "viridis", yearsOf(0)),
    productRow("yryr", "YrYr: NDVI gain per year after disturbance", c.yryr, [0, 0.15], "viridis", { unit: "1/yr" }),
    productRow("y2r", "Y2R: years after restoration start until NDVI reaches 80 % of the target (-9999 never)", c.y2r, [0, 8], "viridis", yearsOf(-32768)),
    ...c.years.map((y, k) =>
      productRow(`class_${y}`, `Change class ${y}`, c.classes[k]!, [0, 4], "classes", { integer: { type: "uint8", nodata: 0, overviews: "mode" } }),
    ),
  ];
}

/** Every change/ product of a change result (the whole AOI's or a strip's), as product-table rows. */
export function changeRows(c: ChangeResult, changeIndex: string): ProductRow[] {
  return [...changeProducts(c, changeIndex, "ndvi"), ...recoveryAndClassRows(c)];
}

/** The change COGs' dataset metadata. */
export function changeMetadata(site: Site, simulated: boolean): Record<string, string> {
  return { REEWATCH_SITE: site.key, REEWATCH_RULES: CHANGE_RULES.text, ...(simulated ? { SIMULATED: "true" } : {}) };
}

/** change/change.json: the item of the change products (written by site-change-strips.ts). */
export async function writeChangeItem(site: Site, grid: Grid, c: ChangeSummary, outDir: string, simulated: boolean): Promise<void> {
  const [y0, y1] = [c.years[0]!, c.years.at(-1)!];
  const item = stacItem({
    id: `${site.key}-change`,
    grid,
    start: `${y0}-01-01T00:00:00Z`,
    end: `${y1}-12-31T23:59:59Z`,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} change and recovery ${y0}-${y1}`,
    assets: c.assets,
    software: SOFTWARE_VERSION,
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:rules": CHANGE_RULES.text,
      "reewatch:bare_ndvi": c.bareNdvi,
      "reewatch:classes": CLASS_NAMES,
      "reewatch:segmentation": "LandTrendr (Kennedy et al. 2010), parameters of docs/science.md, compositing and time series",
      "reewatch:recovery_target": c.recoveryTarget,
      "reewatch:sign_conventions": "magnitude = pre - post (loss positive, as dNBR); dIR = later - earlier (regrowth positive)",
    },
  });
  await writeFileAtomic(
    join(outDir, "change", "change.json"),
    `${JSON.stringify(item, null, 1)}
`,
  );
}

export interface ZoneMask {
  name: string;
  kind: string;
  mask: Uint8Array;
}

export function zoneMasks(site: Site, grid: Grid, aoi: Uint8Array): ZoneMask[] {
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const raster = (g: unknown) => rasterizeRings(projectAoi(parseAoi(g), grid.crs), grid, all);
  return [
    { name: "AOI", kind: "aoi", mask: aoi },
    ...mappedZones(site).map((z) => ({ name: z.name, kind: z.kind, mask: raster(z.geometry) })),
    ...site.controls.map((z) => ({ name: z.name, kind: "control", mask: raster(z.geometry) })),
  ];
}

/** The rasters zonal statistics read, strip by strip, from the run's COGs (so memory holds a strip). */
export interface ZonalSource {
  years: number[];
  /** Strip height. */
  rows: number;
  /** A year's composite index (ndvi or the change index). */
  index(year: number, name: string): StripRead;
  /** Null without change products. */
  change: {
    classes(year: number): StripRead<Uint8Array>;
    /** A float32 change product: r80p, rri, yryr, magnitude. */
    product(name: string): StripRead;
    disturbanceYear: StripRead<Int16Array>;
  } | null;
}

/** Zonal statistics per zone and year: NDVI and the change index, and class areas in km2. */
export async function writeZonal(site: Site, grid: Grid, src: ZonalSource, zones: ZoneMask[], outDir: string): Promise<Record<string, unknown>[]> {
  const pxArea = Math.abs(grid.transform[0] * grid.transform[4]);
  const indices = ["ndvi", site.changeIndex];
  const masks = zones.map((z) => z.mask);
  // rows[zone][year][index], filled a year at a time, listed zone by zone
  const rows: Record<string, unknown>[][][] = zones.map(() => src.years.map(() => []));
  for (const [k, year] of src.years.entries()) {
    const counts = src.change ? await classCountsInStrips(src.change.classes(year), masks, grid, src.rows) : null;
    for (const idx of indices) {
      const stats = await zoneStatsInStrips(src.index(year, idx), masks, grid, src.rows);
      zones.forEach((z, zi) => {
        const areas = counts && idx === "ndvi" ? classAreasOf(counts[zi]!, pxArea, CLASS_NAMES) : {};
        rows[zi]![k]!.push({ zone: z.name, kind: z.kind, year, index: idx, ...stats[zi]!, ...areas });
      });
    }
  }
  const out = rows.flat(2);
  if (src.change) out.push(...(await recoveryZonal(src.change, zones, grid, src.rows, src.years.at(-1)!)));
  const dir = join(outDir, "zonal");
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, "zonal.json"), `${JSON.stringify(out, null, 1)}\n`);
  const cols = ["zone", "kind", "year", "index", "mean", "p10", "p50", "p90", "count", "validFraction", "stable", "disturbed", "recovering", "restored"];
  const csv = [cols.join(","), ...out.map((r) => cols.map((k) => (r[k] === undefined || r[k] === null ? "" : JSON.stringify(r[k]))).join(","))].join("\n");
  await writeFileAtomic(join(dir, "zonal.csv"), `${csv}\n`);
  return out;
}

/** Recovery metrics per zone: statistics over the zone's disturbed pixels (last year's state). */
async function recoveryZonal(
  change: NonNullable<ZonalSource["change"]>,
  zones: ZoneMask[],
  grid: Grid,
  rows: number,
  year: number,
): Promise<Record<string, unknown>[]> {
  const disturbedInZones = zones.map(() => new Uint8Array(grid.width * grid.height));
  for (const { y: y0, height: h } of strips(wholeWindow(grid), rows)) {
    const disturbed = await change.disturbanceYear(y0, h);
    const at = y0 * grid.width;
    zones.forEach((z, zi) => {
      for (let i = 0; i < disturbed.length; i++) disturbedInZones[zi]![at + i] = z.mask[at + i] && disturbed[i]! > 0 ? 1 : 0;
    });
  }
  const names = ["r80p", "rri", "yryr", "magnitude"];
  const byZone: Record<string, unknown>[][] = zones.map(() => []);
  for (const name of names) {
    const stats = await zoneStatsInStrips(change.product(name), disturbedInZones, grid, rows);
    zones.forEach((z, zi) => {
      byZone[zi]!.push({ zone: z.name, kind: z.kind, year, index: name, ...stats[zi]! });
    });
  }
  return byZone.flat();
}

/** What a site run wrote, for its catalog: composite date keys, observation years, whether change products and truth exist. */
export interface RunContents {
  composites: string[];
  observations: number[];
  change: boolean;
  truthDir: string | null;
}

/**
 * catalog.json -> composites/, observations/ and change/ collections -> items: what this run
 * wrote (`contents`), not what the folders hold, so a rerun with fewer years lists no stale ones.
 */
export async function writeRunCatalog(site: Site, grid: Grid, outDir: string, simulated: boolean, contents: RunContents): Promise<void> {
  const { bbox } = footprint(grid);
  const years = [...contents.composites].sort();
  const compItems = years.map((y) => `./${y}/${y}.json`);
  await writeFileAtomic(
    join(outDir, "composites", "collection.json"),
    `${JSON.stringify(stacCollection({ id: `${site.key}-composites`, description: `${simulated ? "SIMULATED " : ""}annual composites of ${site.name.en}`, bbox, interval: [`${years[0]}-01-01T00:00:00Z`, `${years.at(-1)}-12-31T23:59:59Z`], itemHrefs: compItems, extra: { "reewatch:simulated": simulated } }), null, 1)}\n`,
  );
  const children = ["./composites/collection.json"];
  const obsYears = contents.observations.map(String).sort();
  if (obsYears.length) {
    const collection = stacCollection({
      id: `${site.key}-observations`,
      description: `${simulated ? "SIMULATED " : ""}index values of every scene of ${site.name.en}, one band per scene`,
      bbox,
      interval: [`${obsYears[0]}-01-01T00:00:00Z`, `${obsYears.at(-1)}-12-31T23:59:59Z`],
      itemHrefs: obsYears.map((y) => `./${y}/${y}.json`),
      extra: { "reewatch:simulated": simulated },
    });
    await writeFileAtomic(join(outDir, "observations", "collection.json"), `${JSON.stringify(collection, null, 1)}\n`);
    children.push("./observations/collection.json");
  }
  if (contents.change) {
    await writeFileAtomic(
      join(outDir, "change", "collection.json"),
      `${JSON.stringify(stacCollection({ id: `${site.key}-change`, description: `${simulated ? "SIMULATED " : ""}change and recovery of ${site.name.en}`, bbox, interval: [`${years[0]}-01-01T00:00:00Z`, `${years.at(-1)}-12-31T23:59:59Z`], itemHrefs: ["./change.json"], extra: { "reewatch:simulated": simulated } }), null, 1)}\n`,
    );
    children.push("./change/collection.json");
  }
  const truth = contents.truthDir !== null && (await readdir(join(outDir, "truth")).then((f) => f.includes("truth-item.json")));
  const cat = stacCatalog({
    id: `reewatch-${site.key}`,
    description: `${simulated ? "SIMULATED " : ""}reewatch run for ${site.name.en}`,
    children,
    // A SIMULATED site's planted truth, an item of the run like its products.
    ...(truth ? { items: ["./truth/truth-item.json"] } : {}),
    extra: { "reewatch:site": site.key, "reewatch:simulated": simulated },
  });
  await writeFileAtomic(join(outDir, "catalog.json"), `${JSON.stringify(cat, null, 1)}\n`);
}
