/**
 * Stage: annual composites. Scenes are grouped by season year; each year's valid observations go
 * through the median reducer; indices are computed from the composite reflectance (as LandTrendr
 * and FORCE do), and written as COGs with a STAC item per year.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { CompositeResult } from "../composite/median.ts";
import { reducerFor } from "../composite/reducers.ts";
import { computeIndex } from "../indices/compute.ts";
import { applyRsei, fitRsei, type RseiModel } from "../indices/rsei.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid, Sensor } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { RunningStats } from "../stats.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { assetFor, writeTrueColor } from "./scene-item.ts";
import { OBSERVATION_BANDS, type Observation } from "./site-observations.ts";

export interface YearComposite {
  year: number;
  /** Index name -> values on the site grid (NaN = no valid observation). */
  index: Record<string, Float32Array>;
}

/** A STAC item to be written at `path` (relative to the run directory) by the run's catalog stage. */
export interface PendingItem {
  path: string;
  doc: Record<string, unknown>;
}

/** The year's composite, and its item, which the catalog stage writes (a resumed run rewrites it from the job record). */
export interface CompositeYearResult {
  composite: YearComposite;
  item: PendingItem;
}

/** RSEI loadings of the first composite year, reused so later years are comparable. */
export interface RseiBaseline {
  year?: number;
  model?: RseiModel;
}

/** What one year's composite is made from, and where it goes. */
export interface CompositeYearOptions {
  site: Site;
  grid: Grid;
  year: number;
  obs: Observation[];
  outDir: string;
  extraIndices: string[];
  /** Shared by every year of the run: the first year fills it. */
  rsei?: RseiBaseline;
  sensor?: Sensor;
}

/** COG metadata shared by every product of the year. */
interface YearMeta {
  metadata: Record<string, string>;
}

export async function compositeYear(o: CompositeYearOptions): Promise<CompositeYearResult> {
  const { site, grid, year, obs } = o;
  const baseline = o.rsei ?? {};
  const r = reduceYear(site, grid, obs);
  const valid = Uint8Array.from(r.count, (c) => (c > 0 ? 1 : 0));
  // The stack's sensor (one tasseled-cap set for every year), not this year's first scene's.
  const sensor = o.sensor ?? obs[0]?.sensor ?? "sentinel-2";
  const names = [...new Set([...site.indices, ...o.extraIndices])];
  const index: Record<string, Float32Array> = {};
  for (const name of names) index[name] = computeIndex(indexByName(name), r.bands, valid, sensor);
  const dir = join(o.outDir, "composites", String(year));
  await mkdir(dir, { recursive: true });
  const meta = yearMeta(
    site,
    year,
    obs.some((ob) => ob.simulated),
  );
  const assets = await writeIndexCogs(dir, grid, names, index, meta);
  const rsei = await writeRsei({ dir, grid, bands: r.bands, valid, sensor, meta, baseline, year, assets });
  const tc = await writeTrueColor(dir, grid, r.bands, meta.metadata);
  assets.truecolor = tc.asset;
  assets.count = await writeCount(dir, grid, r.count, obs.length, meta);
  assets.doy = await writeDoy(dir, grid, r.doy, meta);
  const maskedFraction = obs.length ? obs.reduce((s, ob) => s + ob.maskedFraction, 0) / obs.length : 1;
  const item = yearItem(o, { assets, thumbnail: tc.thumbnail, rsei, maskedFraction });
  return { composite: { year, index }, item: { path: `composites/${year}/${year}.json`, doc: item } };
}

/** The site's reducer over the year's valid observations. */
function reduceYear(site: Site, grid: Grid, obs: Observation[]): CompositeResult {
  const n = grid.width * grid.height;
  // Thermal is composited only when every observation of the year has it (a Landsat-only stack).
  const thermal = obs.length > 0 && obs.every((o) => o.bands.T);
  const reducer = reducerFor(site.reducer, n, thermal ? [...OBSERVATION_BANDS, "T"] : [...OBSERVATION_BANDS]);
  for (const o of obs) reducer.feed(o.bands, o.valid, o.datetime);
  return reducer.result();
}

function yearMeta(site: Site, year: number, simulated: boolean): YearMeta {
  return {
    metadata: {
      REEWATCH_SITE: site.key,
      REEWATCH_YEAR: String(year),
      ...(simulated ? { SIMULATED: "true" } : {}),
    },
  };
}

/** One COG per index, with its asset (in `names` order, which is the item's asset order). */
async function writeIndexCogs(dir: string, grid: Grid, names: string[], index: Record<string, Float32Array>, meta: YearMeta) {
  const assets: Record<string, CogAsset> = {};
  for (const name of names) {
    const def = indexByName(name);
    await writeCog(join(dir, `${name}.tif`), grid, [index[name]!], { ...meta, bandDescriptions: [name] });
    const st = new RunningStats();
    st.add(index[name]!);
    assets[name] = await assetFor(
      dir,
      {
        name,
        title: def.title,
        range: def.range,
        colormap: def.colormap,
        unit: def.unit,
        description: def.description,
      },
      st.summary(),
    );
  }
  return assets;
}

/** count.tif: how many valid observations went into each pixel. */
async function writeCount(dir: string, grid: Grid, count: Uint16Array, observations: number, meta: YearMeta): Promise<CogAsset> {
  await writeCog(join(dir, "count.tif"), grid, [count], {
    ...meta,
    nodata: 0,
    overviewResampling: "nearest",
    bandDescriptions: ["valid observations"],
  });
  return assetFor(
    dir,
    {
      name: "count",
      title: "Valid observations",
      range: [0, Math.max(1, observations)],
      colormap: "viridis",
      dataType: "uint16",
    },
    undefined,
  );
}

/** doy.tif: the day of year of each pixel's representative observation. */
async function writeDoy(dir: string, grid: Grid, doy: Int16Array, meta: YearMeta): Promise<CogAsset> {
  await writeCog(join(dir, "doy.tif"), grid, [doy], {
    ...meta,
    nodata: 0,
    overviewResampling: "nearest",
    bandDescriptions: ["day of year of the observation closest to the median NDVI"],
  });
  return assetFor(
    dir,
    {
      name: "doy",
      title: "Day of year of the representative observation",
      range: [1, 366],
      colormap: "viridis",
      dataType: "int16",
    },
    undefined,
  );
}

/** What the year wrote, for its STAC item. */
interface YearProducts {
  assets: Record<string, CogAsset>;
  thumbnail: Record<string, unknown>;
  rsei: RseiSummary;
  maskedFraction: number;
}

/** The year's STAC item: the season's time span, its products and where they came from. */
function yearItem(o: CompositeYearOptions, p: YearProducts): Record<string, unknown> {
  const { site, grid, year, obs } = o;
  const simulated = obs.some((ob) => ob.simulated);
  return stacItem({
    otherAssets: { thumbnail: p.thumbnail },
    id: `${site.key}-${year}`,
    grid,
    start: `${year}-${site.season.start}T00:00:00Z`,
    end: `${site.season.start <= site.season.end ? year : year + 1}-${site.season.end}T23:59:59Z`,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} ${year} median composite`,
    assets: p.assets,
    software: SOFTWARE_VERSION,
    derivedFrom: obs.map((ob) => ob.inputs[0]!),
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:year": year,
      "reewatch:reducer": `${site.reducer} of the valid observations; indices from the composite bands`,
      "reewatch:harmonization": [...new Set(obs.map((ob) => ob.harmonization))],
      "reewatch:masked_fraction": Math.round(p.maskedFraction * 1e6) / 1e6,
      "reewatch:rsei": p.rsei,
      "reewatch:observations": obs.map((ob) => ({
        id: ob.sceneId,
        datetime: ob.datetime,
        masked_fraction: Math.round(ob.maskedFraction * 1e4) / 1e4,
      })),
    },
  });
}

/** The year's composite bands and where RSEI's products go. */
interface WriteRseiOptions {
  dir: string;
  grid: Grid;
  bands: Record<string, Float32Array>;
  valid: Uint8Array;
  sensor: Observation["sensor"];
  meta: YearMeta;
  baseline: RseiBaseline;
  year: number;
  /** The year's assets, to which rsei and rsei_fixed are added. */
  assets: Record<string, CogAsset>;
}

type RseiSummary = Awaited<ReturnType<typeof writeRsei>>;

/** RSEI of the year (its own PCA) and with the baseline year's loadings; the model goes in the item. */
async function writeRsei(o: WriteRseiOptions) {
  const { dir, grid, bands, valid, sensor, meta, baseline, year, assets } = o;
  const comp = (name: string) => computeIndex(indexByName(name), bands, valid, sensor);
  const comps: Record<string, Float32Array> = { ndvi: comp("ndvi"), wet: comp("tcw"), ndbsi: comp("ndbsi") };
  // Heat = the composite's surface temperature (Kelvin; min-max normalised like the others).
  if (bands.T) comps.lst = Float32Array.from(bands.T, (t, i) => (valid[i] ? t : Number.NaN));
  const mndwi = comp("mndwi");
  const model = fitRsei(comps, mndwi);
  baseline.model ??= model;
  baseline.year ??= year;
  const products: [string, RseiModel, string][] = [
    ["rsei", model, `${model.label}, loadings of ${year}`],
    ["rsei_fixed", baseline.model, `${model.label}, loadings fixed from the baseline year ${baseline.year}`],
  ];
  for (const [name, m, title] of products) {
    await writeCog(join(dir, `${name}.tif`), grid, [applyRsei(comps, mndwi, m)], {
      ...meta,
      bandDescriptions: [title],
    });
    assets[name] = await assetFor(
      dir,
      {
        name,
        title,
        range: [0, 1],
        colormap: "recovery",
        description: "Remote Sensing Ecological Index (Xu 2013): 0 poor, 1 good ecological condition, relative to this site",
      },
      undefined,
    );
  }
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    label: model.label,
    components: model.components,
    loadings: model.loadings.map(round),
    pc1_variance_share: round(model.varianceShare),
    sign_flipped: model.signFlipped,
    baseline_year: baseline.year,
    baseline_loadings: baseline.model.loadings.map(round),
  };
}
