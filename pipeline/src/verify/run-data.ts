/** What `verify` reads from a run directory: the site, the grid, rasters found through the run's catalog, the records. */

import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { BadParameter } from "../errors.ts";
import type { Affine, Grid } from "../raster.ts";
import { readWhole } from "../read/geotiff.ts";
import { type RunItem, readRunCatalog } from "../read/run-catalog.ts";
import type { ManifestInput } from "../run/manifest.ts";
import { loadTruth, type TruthLabels } from "../run/truth-labels.ts";
import { type Site, SiteSchema } from "../site/site.ts";

export interface RunData {
  dir: string;
  site: Site;
  grid: Grid;
  years: number[];
  /** Composite folder names: years, or ISO dates for a before/after pair. */
  dates: string[];
  maskedFraction: Record<string, number>;
  zonal: Record<string, unknown>[];
  runJson: RunJson;
  truth: TruthLabels | null;
  /** A raster's file relative to the run, as the catalog links it: a composite's product of a date, or an asset of the change item. */
  file(asset: AssetRef): string;
  raster(rel: string): Promise<Float32Array>;
  /** Every band of a multiband raster (true colour). */
  bands(rel: string): Promise<ArrayLike<number>[]>;
}

export type AssetRef = { composite: string; product: string } | { change: string };

/** The parts of run.json a report cites (run/manifest.ts writes it). */
export interface RunJson {
  key?: string;
  command?: string;
  software?: { version?: string };
  parameters?: Record<string, unknown>;
  inputs?: ManifestInput[];
}

/** The properties of a composite item that give the run's grid (write/stac.ts writes them). */
type CompositeProperties = {
  "reewatch:masked_fraction": number;
  "proj:code": string;
  "proj:transform": Affine;
  "proj:shape": [number, number];
};

async function json(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new BadParameter(`--run: ${what} ${path} is missing or unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export async function loadRun(dir: string): Promise<RunData> {
  const siteJson = await json(join(dir, "site.json"), "site definition");
  const parsed = SiteSchema.safeParse(siteJson);
  if (!parsed.success) throw new BadParameter(`--run ${dir}: site.json is not a valid site definition`);
  const site = { ...parsed.data, path: join(dir, "site.json") };
  const catalog = await readRunCatalog(dir);
  const composites = catalog.composites;
  const dates = composites.map((c) => c.key);
  const years = dates.filter((d) => /^\d{4}$/.test(d)).map(Number);
  if (dates.length === 0) throw new BadParameter(`--run ${dir}: its catalog lists no composites: is this a reewatch run directory?`);
  const maskedFraction: Record<string, number> = {};
  let grid: Grid | undefined;
  for (const { key: y, item } of composites) {
    const p = item.properties as CompositeProperties;
    maskedFraction[y] = p["reewatch:masked_fraction"];
    grid ??= {
      crs: p["proj:code"],
      transform: p["proj:transform"],
      width: p["proj:shape"][1],
      height: p["proj:shape"][0],
    };
  }
  const cache = new Map<string, Float32Array>();
  return {
    dir,
    site,
    grid: grid!,
    years,
    dates,
    maskedFraction,
    zonal: (await json(join(dir, "zonal", "zonal.json"), "zonal table").catch(() => [])) as Record<string, unknown>[],
    runJson: (await json(join(dir, "run.json"), "run manifest")) as RunJson,
    truth: await loadTruth(join(dir, "truth")),
    file: (ref) => assetFile(dir, ref, composites, catalog.change),
    bands: (rel) => readWhole(join(dir, rel)),
    async raster(rel) {
      const hit = cache.get(rel);
      if (hit) return hit;
      const [a] = await readWhole(join(dir, rel), [0]).catch(() => {
        throw new BadParameter(`--run ${dir}: ${rel} is missing (run 'reewatch run' for this site first)`);
      });
      const f = a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>);
      cache.set(rel, f);
      return f;
    },
  };
}

/** The run-relative file of an asset, from the href of its item (docs/outputs.md: outputs are found through catalog.json). */
function assetFile(dir: string, ref: AssetRef, composites: RunItem[], change: RunItem | null): string {
  const owner = "change" in ref ? change : composites.find((c) => c.key === ref.composite);
  const key = "change" in ref ? ref.change : ref.product;
  const what = "change" in ref ? `the change item's "${key}"` : `composite ${ref.composite}'s "${key}"`;
  const href = owner?.item.assets[key]?.href;
  if (!owner || !href) throw new BadParameter(`--run ${dir}: the catalog has no ${what} (run 'reewatch run' for this site first)`);
  return relative(resolve(dir), resolve(dirname(owner.file), href));
}
