/**
 * Stage: annual composites. Scenes are grouped by season year; each year's valid observations go
 * through the median reducer; indices are computed from the composite reflectance (as LandTrendr
 * and FORCE do), and written as COGs with a STAC item per year.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { reducerFor } from "../composite/reducers.ts";
import { computeIndex } from "../indices/compute.ts";
import { applyRsei, fitRsei, type RseiModel } from "../indices/rsei.ts";
import { indexByName } from "../indices/table.ts";
import type { Grid, Sensor } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { RunningStats } from "../stats.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { assetFor, writeTrueColor } from "./scene-item.ts";
import { OBSERVATION_BANDS, type Observation } from "./site-observations.ts";

export interface YearComposite {
  year: number;
  /** Index name -> values on the site grid (NaN = no valid observation). */
  index: Record<string, Float32Array>;
  count: Uint16Array;
  /** Mean masked fraction of the AOI over the year's observations. */
  maskedFraction: number;
  observations: { sceneId: string; datetime: string; maskedFraction: number }[];
}

/** RSEI loadings of the first composite year, reused so later years are comparable. */
export interface RseiBaseline {
  year?: number;
  model?: RseiModel;
}

export async function compositeYear(
  site: Site,
  grid: Grid,
  year: number,
  obs: Observation[],
  outDir: string,
  extraIndices: string[],
  opts: { rsei?: RseiBaseline; sensor?: Sensor } = {},
): Promise<YearComposite> {
  const baseline = opts.rsei ?? {};
  const n = grid.width * grid.height;
  // Thermal is composited only when every observation of the year has it (a Landsat-only stack).
  const thermal = obs.length > 0 && obs.every((o) => o.bands.T);
  const reducer = reducerFor(site.reducer, n, thermal ? [...OBSERVATION_BANDS, "T"] : [...OBSERVATION_BANDS]);
  for (const o of obs) reducer.feed(o.bands, o.valid, o.datetime);
  const r = reducer.result();
  const valid = Uint8Array.from(r.count, (c) => (c > 0 ? 1 : 0));
  // The stack's sensor (one tasseled-cap set for every year), not this year's first scene's.
  const sensor = opts.sensor ?? obs[0]?.sensor ?? "sentinel-2";
  const names = [...new Set([...site.indices, ...extraIndices])];
  const index: Record<string, Float32Array> = {};
  for (const name of names) index[name] = computeIndex(indexByName(name), r.bands, valid, sensor);
  const dir = join(outDir, "composites", String(year));
  await mkdir(dir, { recursive: true });
  const simulated = obs.some((o) => o.simulated);
  const meta = {
    metadata: {
      REEWATCH_SITE: site.key,
      REEWATCH_YEAR: String(year),
      ...(simulated ? { SIMULATED: "true" } : {}),
    },
  };
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
  const rseiInfo = await writeRsei(dir, grid, r.bands, valid, sensor, meta, baseline, year, assets);
  const tc = await writeTrueColor(dir, grid, r.bands, meta.metadata);
  assets.truecolor = tc.asset;
  await writeCog(join(dir, "count.tif"), grid, [r.count], {
    ...meta,
    nodata: 0,
    overviewResampling: "nearest",
    bandDescriptions: ["valid observations"],
  });
  assets.count = await assetFor(
    dir,
    {
      name: "count",
      title: "Valid observations",
      range: [0, Math.max(1, obs.length)],
      colormap: "viridis",
      dataType: "uint16",
    },
    undefined,
  );
  await writeCog(join(dir, "doy.tif"), grid, [r.doy], {
    ...meta,
    nodata: 0,
    overviewResampling: "nearest",
    bandDescriptions: ["day of year of the observation closest to the median NDVI"],
  });
  assets.doy = await assetFor(
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
  const maskedFraction = obs.length ? obs.reduce((s, o) => s + o.maskedFraction, 0) / obs.length : 1;
  const item = stacItem({
    otherAssets: { thumbnail: tc.thumbnail },
    id: `${site.key}-${year}`,
    grid,
    start: `${year}-${site.season.start}T00:00:00Z`,
    end: `${site.season.start <= site.season.end ? year : year + 1}-${site.season.end}T23:59:59Z`,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} ${year} median composite`,
    assets,
    software: SOFTWARE_VERSION,
    derivedFrom: obs.map((o) => o.inputs[0]!),
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:year": year,
      "reewatch:reducer": `${site.reducer} of the valid observations; indices from the composite bands`,
      "reewatch:harmonization": [...new Set(obs.map((o) => o.harmonization))],
      "reewatch:masked_fraction": Math.round(maskedFraction * 1e6) / 1e6,
      "reewatch:rsei": rseiInfo,
      "reewatch:observations": obs.map((o) => ({
        id: o.sceneId,
        datetime: o.datetime,
        masked_fraction: Math.round(o.maskedFraction * 1e4) / 1e4,
      })),
    },
  });
  await writeFileAtomic(join(dir, `${year}.json`), `${JSON.stringify(item, null, 1)}\n`);
  return {
    year,
    index,
    count: r.count,
    maskedFraction,
    observations: obs.map((o) => ({
      sceneId: o.sceneId,
      datetime: o.datetime,
      maskedFraction: o.maskedFraction,
    })),
  };
}

/** RSEI of the year (its own PCA) and with the baseline year's loadings; the model goes in the item. */
async function writeRsei(
  dir: string,
  grid: Grid,
  bands: Record<string, Float32Array>,
  valid: Uint8Array,
  sensor: Observation["sensor"],
  meta: { metadata: Record<string, string> },
  baseline: RseiBaseline,
  year: number,
  assets: Record<string, CogAsset>,
) {
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
