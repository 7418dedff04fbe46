/**
 * Stage: annual composites. Scenes are grouped by season year; each year's valid observations go
 * through the site's reducer; indices are computed from the composite reflectance (as LandTrendr
 * and FORCE do), and written as COGs with a STAC item per year. Strip by strip: a year holds one
 * strip of each of its scenes at a time (YearCompositeWriter).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { CompositeResult } from "../composite/median.ts";
import { reducerFor } from "../composite/reducers.ts";
import { computeIndex } from "../indices/compute.ts";
import { applyRsei, RseiFit, type RseiModel } from "../indices/rsei.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid, Sensor } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { RunningStats } from "../stats.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { type CogDataType, type CogOptions, CogWriter, Inflight } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { StripSpill } from "../write/strip-spill.ts";
import { ThumbnailSampler } from "../write/thumbnail.ts";
import { assetFor, trueColorAsset, trueColorBytes } from "./scene-item.ts";
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

/** The year's item, which the catalog stage writes (a resumed run rewrites it from the job record). */
export interface CompositeYearResult {
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

/** One strip's observation of a scene, as the composite needs it. */
export interface StripInput {
  bands: Record<string, Float32Array>;
  valid: Uint8Array;
  datetime: string;
}

/** What the year's item says about each scene once every strip is read. */
export type SceneSummary = Pick<Observation, "sceneId" | "datetime" | "simulated" | "inputs" | "harmonization" | "maskedFraction">;

/** The year's composite of whole arrays (one strip: the whole grid). */
export async function compositeYear(o: CompositeYearOptions): Promise<CompositeYearResult> {
  const sensor = o.sensor ?? o.obs[0]?.sensor;
  const w = await YearCompositeWriter.open({ ...o, ...(sensor ? { sensor } : {}), simulated: o.obs.some((ob) => ob.simulated), observations: o.obs.length });
  try {
    await w.addStrip(0, o.grid.height, o.obs);
    return await w.finish(o.obs);
  } catch (err) {
    await w.abort();
    throw err;
  }
}

/** A year's composite products as full-width strips of the site grid go by, in row order. */
export interface YearCompositeOpen extends Omit<CompositeYearOptions, "obs"> {
  simulated: boolean;
  /** Scenes in the year (the count product's range). */
  observations: number;
}

/**
 * Writes a year's composite products strip by strip: the reducer, the indices, true colour, count
 * and day of year go straight to their COG writers; RSEI's components are parked on disk, since
 * its PCA spans the whole AOI (fitted in passes at the end: indices/rsei.ts). Memory is bounded by
 * a strip of every scene, not by the AOI.
 */
export class YearCompositeWriter {
  private readonly stats: Record<string, RunningStats> = {};
  /** The stack's sensor (one tasseled-cap set for every year), not this year's first scene's. */
  private readonly sensor: Sensor;

  private constructor(
    private readonly o: YearCompositeOpen,
    private readonly dir: string,
    private readonly names: string[],
    private readonly writers: Record<string, CogWriter>,
    private readonly rseiSpill: StripSpill,
    private readonly thumbnail: ThumbnailSampler,
    private readonly meta: YearMeta,
  ) {
    for (const name of names) this.stats[name] = new RunningStats();
    this.sensor = o.sensor ?? "sentinel-2";
  }

  static async open(o: YearCompositeOpen): Promise<YearCompositeWriter> {
    const dir = join(o.outDir, "composites", String(o.year));
    await mkdir(dir, { recursive: true });
    const names = [...new Set([...o.site.indices, ...o.extraIndices])];
    const meta = yearMeta(o.site, o.year, o.simulated);
    const writers = await openYearWriters(dir, o.grid, names, meta);
    const spill = await StripSpill.create(join(dir, "rsei"));
    return new YearCompositeWriter(o, dir, names, writers, spill, new ThumbnailSampler(o.grid.width, o.grid.height), meta);
  }

  /** Rows y0 .. y0 + rows - 1: every scene's strip, in the year's scene order. */
  async addStrip(y0: number, rows: number, obs: StripInput[]): Promise<void> {
    const { grid } = this.o;
    const r = reduceYear(this.o.site, grid.width * rows, obs);
    const valid = Uint8Array.from(r.count, (c) => (c > 0 ? 1 : 0));
    for (const name of this.names) {
      const v = computeIndex(indexByName(name), r.bands, valid, this.sensor);
      this.stats[name]!.add(v);
      await this.writers[name]!.writeRows(y0, [v]);
    }
    await this.rseiSpill.append(rseiComponents(r.bands, valid, this.sensor));
    const rgb = trueColorBytes(r.bands);
    this.thumbnail.addRows(y0, rows, rgb);
    await this.writers.truecolor!.writeRows(y0, rgb);
    await this.writers.count!.writeRows(y0, [r.count]);
    await this.writers.doy!.writeRows(y0, [r.doy]);
  }

  /** Closes the files, fits and writes RSEI, and returns the year's item. */
  async finish(scenes: SceneSummary[]): Promise<CompositeYearResult> {
    const { o, dir, meta } = this;
    for (const w of Object.values(this.writers)) await w.finish();
    const assets: Record<string, CogAsset> = {};
    for (const name of this.names) assets[name] = await indexAsset(dir, name, this.stats[name]!);
    try {
      const rsei = await writeRsei({ dir, grid: o.grid, spill: this.rseiSpill, meta, baseline: o.rsei ?? {}, year: o.year, assets });
      assets.truecolor = await trueColorAsset(dir);
      assets.count = await countAsset(dir, o.observations);
      assets.doy = await doyAsset(dir);
      const maskedFraction = scenes.length ? scenes.reduce((s, ob) => s + ob.maskedFraction, 0) / scenes.length : 1;
      const item = yearItem(o, scenes, { assets, thumbnail: await this.thumbnail.write(dir), rsei, maskedFraction });
      return { item: { path: `composites/${o.year}/${o.year}.json`, doc: item } };
    } finally {
      await this.rseiSpill.close();
    }
  }

  async abort(): Promise<void> {
    for (const w of Object.values(this.writers)) await w.abort();
    await this.rseiSpill.close();
  }
}

/** One writer per index, then true colour, count and day of year (the item's asset order). */
async function openYearWriters(dir: string, grid: Grid, names: string[], meta: YearMeta): Promise<Record<string, CogWriter>> {
  const inflight = new Inflight();
  const open = (name: string, type: CogDataType, bands: number, opts: CogOptions) =>
    CogWriter.create(join(dir, `${name}.tif`), grid, type, bands, { ...meta, ...opts, inflight });
  const writers: Record<string, CogWriter> = {};
  try {
    for (const name of names) writers[name] = await open(name, "float32", 1, { bandDescriptions: [name] });
    writers.truecolor = await open("truecolor", "uint8", 3, { nodata: 0, bandDescriptions: ["red", "green", "blue"] });
    const counted = { nodata: 0, overviewResampling: "nearest" as const };
    writers.count = await open("count", "uint16", 1, { ...counted, bandDescriptions: ["valid observations"] });
    writers.doy = await open("doy", "int16", 1, { ...counted, bandDescriptions: ["day of year of the observation closest to the median NDVI"] });
  } catch (err) {
    for (const w of Object.values(writers)) await w.abort();
    throw err;
  }
  return writers;
}

/** RSEI's inputs for a strip, in the spill's order: NDVI, wetness, NDBSI, [LST], then MNDWI. */
function rseiComponents(bands: Record<string, Float32Array>, valid: Uint8Array, sensor: Sensor): Float32Array[] {
  const comp = (name: string) => computeIndex(indexByName(name), bands, valid, sensor);
  const out = [comp("ndvi"), comp("tcw"), comp("ndbsi")];
  // Heat = the composite's surface temperature (Kelvin; min-max normalised like the others).
  if (bands.T) out.push(Float32Array.from(bands.T, (t, i) => (valid[i] ? t : Number.NaN)));
  out.push(comp("mndwi"));
  return out;
}

/** The spilled strip k as named components and MNDWI. */
async function rseiStrip(spill: StripSpill, k: number): Promise<{ comps: Record<string, Float32Array>; mndwi: Float32Array }> {
  const a = await spill.read(k);
  const comps: Record<string, Float32Array> = { ndvi: a[0]!, wet: a[1]!, ndbsi: a[2]! };
  if (a.length === 5) comps.lst = a[3]!;
  return { comps, mndwi: a.at(-1)! };
}

/** The site's reducer over a strip's valid observations (n pixels). */
function reduceYear(site: Site, n: number, obs: StripInput[]): CompositeResult {
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

/** An index's asset, with the statistics gathered as its strips were written. */
function indexAsset(dir: string, name: string, stats: RunningStats): Promise<CogAsset> {
  const def = indexByName(name);
  const meta = { name, title: def.title, range: def.range, colormap: def.colormap, unit: def.unit, description: def.description };
  return assetFor(dir, meta, stats.summary());
}

/** count.tif: how many valid observations went into each pixel. */
function countAsset(dir: string, observations: number): Promise<CogAsset> {
  const meta = {
    name: "count",
    title: "Valid observations",
    range: [0, Math.max(1, observations)] as [number, number],
    colormap: "viridis",
    dataType: "uint16" as const,
  };
  return assetFor(dir, meta, undefined);
}

/** doy.tif: the day of year of each pixel's representative observation. */
function doyAsset(dir: string): Promise<CogAsset> {
  const meta = {
    name: "doy",
    title: "Day of year of the representative observation",
    range: [1, 366] as [number, number],
    colormap: "viridis",
    dataType: "int16" as const,
  };
  return assetFor(dir, meta, undefined);
}

/** What the year wrote, for its STAC item. */
interface YearProducts {
  assets: Record<string, CogAsset>;
  thumbnail: Record<string, unknown>;
  rsei: RseiSummary;
  maskedFraction: number;
}

/** The year's STAC item: the season's time span, its products and where they came from. */
function yearItem(o: YearCompositeOpen, scenes: SceneSummary[], p: YearProducts): Record<string, unknown> {
  const { site, grid, year, simulated } = o;
  return stacItem({
    otherAssets: { thumbnail: p.thumbnail },
    id: `${site.key}-${year}`,
    grid,
    start: `${year}-${site.season.start}T00:00:00Z`,
    end: `${site.season.start <= site.season.end ? year : year + 1}-${site.season.end}T23:59:59Z`,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} ${year} median composite`,
    assets: p.assets,
    software: SOFTWARE_VERSION,
    derivedFrom: scenes.map((ob) => ob.inputs[0]!),
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:year": year,
      "reewatch:reducer": `${site.reducer} of the valid observations; indices from the composite bands`,
      "reewatch:harmonization": [...new Set(scenes.map((ob) => ob.harmonization))],
      "reewatch:masked_fraction": Math.round(p.maskedFraction * 1e6) / 1e6,
      "reewatch:rsei": p.rsei,
      "reewatch:observations": scenes.map((ob) => ({
        id: ob.sceneId,
        datetime: ob.datetime,
        masked_fraction: Math.round(ob.maskedFraction * 1e4) / 1e4,
      })),
    },
  });
}

/** Where RSEI's spilled components are and where its products go. */
interface WriteRseiOptions {
  dir: string;
  grid: Grid;
  spill: StripSpill;
  meta: YearMeta;
  baseline: RseiBaseline;
  year: number;
  /** The year's assets, to which rsei and rsei_fixed are added. */
  assets: Record<string, CogAsset>;
}

type RseiSummary = Awaited<ReturnType<typeof writeRsei>>;

/** Fits the year's RSEI in passes over the spilled strips (indices/rsei.ts). */
async function fitYearRsei(spill: StripSpill): Promise<RseiModel> {
  const first = await rseiStrip(spill, 0);
  const fit = new RseiFit(Object.keys(first.comps));
  for (const pass of ["addRanges", "addMoments", "addPc1"] as const) {
    if (pass === "addPc1") fit.solve();
    for (let k = 0; k < spill.count; k++) {
      const { comps, mndwi } = await rseiStrip(spill, k);
      fit[pass](comps, mndwi);
    }
  }
  return fit.model();
}

/** RSEI of the year (its own PCA) and with the baseline year's loadings; the model goes in the item. */
async function writeRsei(o: WriteRseiOptions) {
  const { dir, grid, spill, meta, baseline, year, assets } = o;
  const model = await fitYearRsei(spill);
  baseline.model ??= model;
  baseline.year ??= year;
  const products: [string, RseiModel, string][] = [
    ["rsei", model, `${model.label}, loadings of ${year}`],
    ["rsei_fixed", baseline.model, `${model.label}, loadings fixed from the baseline year ${baseline.year}`],
  ];
  for (const [name, m, title] of products) {
    const w = await CogWriter.create(join(dir, `${name}.tif`), grid, "float32", 1, { ...meta, bandDescriptions: [title] });
    try {
      for (let k = 0, y0 = 0; k < spill.count; k++) {
        const { comps, mndwi } = await rseiStrip(spill, k);
        const v = applyRsei(comps, mndwi, m);
        await w.writeRows(y0, [v]);
        y0 += v.length / grid.width;
      }
      await w.finish();
    } catch (err) {
      await w.abort();
      throw err;
    }
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
