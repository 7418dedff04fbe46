/**
 * One scene -> index COGs + valid mask + STAC item + run.json, processed in strips so memory is
 * bounded by the strip, never the scene. The whole scene folder is written under a temporary
 * name and renamed at the end, so a failed or cut-off run leaves nothing half-written; a rerun
 * with the same inputs and parameters finds the finished item and skips the work.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Aoi, aoiWindow, rasterizeAoi } from "../aoi/aoi.ts";
import { strips, windowGrid } from "../grid.ts";
import { DI_MIN_PIXELS, DI_NDVI_THRESHOLD, diDef, type TcStats, TcStatsAccumulator } from "../indices/disturbance-index.ts";
import { INT16_NODATA, INT16_SCALE, int16RasterBand, quantizeInto } from "../indices/scaled-int16.ts";
import { type IndexDef, indexByName, indicesFor } from "../indices/table.ts";
import { maskRuleFor } from "../mask/rule.ts";
import { workerPool } from "../parallel/pool.ts";
import type { BandLetter, Window } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import type { SceneReader } from "../read/scene.ts";
import { RunningStats } from "../stats.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256Text } from "../write/checksum.ts";
import { CogWriter, Inflight } from "../write/cog.ts";
import { type BandStatistics, type CogAsset, stacItem } from "../write/stac.ts";
import type { RunManifest } from "./manifest.ts";
import { columnsOf, stripsByColumns } from "./scene-columns.ts";
import { assetFor, isFinished } from "./scene-item.ts";
import { computeStrip, type StripSpec, type StripValues } from "./scene-strip.ts";

export interface SceneIndicesParams {
  /** Index names, or ["all"] for every index the scene's bands allow. */
  indices: string[];
  /** Mask spec: "default", "none", "scl:0,1,3,...", "qa:0,1,2,3,4". */
  mask: string;
  aoi?: Aoi;
  nir?: "B08" | "B8A";
  blockRows?: number;
  /** Site key and simulated flag copied into the item when the scene belongs to a site run. */
  site?: string;
  /** Stored sample type: float32 (default), or int16 scaled by 1e-4 (indices/scaled-int16.ts). */
  dtype?: "float32" | "int16";
}

export interface SceneIndicesResult {
  sceneId: string;
  itemPath: string;
  skipped: boolean;
  maskedFraction: number;
  products: string[];
}

/** Runs the indices of one scene into `outDir/<scene-id>/`. */
export async function runSceneIndices(
  scenePath: string,
  outDir: string,
  params: SceneIndicesParams,
  manifest: RunManifest,
  threads = 1,
): Promise<SceneIndicesResult> {
  const scene = await manifest.stage("open", () => openScene(scenePath, params.nir ? { nir: params.nir } : {}));
  try {
    await manifest.addInputFiles(scene.id, scene.inputs, "scene");
    const { defs, wantDi } = resolveIndices(scene, params.indices);
    const win = params.aoi ? aoiWindow(params.aoi, scene.grid) : { x: 0, y: 0, width: scene.grid.width, height: scene.grid.height };
    const jobKey = sha256Text(
      JSON.stringify({
        v: SOFTWARE_VERSION,
        inputs: manifest.inputs.filter((i) => i.id === scene.id),
        params: { ...params, indices: defs.map((d) => d.name), aoi: params.aoi?.polygons },
      }),
    );
    const itemPath = join(outDir, scene.id, `${scene.id}.json`);
    const products = [...defs.map((d) => d.name), ...(wantDi ? ["di"] : [])];
    const done = await isFinished(itemPath, jobKey);
    if (done) return { sceneId: scene.id, itemPath, skipped: true, maskedFraction: done.maskedFraction, products };
    const maskedFraction = await writeSceneFolder({ scene, scenePath, threads, defs, wantDi, win, jobKey, params, manifest }, outDir);
    return { sceneId: scene.id, itemPath, skipped: false, maskedFraction, products };
  } finally {
    await scene.close();
  }
}

/** One scene's work: the indices over the window, and the key that says whether it is already done. */
interface SceneJob {
  scene: SceneReader;
  /** The scene as given, for column workers to open their own readers. */
  scenePath: string;
  /** Worker threads for this one scene (1: this thread). */
  threads: number;
  diStats?: TcStats;
  /** The table's indices; the DI joins them once its reference is known. */
  defs: IndexDef[];
  wantDi: boolean;
  win: Window;
  jobKey: string;
  params: SceneIndicesParams;
  manifest: RunManifest;
}

/**
 * The scene folder, written under a temporary name and renamed when complete (removed on
 * failure). Returns the masked fraction of the AOI.
 */
async function writeSceneFolder(job: SceneJob, outDir: string): Promise<number> {
  const { scene, manifest } = job;
  const finalDir = join(outDir, scene.id);
  const tmpDir = join(outDir, `.${scene.id}.partial-${process.pid}`);
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  try {
    const maskedFraction = await writeSceneProducts(job, tmpDir);
    await manifest.write(join(tmpDir, "run.json"));
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
    return maskedFraction;
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** The index COGs, the mask and the STAC item in `dir`; returns the masked fraction of the AOI. */
async function writeSceneProducts(job: SceneJob, dir: string): Promise<number> {
  const { scene, defs, win, params, manifest } = job;
  const diStats = job.wantDi ? await manifest.stage("di reference", () => diReference(scene, win, params)) : undefined;
  if (diStats) {
    job.diStats = diStats;
    defs.push(diDef(diStats));
    if (diStats.count < DI_MIN_PIXELS)
      manifest.warn(`${scene.id}: only ${diStats.count} pixels of dense vegetation (NDVI >= ${DI_NDVI_THRESHOLD}): DI has no reference and is all NaN`);
  }
  const r = await manifest.stage("indices", () => processStrips(job, dir));
  const assets: Record<string, CogAsset> = {};
  for (const d of defs) assets[d.name] = await indexAsset(dir, d, r.stats.get(d.name)!.summary(), params.dtype);
  assets.mask = await assetFor(dir, MASK_PRODUCT, undefined);
  if (r.maskedFraction >= 1) manifest.warn(`${scene.id}: every pixel in the AOI is masked; products are all NaN`);
  const item = sceneItem(job, assets, r, diStats);
  await writeFileAtomic(join(dir, `${scene.id}.json`), `${JSON.stringify(item, null, 2)}\n`);
  return r.maskedFraction;
}

/** The scene's STAC item: its products, the mask and scaling applied, and the job key. */
function sceneItem(job: SceneJob, assets: Record<string, CogAsset>, r: StripResult, diStats: TcStats | undefined): Record<string, unknown> {
  const { scene, params } = job;
  return stacItem({
    id: scene.id,
    grid: windowGrid(scene.grid, job.win),
    datetime: scene.datetime,
    title: `${scene.simulated ? "SIMULATED " : ""}${scene.sensor} ${scene.datetime.slice(0, 10)} spectral indices`,
    assets,
    software: SOFTWARE_VERSION,
    // Absolute here; the catalog's last step makes them relative to this item (write/stac-tree.ts).
    derivedFrom: scene.inputs.map((p) => (/^https?:/.test(p) ? p : resolve(p))),
    properties: {
      platform: scene.sensor,
      "reewatch:simulated": scene.simulated,
      "reewatch:masked_fraction": round6(r.maskedFraction),
      "reewatch:mask": r.maskDescription,
      "reewatch:nir_band": scene.nirBand,
      "reewatch:scale_offset": Object.fromEntries(
        Object.entries(scene.bands).map(([k, b]) => [k, { band: b!.name, scale: b!.scale, offset: b!.offset, source: b!.scaleSource }]),
      ),
      "reewatch:job_key": job.jobKey,
      ...(diStats ? { "reewatch:di_reference": { rule: `valid pixels with NDVI >= ${DI_NDVI_THRESHOLD}`, ...diStats } } : {}),
      ...(scene.cloudCover !== undefined ? { "eo:cloud_cover": scene.cloudCover } : {}),
      ...(params.site ? { "reewatch:site": params.site } : {}),
    },
  });
}

const MASK_PRODUCT = {
  name: "mask",
  title: "valid-pixel mask (1 valid, 0 masked or outside the AOI)",
  range: [0, 1] as [number, number],
  colormap: "mask",
  dataType: "uint8" as const,
  unit: "",
  roles: ["data-mask"],
};

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** An index's asset; an int16 one declares its scale, offset and no-data in raster:bands. */
async function indexAsset(dir: string, d: IndexDef, statistics: BandStatistics | undefined, dtype: SceneIndicesParams["dtype"]): Promise<CogAsset> {
  if (dtype !== "int16") return assetFor(dir, d, statistics);
  const asset = await assetFor(dir, { ...d, dataType: "int16" }, undefined);
  return { ...asset, extra: { "raster:bands": [int16RasterBand({ ...(d.unit ? { unit: d.unit } : {}), ...(statistics ? { statistics } : {}) })] } };
}

/** The table's indices, and whether the Disturbance Index (which needs a first pass) is wanted. */
function resolveIndices(scene: SceneReader, names: string[]): { defs: IndexDef[]; wantDi: boolean } {
  const available = Object.keys(scene.bands) as BandLetter[];
  const six = (["B", "G", "R", "N", "S1", "S2"] as BandLetter[]).every((b) => available.includes(b));
  if (names.length === 1 && names[0] === "all") return { defs: indicesFor(scene.sensor, available), wantDi: six };
  const wantDi = names.includes("di");
  if (wantDi && !six) throw new Error(`--index di: scene ${scene.id} lacks one of the six reflective bands`);
  const defs = names
    .filter((n) => n !== "di")
    .map((n) => {
      const def = indexByName(n);
      const missing = def.bands.filter((b) => !scene.bands[b]);
      if (missing.length) throw new Error(`--index ${n}: scene ${scene.id} lacks band(s) ${missing.join(", ")}`);
      return def;
    });
  return { defs, wantDi };
}

/** First pass for the Disturbance Index: TC statistics of dense vegetation over the window. */
async function diReference(scene: SceneReader, win: Window, params: SceneIndicesParams) {
  const rule = scene.qa ? maskRuleFor(scene.qa.kind, params.mask) : undefined;
  const acc = new TcStatsAccumulator();
  const rows = params.blockRows ?? 512;
  for (const strip of strips(win, rows)) {
    const n = strip.width * strip.height;
    const bands = await scene.readBands(strip, ["B", "G", "R", "N", "S1", "S2"]);
    const mask = params.aoi ? rasterizeAoi(params.aoi, scene.grid, strip) : new Uint8Array(n).fill(1);
    const qa = rule ? await scene.readQa(strip) : undefined;
    if (rule && qa) rule.apply(qa, mask);
    acc.add(bands, mask, scene.sensor);
  }
  return acc.result();
}

interface StripResult {
  stats: Map<string, RunningStats>;
  maskedFraction: number;
  maskDescription: string;
}

/** Where the strips go: statistics in row order, then the index and mask COGs. */
async function processStrips(job: SceneJob, dir: string): Promise<StripResult> {
  const { scene, defs, win, params } = job;
  const grid = windowGrid(scene.grid, win);
  const rule = scene.qa ? maskRuleFor(scene.qa.kind, params.mask) : undefined;
  const inflight = new Inflight(); // one tile budget for all the writers (write/cog.ts)
  const int16 = params.dtype === "int16";
  const scaled = int16 ? { nodata: INT16_NODATA, scale: [INT16_SCALE], offset: [0] } : {};
  const writers = await Promise.all(
    defs.map((d) => CogWriter.create(join(dir, `${d.name}.tif`), grid, int16 ? "int16" : "float32", 1, { ...cogOptions(scene, d.name), ...scaled, inflight })),
  );
  const maskWriter = await CogWriter.create(join(dir, "mask.tif"), grid, "uint8", 1, {
    ...cogOptions(scene, "mask"),
    inflight,
    nodata: 255,
    overviewResampling: "nearest",
  });
  const stats = new Map(defs.map((d) => [d.name, new RunningStats()]));
  const rows = params.blockRows ?? 512;
  const out16 = int16 ? new Int16Array(rows * win.width) : undefined;
  const counts = { inAoi: 0, valid: 0 };
  const consume = async (y: number, s: StripValues) => {
    counts.inAoi += s.inAoi;
    counts.valid += s.valid;
    for (const [k, d] of defs.entries()) {
      const o = s.value(k);
      stats.get(d.name)!.add(o);
      if (out16) quantizeInto(o, out16.subarray(0, o.length));
      await writers[k]!.writeRows(y, [out16 ? out16.subarray(0, o.length) : o]);
    }
    await maskWriter.writeRows(y, [s.mask]);
  };
  try {
    await eachStrip(job, { defs, rule, mask: params.mask, ...(params.aoi ? { aoi: params.aoi } : {}) }, rows, consume);
    for (const w of [...writers, maskWriter]) await w.finish();
  } catch (err) {
    await Promise.all([...writers, maskWriter].map((w) => w.abort()));
    throw err;
  }
  return {
    stats,
    maskedFraction: counts.inAoi === 0 ? 1 : 1 - counts.valid / counts.inAoi,
    maskDescription: rule ? rule.description : "none (no QA band)",
  };
}

/**
 * Every strip of the window in row order: computed here, or with `threads` > 1 by column workers
 * (scene-columns.ts) when the window is wide enough to split on tile edges. Same values either way.
 */
async function eachStrip(job: SceneJob, spec: StripSpec, rows: number, consume: (y: number, s: StripValues) => Promise<void>): Promise<void> {
  const { scene, win, params } = job;
  const columns = columnsOf(win, job.threads);
  if (columns.length < 2) {
    const shared = new Float32Array(rows * win.width);
    for (const strip of strips(win, rows)) await consume(strip.y - win.y, await computeStrip(scene, spec, strip, shared));
    return;
  }
  const di = spec.defs.find((d) => d.name === "di");
  const task = {
    scenePath: job.scenePath,
    ...(params.nir ? { nir: params.nir } : {}),
    indices: spec.defs.filter((d) => d !== di).map((d) => d.name),
    ...(job.diStats ? { di: job.diStats } : {}),
    mask: params.mask,
    ...(params.aoi ? { aoi: params.aoi } : {}),
    win,
    rows,
  };
  const pool = workerPool(columns.length);
  try {
    await stripsByColumns(pool, task, columns, consume);
  } finally {
    await pool.destroy();
  }
}

function cogOptions(scene: SceneReader, product: string) {
  return {
    metadata: {
      REEWATCH_PRODUCT: product,
      REEWATCH_SCENE: scene.id,
      REEWATCH_VERSION: SOFTWARE_VERSION,
      ...(scene.simulated ? { SIMULATED: "true" } : {}),
    },
    bandDescriptions: [product],
  };
}
