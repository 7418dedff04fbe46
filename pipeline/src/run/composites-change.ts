/**
 * `reewatch change` on annual composites users bring (or a run's): segmentation and trend per
 * pixel, written the way a site run writes its change/ folder. One commented line per stage.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type ChangeMaps, changeMaps, lossSign } from "../change/pixel-change.ts";
import { BadParameter } from "../errors.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid } from "../raster.ts";
import { readAnnualComposites } from "../read/annual-composites.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { footprint, stacCatalog, stacCollection, stacItem } from "../write/stac.ts";
import { finishCatalogAt } from "../write/stac-tree.ts";
import { changeProducts } from "./change-products.ts";
import { RunManifest } from "./manifest.ts";
import { ensureOutDir } from "./out-dir.ts";
import { loadPolygonMasks } from "./polygon-masks.ts";
import { writeProducts } from "./product-table.ts";
import { CHANGE_RULES } from "./site-change.ts";

export interface CompositesChangeOptions {
  composites: string;
  index: string;
  /** Polygon file (GeoJSON, EPSG:4326 or its `crs` member's CRS): only pixels inside are segmented. */
  aoi?: string;
  /** Minimum loss; default: the run's site value for a run directory, else the site-run default. */
  minMagnitude?: number;
  out: string;
}

/** LandTrendr's minObservationsNeeded: fewer years cannot be segmented. */
const MIN_YEARS = 6;

export async function runCompositesChange(o: CompositesChangeOptions): Promise<RunManifest> {
  const index = indexByName(o.index).name;
  const sign = lossSign(index);
  await ensureOutDir(o.out);
  // 1. the composites: band files (index computed here) or a run directory's index COGs
  const c = await readAnnualComposites(o.composites, [index]);
  if (c.years.length < MIN_YEARS) throw new BadParameter(`--composites ${o.composites}: ${c.years.length} years; segmentation needs at least ${MIN_YEARS}`);
  const minMagnitude = o.minMagnitude ?? c.site?.minMagnitude ?? CHANGE_RULES.minMagnitude;
  const m = new RunManifest("change", { composites: o.composites, layout: c.layout, index, aoi: o.aoi ?? null, minMagnitude, years: c.years });
  await m.addInputFiles("composites", c.files, "composite");
  // 2. the pixels to segment: inside the AOI polygons, or all of them
  const mask = o.aoi ? await aoiMask(o.aoi, c.grid) : new Uint8Array(c.grid.width * c.grid.height).fill(1);
  if (o.aoi) await m.addInputFiles("aoi", [o.aoi], "aoi");
  // 3. segmentation (loss oriented positive) and trend of the index, per pixel
  const maps = await m.stage("change", () => changeMaps(c.years, c.index[index]!, sign, mask, minMagnitude));
  // 4. COGs, the STAC item, collection and catalog, run.json
  await m.stage("write", () => writeChangeFolder(o.out, c.grid, maps, index, minMagnitude, o.composites));
  m.outputs.push("catalog.json", "change/");
  await m.write(join(o.out, "run.json"));
  return m;
}

async function aoiMask(path: string, grid: Grid): Promise<Uint8Array> {
  const { polygons } = await loadPolygonMasks(path, grid, "--aoi");
  const mask = new Uint8Array(grid.width * grid.height);
  for (const p of polygons) for (let i = 0; i < mask.length; i++) mask[i] ||= p.mask[i]!;
  return mask;
}

export function changeRulesText(index: string, minMagnitude: number): string {
  const I = index.toUpperCase();
  return (
    `LandTrendr-style segmentation (Kennedy et al. 2010; parameters of docs/science.md, Compositing and time series) of annual ${I}, oriented so vegetation loss is positive. ` +
    `disturbance_year: first year of the disturbed state of the greatest loss segment with magnitude >= ${minMagnitude} (no-data 0 where there is none). ` +
    `magnitude: ${I} pre minus post over that segment (the dNBR sign convention of Key & Benson 2006: positive = loss). duration: years of the segment. ` +
    `fitted_<year>: the segmentation fit in ${I} units. ts_slope, mk_p: Theil-Sen slope (per year) and Mann-Kendall two-sided p of ${I}.`
  );
}

async function writeChangeFolder(out: string, grid: Grid, maps: ChangeMaps, index: string, minMagnitude: number, source: string): Promise<void> {
  const dir = join(out, "change");
  await mkdir(dir, { recursive: true });
  const rules = changeRulesText(index, minMagnitude);
  const assets = await writeProducts(dir, grid, changeProducts(maps, index), { REEWATCH_RULES: rules });
  const [y0, y1] = [maps.years[0]!, maps.years.at(-1)!];
  const interval: [string, string] = [`${y0}-01-01T00:00:00Z`, `${y1}-12-31T23:59:59Z`];
  const item = stacItem({
    id: "change",
    grid,
    start: interval[0],
    end: interval[1],
    title: `Change of ${index.toUpperCase()} ${y0}-${y1}`,
    assets,
    software: SOFTWARE_VERSION,
    properties: {
      "reewatch:rules": rules,
      "reewatch:index": index,
      "reewatch:min_magnitude": minMagnitude,
      "reewatch:composites": source,
      "reewatch:segmentation": "LandTrendr-style (Kennedy et al. 2010), parameters of docs/science.md, Compositing and time series",
    },
  });
  await writeFileAtomic(join(dir, "change.json"), `${JSON.stringify(item, null, 1)}\n`);
  const { bbox } = footprint(grid);
  const coll = stacCollection({
    id: "change",
    description: `change of ${index.toUpperCase()} from annual composites`,
    bbox,
    interval,
    itemHrefs: ["./change.json"],
  });
  await writeFileAtomic(join(dir, "collection.json"), `${JSON.stringify(coll, null, 1)}\n`);
  const cat = stacCatalog({ id: "reewatch-change", description: `reewatch change of ${source}`, children: ["./change/collection.json"] });
  await writeFileAtomic(join(out, "catalog.json"), `${JSON.stringify(cat, null, 1)}\n`);
  await finishCatalogAt(out, `Derived from the annual composites in ${source}; their sources' terms apply.`);
}
