/**
 * The site-wide steps of a run, after every season year's job: change and recovery per pixel
 * (with enough years), zonal statistics, the area estimate, the STAC catalog and run.json. They
 * read the years' composites back from their COGs (lossless float32) rather than from memory, so
 * this step runs the same after a resume or on another machine. A pair site does all its work here.
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { HARMONIZATION_COEFFICIENTS } from "../composite/harmonize.ts";
import { tcCitation } from "../indices/tasseled-cap.ts";
import { type GeoTiff, openForStrips, readWhole } from "../read/geotiff.ts";
import type { Samples } from "../read/tiff-window.ts";
import { removeTemporaries, writeFileAtomic } from "../write/atomic.ts";
import { attributionOf, finishCatalogAt } from "../write/stac-tree.ts";
import type { StripRead } from "../zonal/zonal-strips.ts";
import { RunManifest, type StageTiming } from "./manifest.ts";
import type { RunPlan } from "./run-plan.ts";
import { changeInStrips } from "./site-change-strips.ts";
import { type SiteContext, siteContext } from "./site-context.ts";
import { estimateClasses } from "./site-estimate.ts";
import { readObservation } from "./site-observations.ts";
import { changeMetadata, type RunContents, writeChangeItem, writeRunCatalog, writeZonal, type ZonalSource, type ZoneMask, zoneMasks } from "./site-outputs.ts";
import { pairSample, runPair } from "./site-pair.ts";
import { loadTruth } from "./truth-labels.ts";
import { DEFAULT_BLOCK_ROWS, type YearJobResult } from "./year-job.ts";

/** What a finished run tells its caller (plain data: it comes back from a queue worker too). */
export interface RunSummary {
  key: string;
  stages: StageTiming[];
  warnings: string[];
}

export interface FinishOptions {
  /** The planning stage's timing, listed first in run.json. */
  discover: StageTiming;
  onStage?: (name: string) => void;
}

export async function finishRun(plan: RunPlan, years: YearJobResult[], o: FinishOptions): Promise<RunSummary> {
  // a job killed mid-write (this run's earlier attempt, or a worker that died) leaves its temporary files
  await removeTemporaries(plan.out);
  const m = manifestOf(plan, years);
  m.stages.push(o.discover, ...years.flatMap((y) => y.stages));
  if (o.onStage) m.onStage = o.onStage;
  const ctx = await siteContext(plan);
  const contents = plan.site.mode === "pair" ? await pairStages(plan, ctx, m) : await seriesStages(plan, ctx, years, m);
  await catalogStage(plan, ctx, m, contents);
  o.onStage?.("done");
  m.outputs.push("catalog.json", "site.json", "composites/", "observations/", "change/", "estimate/", "zonal/");
  await m.write(join(plan.out, "run.json"));
  const doc = m.toJSON();
  return { key: String(doc.key), stages: m.stages, warnings: m.warnings };
}

/** run.json's parameters and inputs: the years' scenes (or the pair's two) in run order. */
function manifestOf(plan: RunPlan, years: YearJobResult[]): RunManifest {
  const m = new RunManifest("run", { site: plan.site.key, scenes: plan.scenesDir ?? "(site JSON)", mask: plan.maskSpec, seed: plan.seed });
  m.parameters.harmonization = plan.harmonize ? { to: "Landsat 8/9 OLI", coefficients: HARMONIZATION_COEFFICIENTS } : "none: one sensor family";
  m.parameters.tasseledCap = tcCitation(plan.stackSensor);
  const scenes = plan.site.mode === "pair" ? [plan.scenes[0]!, plan.scenes.at(-1)!] : plan.years.flatMap((y) => y.scenes);
  m.addInputs(scenes.flatMap((s) => s.inputs));
  if (plan.site.mode !== "pair") {
    const removed = years.map((y) => ({ year: y.record.year, observationsRemoved: y.record.observationsRemoved }));
    m.parameters.outlierScreen = { rule: "blue > season median + 0.1 with >= 3 valid observations", removed };
  }
  return m;
}

/** The control zones' masks: the reference polygons of the recovery target (docs/science.md, recovery). */
const controlMasks = (zones: ZoneMask[]) => zones.filter((z) => z.kind === "control").map((z) => z.mask);

/** The pair's two dates: read, difference, disturbed map, sample. */
async function pairStages(plan: RunPlan, ctx: SiteContext, m: RunManifest): Promise<RunContents> {
  const { site, out, harmonize } = plan;
  const { grid, aoi } = ctx;
  const [a, b] = [plan.scenes[0]!, plan.scenes.at(-1)!];
  const obs = await m.stage("read", () => Promise.all([a, b].map((s) => readObservation(s.path, { grid, aoiMask: aoi, maskSpec: plan.maskSpec, harmonize }))));
  const pair = await m.stage("pair change", () => runPair(site, grid, obs[0]!, obs[1]!, aoi, out));
  await m.stage("estimate", () => pairSample(site, grid, pair, out, plan.seed));
  return { composites: obs.map((ob) => ob.datetime.slice(0, 10)), observations: [], change: true, truthDir: null };
}

/** Change and recovery per pixel (with enough years), zonal statistics per zone and year, the sample of the last class map. */
async function seriesStages(plan: RunPlan, ctx: SiteContext, years: YearJobResult[], m: RunManifest): Promise<RunContents> {
  const { site, out, simulated } = plan;
  const { grid, aoi } = ctx;
  const zones = zoneMasks(site, grid, aoi);
  for (const y of years) for (const item of y.record.items) await writeFileAtomic(join(out, item.path), `${JSON.stringify(item.doc, null, 1)}\n`);
  const ys = years.map((y) => y.record.year);
  const rows = plan.blockRows ?? DEFAULT_BLOCK_ROWS;
  const changeOpts = { site, grid, out, years: ys, aoi, controls: controlMasks(zones), rows, metadata: changeMetadata(site, simulated) };
  const change = ys.length >= 6 ? await m.stage("change", () => changeInStrips(changeOpts)) : null;
  if (change) await writeChangeItem(site, grid, change, out, simulated);
  else m.warn(`${site.key}: ${ys.length} composite year(s): too few for segmentation (6 needed); change products skipped`);
  await m.stage("zonal", () => writeZonal(site, grid, zonalSource(out, ys, change !== null, rows), zones, out));
  // the area estimate where labels (or a SIMULATED site's truth) exist
  const truth = plan.scenesDir ? await loadTruth(join(plan.scenesDir, "truth")) : null;
  const last = ys.at(-1)!;
  if (change)
    await m.stage("estimate", async () =>
      estimateClasses({ site, grid, classes: await readClasses(out, last), year: last, aoi, truth, outDir: out, seed: plan.seed }),
    );
  return { composites: ys.map(String), observations: ys, change: change !== null, truthDir: truth ? join(plan.scenesDir!, "truth") : null };
}

/** The class map of `year`, whole (the estimate samples it). */
const readClasses = async (out: string, year: number) => (await readWhole(join(out, "change", `class_${year}.tif`), [0]))[0] as Uint8Array;

/** Zonal statistics' rasters, read back from the run's COGs strip by strip. */
function zonalSource(out: string, years: number[], change: boolean, rows: number): ZonalSource {
  const changeFile = (name: string) => join(out, "change", `${name}.tif`);
  return {
    years,
    rows,
    index: (year, name) => stripReader<Float32Array>(join(out, "composites", String(year), `${name}.tif`)),
    change: change
      ? {
          classes: (year) => stripReader<Uint8Array>(changeFile(`class_${year}`)),
          product: (name) => stripReader<Float32Array>(changeFile(name)),
          disturbanceYear: stripReader<Int16Array>(changeFile("disturbance_year")),
        }
      : null,
  };
}

/** Band 1 of a COG, full-width strips at a time: the file opens at the first strip and closes after the last. */
function stripReader<T extends Samples>(path: string): StripRead<T> {
  let file: GeoTiff | null = null;
  return async (y0, rows) => {
    file ??= await openForStrips(path);
    const grid = file.grid!;
    const [band] = await file.read({ x: 0, y: y0, width: grid.width, height: rows }, [0]);
    if (y0 + rows >= grid.height) {
      await file.close();
      file = null;
    }
    return band as T;
  };
}

/** The STAC catalog of what this run wrote, the site definition and the truth it was checked against. */
async function catalogStage(plan: RunPlan, ctx: SiteContext, m: RunManifest, contents: RunContents): Promise<void> {
  const { site, out } = plan;
  await m.stage("catalog", async () => {
    await cp(site.path, join(out, "site.json"));
    if (contents.truthDir) await cp(contents.truthDir, join(out, "truth"), { recursive: true });
    await writeRunCatalog(site, ctx.grid, out, plan.simulated, contents);
    await finishCatalogAt(
      out,
      attributionOf(
        m.inputs.map((i) => i.id),
        plan.simulated,
      ),
    );
  });
}
