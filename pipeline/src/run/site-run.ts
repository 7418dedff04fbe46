/**
 * `reewatch run`: the whole chain for a site, one commented line per stage. Reading this file
 * tells the story; each stage lives in its own file.
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { parseAoi, rasterizeAoi } from "../aoi/aoi.ts";
import { HARMONIZATION_COEFFICIENTS, mixesSensorFamilies } from "../composite/harmonize.ts";
import { screenBrightOutliers } from "../composite/outlier-screen.ts";
import { tcCitation } from "../indices/tasseled-cap.ts";
import type { Grid, Sensor } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import { type Site, siteGrid, siteScenePaths } from "../site/site.ts";
import { attributionOf, finishCatalogAt } from "../write/stac-tree.ts";
import { discoverScenes } from "./discover.ts";
import { RunManifest } from "./manifest.ts";
import { ensureOutDir } from "./out-dir.ts";
import { seasonYear } from "./season.ts";
import { detectChange } from "./site-change.ts";
import { compositeYear, type YearComposite } from "./site-composites.ts";
import { estimateClasses } from "./site-estimate.ts";
import { writeObservationStacks } from "./site-observation-stack.ts";
import { readObservation } from "./site-observations.ts";
import { type RunContents, writeChange, writeRunCatalog, writeZonal, type ZoneMask, zoneMasks } from "./site-outputs.ts";
import { siteOverride } from "./site-override.ts";
import { pairSample, runPair } from "./site-pair.ts";
import { loadTruth } from "./truth-labels.ts";

export interface SiteRunOptions {
  scenesDir?: string;
  out: string;
  maskSpec?: string;
  seed?: number;
  /** Told as each stage starts: its name, how many stages are done and how many the run has. */
  onStage?: (e: StageEvent) => void;
}

export interface StageEvent {
  stage: string;
  done: number;
  total: number;
}

/** The control zones' masks: the reference polygons of the recovery target (docs/science.md, recovery). */
const controlMasks = (zones: ZoneMask[]) => zones.filter((z) => z.kind === "control").map((z) => z.mask);

/** The site-wide facts every stage needs: the grid, the AOI and zone masks, the sensor handling. */
interface SiteContext {
  grid: Grid;
  aoi: Uint8Array;
  zones: ZoneMask[];
  harmonize: boolean;
  stackSensor: Sensor;
  simulated: boolean;
}

export async function runSite(site: Site, o: SiteRunOptions): Promise<RunManifest> {
  await ensureOutDir(o.out);
  const m = new RunManifest("run", {
    site: site.key,
    scenes: o.scenesDir ?? "(site JSON)",
    mask: o.maskSpec ?? "default",
    seed: o.seed ?? 1,
  });
  const plan = { done: 0, total: 1 };
  m.onStage = (stage) => o.onStage?.({ stage, done: plan.done++, total: Math.max(plan.total, plan.done) });
  // 1. find the scenes and sort them by (datetime, id)
  const paths = o.scenesDir ? await discoverScenes(o.scenesDir) : siteScenePaths(site);
  const dated = await m.stage("discover", () => datedScenes(paths));
  // 2. the site grid, the AOI and zone masks, and how the sensors are handled
  const ctx = await siteContext(site, dated, m);
  // 3a. a before/after pair: indices per date, the difference and the disturbed map
  if (site.mode === "pair") {
    plan.total = 5; // discover, read, pair change, estimate, catalog
    return finish(site, ctx, o, m, await pairStages(site, ctx, dated, o, m));
  }
  // 3b. an annual series: composites per season year, then change, zonal statistics and the sample
  const byYear = groupByYear(site, dated);
  // discover, 3 per year, change + write change + zonal + estimate (or zonal alone), catalog
  plan.total = 1 + 3 * byYear.size + (byYear.size >= 6 ? 4 : 1) + 1;
  const comps = await compositeStages(site, ctx, byYear, o, m);
  return finish(site, ctx, o, m, await seriesStages(site, ctx, comps, o, m));
}

/** The site grid (the scenes' own when they are on the site CRS already), AOI and zones, and the sensor families. */
async function siteContext(site: Site, dated: DatedScene[], m: RunManifest): Promise<SiteContext> {
  const grid = await gridFor(site, dated[0]!.path);
  const aoi = rasterizeAoi(parseAoi(site.aoi, site.path), grid, { x: 0, y: 0, width: grid.width, height: grid.height });
  // a stack mixing sensor families (TM/ETM+, OLI, MSI) is adjusted to OLI reflectance
  const harmonize = mixesSensorFamilies(dated.map((d) => d.sensor));
  m.parameters.harmonization = harmonize ? { to: "Landsat 8/9 OLI", coefficients: HARMONIZATION_COEFFICIENTS } : "none: one sensor family";
  // one tasseled-cap set for the whole stack: OLI's for a harmonised stack, else the family's own
  const stackSensor: Sensor = harmonize ? "landsat-8" : dated[0]!.sensor;
  m.parameters.tasseledCap = tcCitation(stackSensor);
  return { grid, aoi, zones: zoneMasks(site, grid, aoi), harmonize, stackSensor, simulated: dated.some((d) => d.simulated) };
}

/** The pair's two dates: read, difference, disturbed map, sample. */
async function pairStages(site: Site, ctx: SiteContext, dated: DatedScene[], o: SiteRunOptions, m: RunManifest): Promise<RunContents> {
  const { grid, aoi, harmonize } = ctx;
  const [a, b] = [dated[0]!, dated.at(-1)!];
  const obs = await m.stage("read", () =>
    Promise.all([a, b].map((s) => readObservation(s.path, { grid, aoiMask: aoi, maskSpec: o.maskSpec ?? "default", harmonize }))),
  );
  for (const ob of obs) await m.addInputFiles(ob.sceneId, ob.inputs, "scene");
  const pair = await m.stage("pair change", () => runPair(site, grid, obs[0]!, obs[1]!, aoi, o.out));
  await m.stage("estimate", () => pairSample(site, grid, pair, o.out, o.seed ?? 1));
  return { composites: obs.map((ob) => ob.datetime.slice(0, 10)), observations: [], change: true, truthDir: null };
}

/** Per season year: read, mask (QA + site overrides), screen outliers, composite and write the COGs and the observation stacks. */
async function compositeStages(site: Site, ctx: SiteContext, byYear: Map<number, DatedScene[]>, o: SiteRunOptions, m: RunManifest): Promise<YearComposite[]> {
  const { grid, aoi, harmonize, stackSensor } = ctx;
  const comps: YearComposite[] = [];
  const rseiBaseline = {};
  // clouds the QA band missed, removed per pixel before compositing (composite/outlier-screen.ts)
  const screenedPixels: { year: number; observationsRemoved: number }[] = [];
  m.parameters.outlierScreen = { rule: "blue > season median + 0.1 with >= 3 valid observations", removed: screenedPixels };
  const override = siteOverride(site, grid);
  for (const [year, group] of byYear) {
    const read = (path: string) => readObservation(path, { grid, aoiMask: aoi, maskSpec: o.maskSpec ?? "default", harmonize, override });
    const obs = await m.stage(`read ${year}`, () => Promise.all(group.map((s) => read(s.path))));
    for (const ob of obs) await m.addInputFiles(ob.sceneId, ob.inputs, "scene");
    const screened = screenBrightOutliers(obs).removed.reduce((a, b) => a + b, 0);
    screenedPixels.push({ year, observationsRemoved: screened });
    const indices = ["ndvi", site.changeIndex];
    comps.push(
      await m.stage(`composite ${year}`, () =>
        compositeYear({ site, grid, year, obs, outDir: o.out, extraIndices: indices, rsei: rseiBaseline, sensor: stackSensor }),
      ),
    );
    // the year's per-scene index values, so a pixel's chart can show the raw observations
    await m.stage(`observations ${year}`, () => writeObservationStacks(site, grid, year, obs, chartedIndices(site), o.out));
  }
  return comps;
}

/** Change and recovery per pixel (with enough years), zonal statistics per zone and year, the sample of the last class map. */
async function seriesStages(site: Site, ctx: SiteContext, comps: YearComposite[], o: SiteRunOptions, m: RunManifest): Promise<RunContents> {
  const { grid, aoi, zones, simulated } = ctx;
  const change = comps.length >= 6 ? await m.stage("change", () => detectChange(comps, site.changeIndex, aoi, site.minMagnitude, controlMasks(zones))) : null;
  if (change) await m.stage("write change", () => writeChange(site, grid, change, o.out, simulated));
  else m.warn(`${site.key}: ${comps.length} composite year(s): too few for segmentation (6 needed); change products skipped`);
  await m.stage("zonal", () => writeZonal(site, grid, comps, change, zones, o.out));
  // the area estimate where labels (or a SIMULATED site's truth) exist
  const truth = o.scenesDir ? await loadTruth(join(o.scenesDir, "truth")) : null;
  if (change) await m.stage("estimate", () => estimateClasses({ site, grid, c: change, aoi, truth, outDir: o.out, seed: o.seed ?? 1 }));
  const years = comps.map((c) => c.year);
  return { composites: years.map(String), observations: years, change: change !== null, truthDir: truth ? join(o.scenesDir!, "truth") : null };
}

/** The STAC catalog of what this run wrote, the site definition and the run manifest. */
async function finish(site: Site, ctx: SiteContext, o: SiteRunOptions, m: RunManifest, contents: RunContents): Promise<RunManifest> {
  await m.stage("catalog", async () => {
    await cp(site.path, join(o.out, "site.json"));
    if (contents.truthDir) await cp(contents.truthDir, join(o.out, "truth"), { recursive: true });
    await writeRunCatalog(site, ctx.grid, o.out, ctx.simulated, contents);
    await finishCatalogAt(
      o.out,
      attributionOf(
        m.inputs.map((i) => i.id),
        ctx.simulated,
      ),
    );
  });
  const stages = m.stages.length;
  o.onStage?.({ stage: "done", done: stages, total: stages });
  m.outputs.push("catalog.json", "site.json", "composites/", "observations/", "change/", "estimate/", "zonal/");
  await m.write(join(o.out, "run.json"));
  return m;
}

interface DatedScene {
  path: string;
  datetime: string;
  id: string;
  sensor: Sensor;
  simulated: boolean;
}

async function datedScenes(paths: string[]): Promise<DatedScene[]> {
  const out: DatedScene[] = [];
  for (const path of paths) {
    const s = await openScene(path);
    out.push({ path, datetime: s.datetime, id: s.id, sensor: s.sensor, simulated: s.simulated });
    await s.close();
  }
  return out.sort((a, b) => a.datetime.localeCompare(b.datetime) || a.id.localeCompare(b.id));
}

/** The indices whose per-scene values are kept: the site's own, NDVI and the change index. */
function chartedIndices(site: Site): string[] {
  return [...new Set([...site.indices, "ndvi", site.changeIndex])];
}

function groupByYear(site: Site, scenes: DatedScene[]): Map<number, DatedScene[]> {
  const out = new Map<number, DatedScene[]>();
  for (const s of scenes) {
    const y = seasonYear(s.datetime.slice(0, 10), site.season);
    if (y === null || y < site.years[0] || y > site.years[1]) continue;
    (out.get(y) ?? out.set(y, []).get(y)!).push(s);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

async function gridFor(site: Site, firstScene: string): Promise<Grid> {
  const g = siteGrid(site);
  if (site.grid.transform) return g;
  const s = await openScene(firstScene);
  await s.close();
  return s.grid.crs === g.crs ? s.grid : g;
}
