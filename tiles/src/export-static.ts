/**
 * `reewatch tiles`: a static copy of what the server offers, for any static host or object store:
 * per site, product and date one PMTiles archive (or, with format "xyz", a folder of tiles); the
 * COGs, STAC items and run records under the same stac/<site>/ paths the server uses, so the
 * viewer charts a clicked pixel by reading the COGs with range requests; api/sites.json (marked
 * static, with each site's grid); the reports and the built viewer.
 */
import { cp, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { StaticSite, StaticSites } from "../../common/api-types.ts";
import { crsDefinition, invertAffine, runEach } from "../../pipeline/src/index.ts";
import { siteGrid } from "./api.ts";
import { cog } from "./data-access.ts";
import { tileCover } from "./mercator.ts";
import { type PmTile, writePmtiles } from "./pmtiles-writer.ts";
import { encodeTile, renderTileRgba } from "./render.ts";
import { VIEWER_DIST } from "./server.ts";
import { indexSites, type ProductInfo, publicSite, type SiteInfo } from "./site-index.ts";

export type TileFormat = "pmtiles" | "xyz";

export interface ExportOptions {
  dir: string;
  out: string;
  minZoom: number;
  maxZoom: number;
  format: TileFormat;
  products?: string[];
  /** Layers (product and date) rendered at once, one per worker thread; 1 renders in this thread. */
  jobs?: number;
  log?: (l: string) => void;
  /** Told as each layer (site, product, date) is written, with how many of how many are done. */
  onLayer?: (e: { layer: string; tiles: number; done: number; total: number }) => void;
}

/** One product and date of a site to render and write: the task of a worker (exportLayer). */
interface LayerTask {
  site: SiteInfo;
  product: ProductInfo;
  date: string;
  o: Omit<ExportOptions, "log" | "onLayer">;
}

/** Renders and writes one layer; returns its tile count. Runs in a worker thread when jobs > 1. */
export async function exportLayer(t: LayerTask): Promise<number> {
  const rendered = await renderLayer(t.site, t.product, t.date, t.o);
  if (rendered.length) await writeLayer(t.o, t.site, t.product.key, t.date, rendered);
  return rendered.length;
}

/** Every layer of the sites, side by side in a worker-thread pool when jobs > 1 (each writes its own file). */
async function exportLayers(sites: SiteInfo[], o: ExportOptions): Promise<number> {
  // Functions cannot cross into a worker thread.
  const { log, onLayer, ...opts } = o;
  void log;
  const tasks: LayerTask[] = sites.flatMap((site) => site.products.flatMap((product) => product.dates.map((date) => ({ site, product, date, o: opts }))));
  let done = 0;
  const finished = (tiles: number, k: number) => {
    const t = tasks[k]!;
    onLayer?.({ layer: `${t.site.key} ${t.product.key} ${t.date}`, tiles, done: ++done, total: tasks.length });
  };
  if ((o.jobs ?? 1) <= 1) {
    let n = 0;
    for (const [k, t] of tasks.entries()) {
      const tiles = await exportLayer(t);
      finished(tiles, k);
      n += tiles;
    }
    return n;
  }
  const module = new URL("./export-static.ts", import.meta.url);
  const counts = await runEach<LayerTask, number>({ module, fn: "exportLayer", tasks, jobs: o.jobs ?? 1, onResult: finished });
  return counts.reduce((a, b) => a + b, 0);
}

export async function exportStatic(o: ExportOptions): Promise<{ tiles: number; files: number }> {
  const sites = await indexSites(o.dir);
  for (const s of sites) s.products = s.products.filter((p) => !o.products || o.products.includes(p.key));
  const tiles = await exportLayers(sites, o);
  const published: StaticSite[] = [];
  let files = 0;
  for (const s of sites) {
    files += await copyRunFiles(s, join(o.out, "stac", s.key));
    await cp(join(s.dir, "reports"), join(o.out, "reports", s.key), { recursive: true }).catch(() => {});
    published.push({ ...publicSite(s), grid: await staticGrid(s), runFiles: exportedRunFiles(s) });
    o.log?.(`${s.simulated ? "SIMULATED " : ""}${s.key}: ${s.products.length} products`);
  }
  const index: StaticSites = { static: true, tiles: o.format, minzoom: o.minZoom, maxzoom: o.maxZoom, sites: published };
  await mkdir(join(o.out, "api"), { recursive: true });
  await writeFile(join(o.out, "api", "sites.json"), JSON.stringify(index));
  await cp(VIEWER_DIST, o.out, { recursive: true }).catch(() => o.log?.("viewer/dist missing: run `npx vite build viewer` first"));
  return { tiles, files };
}

/** The PNG tiles of one product and date over the site's cover at each zoom (empty tiles left out). */
async function renderLayer(s: SiteInfo, p: ProductInfo, date: string, o: ExportOptions): Promise<PmTile[]> {
  const file = p.files[date]?.cog;
  if (!file) return [];
  const t = await cog(s.dir, file);
  const out: PmTile[] = [];
  for (let z = o.minZoom; z <= o.maxZoom; z++)
    for (const [x, y] of tileCover(s.bbox, z)) {
      const rgba = await renderTileRgba(t, z, x, y, { kind: p.kind, colormap: p.colormap, range: p.range });
      if (rgba) out.push({ z, x, y, data: await encodeTile(rgba, "png") });
    }
  return out;
}

async function writeLayer(o: ExportOptions, s: SiteInfo, product: string, date: string, tiles: PmTile[]): Promise<void> {
  const base = join(o.out, "tiles", s.key, product);
  if (o.format === "pmtiles") {
    await mkdir(base, { recursive: true });
    const name = `${s.simulated ? "SIMULATED " : ""}${s.name.en} ${product} ${date}`;
    const attribution = s.simulated ? "SIMULATED data (reewatch simulate)" : "Contains modified Copernicus Sentinel / USGS Landsat data";
    await writePmtiles(join(base, `${date}.pmtiles`), tiles, {
      bounds: s.bbox,
      center: [...s.center, s.zoom],
      tileType: "png",
      metadata: { name, attribution, type: "overlay", format: "png", simulated: s.simulated },
    });
    return;
  }
  for (const t of tiles) {
    const dir = join(base, date, String(t.z), String(t.x));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${t.y}.png`), t.data);
  }
}

/** What the static viewer needs to find a clicked pixel: the grid's CRS (as proj4 text) and its world-to-pixel affine. */
async function staticGrid(s: SiteInfo): Promise<StaticSite["grid"]> {
  const g = await siteGrid(s);
  return { crs: g.crs, proj4: crsDefinition(g.crs), toPixel: [...invertAffine(g.transform)], width: g.width, height: g.height };
}

/** The fits (when the change index is exported) and the observation stacks of exported indices. */
function exportedRunFiles(s: SiteInfo): SiteInfo["runFiles"] {
  const keys = new Set(s.products.map((p) => p.key));
  const observations: SiteInfo["runFiles"]["observations"] = {};
  for (const [year, byIndex] of Object.entries(s.runFiles.observations))
    observations[year] = Object.fromEntries(Object.entries(byIndex).filter(([index]) => keys.has(index)));
  return { fitted: keys.has(s.changeIndex) ? s.runFiles.fitted : {}, observations };
}

/** Copies the exported products' COGs and items, their fits and observation stacks and run.json; returns how many files. */
async function copyRunFiles(s: SiteInfo, to: string): Promise<number> {
  const run = exportedRunFiles(s);
  const wanted = new Set(["run.json", ...Object.values(run.fitted), ...Object.values(run.observations).flatMap(Object.values)]);
  for (const p of s.products) for (const f of Object.values(p.files)) wanted.add(f.cog).add(f.item);
  for (const rel of wanted) {
    await mkdir(dirname(join(to, rel)), { recursive: true });
    await cp(join(s.dir, rel), join(to, rel));
  }
  return wanted.size;
}
