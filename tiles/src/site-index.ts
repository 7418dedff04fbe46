/**
 * The sites a server (or a static export) offers, read from run directories through their STAC
 * items and site.json: products per date, their declared range and colour map, zones, claims.
 */
import { access, readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { ClaimSummary, ProductInfo, PublicSite, RunFiles } from "../../common/api-types.ts";
import { parseAoi, type RunCatalog, type RunItem, readRunCatalog, ringsBounds } from "../../pipeline/src/index.ts";

export type { ProductInfo };

/** A site as the server knows it: the public description plus its run directory. */
export interface SiteInfo extends PublicSite {
  dir: string;
  /** Server-side files from the run's catalog, relative to `dir`. */
  runFiles: RunFiles;
}

const ZH: Record<string, string> = {
  truecolor: "真彩色",
  rsei: "遥感生态指数",
  rsei_fixed: "遥感生态指数（固定载荷）",
  ndvi: "归一化植被指数",
  nbr: "归一化燃烧比",
  bsi: "裸土指数",
  ndmi: "归一化水分指数",
  mndwi: "改进归一化水体指数",
  tcw: "缨帽湿度",
  classes: "变化类别",
  disturbance_year: "扰动年份",
  r80p: "恢复程度 R80P",
  magnitude: "扰动强度",
  ts_slope: "NDVI 趋势",
  dndvi: "NDVI 变化",
  disturbed: "扰动区域",
};
const KEEP_SINGLE = ["disturbance_year", "magnitude", "r80p", "ts_slope", "recovery_rate", "dndvi", "disturbed"];

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8"));
}

/** The members of a run's site.json (its copy of the site definition, pipeline/src/site/schema.ts) that the index reads. */
interface SiteJson extends SiteOutlines {
  key: string;
  name: { en: string; zh: string };
  simulated: boolean;
  changeIndex: string;
  mode?: "annual" | "pair";
  season?: { start?: string; end?: string };
}

/** The member of run.json (pipeline/src/run/manifest.ts) the index reads. */
interface RunJson {
  software?: { version?: string };
}

/** The members of a claim report (reports/<id>/report.json) the index reads. */
interface ReportJson {
  claim: { text?: string };
  verdict: string;
  measured: ClaimSummary["measured"];
}

/** Run directories under `dir` (or `dir` itself), each with catalog.json and site.json. */
export async function indexSites(dir: string): Promise<SiteInfo[]> {
  const isRun = (d: string) =>
    access(join(d, "site.json"))
      .then(() => access(join(d, "catalog.json")))
      .then(
        () => true,
        () => false,
      );
  const dirs = (await isRun(dir)) ? [dir] : [];
  if (!dirs.length)
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory() && (await isRun(join(dir, e.name)))) dirs.push(join(dir, e.name));
  return Promise.all(dirs.map(siteInfo));
}

async function siteInfo(dir: string): Promise<SiteInfo> {
  const site = (await readJson(join(dir, "site.json"))) as SiteJson;
  const catalog = await readRunCatalog(dir);
  const products = productsOf(catalog);
  const dates = catalog.composites.map((c) => c.key);
  const aoi = parseAoi(site.aoi);
  const [w, s, e, n] = ringsBounds(aoi.polygons);
  const claims = await claimsOf(dir, site.key);
  const run = (await readJson(join(dir, "run.json")).catch(() => ({ software: { version: "?" } }))) as RunJson;
  return {
    key: site.key,
    dir,
    runFiles: runFilesOf(catalog),
    name: site.name,
    simulated: site.simulated,
    bbox: [w, s, e, n],
    center: [(w + e) / 2, (s + n) / 2],
    zoom: Math.max(8, Math.min(15, Math.round(Math.log2(360 / (e - w))) + 1)),
    dates,
    products,
    zones: zonesOf(site),
    claims,
    changeIndex: site.changeIndex,
    ...(site.season?.start && site.season?.end && site.mode !== "pair" ? { season: { start: site.season.start, end: site.season.end } } : {}),
    provenance: { software: `reewatch ${run.software?.version ?? "?"}`, run: `/stac/${site.key}/run.json` },
  };
}

/** A STAC asset of a run's item, as the run's catalog reader types it. */
type StacAsset = RunItem["item"]["assets"][string];

/** The fields of a STAC asset that describe a map layer, as the pipeline writes them. */
interface LayerAsset extends StacAsset {
  title?: string;
  "raster:bands"?: { unit?: string }[];
  "reewatch:colormap": string;
  "reewatch:range": [number, number];
}

/** One map layer at one date: a STAC asset of an item file. */
interface ProductEntry {
  key: string;
  asset: LayerAsset;
  date: string;
  itemFile: string;
  kind?: ProductInfo["kind"];
}

/** The run's map layers in catalog order: composite products per date, then the change products. */
function productsOf(catalog: RunCatalog): ProductInfo[] {
  const products = new Map<string, ProductInfo>();
  const add = ({ key, asset: a, date, itemFile, kind }: ProductEntry) => {
    const p: ProductInfo = products.get(key) ?? newProduct(key, a, kind);
    p.dates.push(date);
    p.files[date] = { cog: inRun(catalog.dir, itemFile, a.href), item: inRun(catalog.dir, itemFile) };
    products.set(key, p);
  };
  for (const { key: d, item, file } of catalog.composites) {
    // Map layers are the COG products; a thumbnail (or any other browse file) is not one.
    for (const [k, a] of Object.entries(item.assets))
      if (!["count", "doy"].includes(k) && String(a.type).includes("geotiff")) add({ key: k, asset: a as LayerAsset, date: d, itemFile: file });
  }
  const change = catalog.change;
  if (change)
    for (const [k, a] of Object.entries(change.item.assets)) {
      const m = /^class_(\d{4})$/.exec(k);
      if (m) add({ key: "classes", asset: { ...(a as LayerAsset), title: "Change classes" }, date: m[1]!, itemFile: change.file, kind: "categorical" });
      else if (KEEP_SINGLE.includes(k))
        add({ key: k, asset: a as LayerAsset, date: "-", itemFile: change.file, kind: k === "disturbed" ? "categorical" : undefined });
    }
  return [...products.values()];
}

/** A product with no dates yet, described by its first asset (`kind` overrides the colour map's). */
function newProduct(key: string, a: LayerAsset, kind: ProductInfo["kind"] | undefined): ProductInfo {
  return {
    key,
    label: { en: a.title ?? key, zh: ZH[key] ?? a.title ?? key },
    unit: a["raster:bands"]?.[0]?.unit ?? "",
    kind: kind ?? (a["reewatch:colormap"] === "rgb" ? "rgb" : a["reewatch:colormap"] === "classes" ? "categorical" : "continuous"),
    range: a["reewatch:range"],
    colormap: a["reewatch:colormap"] === "rgb" ? "rgb" : a["reewatch:colormap"],
    dates: [] as string[],
    files: {},
  };
}

/** The claims checked for the site: reports/<id>/report.json, by id; unreadable reports are left out. */
async function claimsOf(dir: string, siteKey: string): Promise<ClaimSummary[]> {
  const reports = join(dir, "reports");
  const claims: ClaimSummary[] = [];
  for (const id of (await readdir(reports).catch(() => [] as string[])).sort()) {
    const r = (await readJson(join(reports, id, "report.json")).catch(() => null)) as ReportJson | null;
    if (r)
      claims.push({
        id,
        text: r.claim.text ?? id,
        verdict: r.verdict,
        measured: r.measured,
        report: `/reports/${siteKey}/${id}/report.html`,
      });
  }
  return claims;
}

/** The outlines of site.json that the map draws. */
interface SiteOutlines {
  aoi: unknown;
  zones: { geometry: unknown; name: string; outsideAoi?: boolean }[];
  controls: { geometry: unknown; name: string }[];
}

/** The AOI, the zones inside it and the control areas as one GeoJSON FeatureCollection. */
function zonesOf(site: SiteOutlines): PublicSite["zones"] {
  return {
    type: "FeatureCollection",
    features: [
      feature(site.aoi, "AOI", "aoi"),
      // Zones flagged outsideAoi are listed in reports but not mapped.
      ...site.zones.filter((z) => !z.outsideAoi).map((z) => feature(z.geometry, z.name, "zone")),
      ...site.controls.map((z) => feature(z.geometry, z.name, "control")),
    ],
  };
}

/** A GeoJSON Feature named and kinded for the map's outline layers. */
function feature(geometry: unknown, name: string, kind: string) {
  return {
    type: "Feature",
    properties: { name, kind },
    geometry,
  };
}

/** An item file (or, with `href`, an asset of that item) as a path relative to the run directory, with "/". */
function inRun(runDir: string, itemFile: string, href?: string): string {
  return relative(runDir, href === undefined ? itemFile : resolve(dirname(itemFile), href))
    .split(sep)
    .join("/");
}

/** The change item's fits and the observation stacks, by year (and index), relative to the run directory. */
function runFilesOf(catalog: RunCatalog): SiteInfo["runFiles"] {
  const fitted: Record<string, string> = {};
  for (const [k, a] of Object.entries(catalog.change?.item.assets ?? {})) {
    const m = /^fitted_(\d{4})$/.exec(k);
    if (m) fitted[m[1]!] = inRun(catalog.dir, catalog.change!.file, a.href);
  }
  const observations: Record<string, Record<string, string>> = {};
  for (const o of catalog.observations)
    observations[o.key] = Object.fromEntries(Object.entries(o.item.assets ?? {}).map(([k, a]) => [k, inRun(catalog.dir, o.file, a.href)]));
  return { fitted, observations };
}

/** The COG behind a product and date, relative to the run directory (from the run's catalog). */
export function productPath(site: SiteInfo, product: string, date: string): string | null {
  return site.products.find((q) => q.key === product)?.files[date]?.cog ?? null;
}

/** The public JSON of a site (no server paths). */
export function publicSite(s: SiteInfo): PublicSite {
  const { dir, runFiles, ...rest } = s;
  void dir;
  void runFiles;
  return rest;
}
