/**
 * A site run's plan: the scenes (sorted by datetime, id, with their files' SHA-256), grouped by
 * season year, and the run's parameters. Plain data, so a plan crosses threads and a Redis queue
 * unchanged; every job rebuilds the heavier site context (grid, AOI and zone masks) from it.
 */
import { mixesSensorFamilies } from "../composite/harmonize.ts";
import type { Sensor } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import { type Site, siteScenePaths } from "../site/site.ts";
import { discoverScenes } from "./discover.ts";
import { hashedInputs, type ManifestInput } from "./manifest.ts";
import { seasonYear } from "./season.ts";

export interface PlannedScene {
  path: string;
  datetime: string;
  id: string;
  sensor: Sensor;
  simulated: boolean;
  /** The scene's files with their SHA-256 (run.json's inputs; the job keys hash them). */
  inputs: ManifestInput[];
}

export interface RunPlan {
  site: Site;
  out: string;
  scenesDir?: string;
  maskSpec: string;
  seed: number;
  /** Every scene of the run, sorted by (datetime, id). */
  scenes: PlannedScene[];
  /** The season years of an annual series, each with its scenes (empty for a pair site). */
  years: { year: number; scenes: PlannedScene[] }[];
  /** The stack mixes sensor families (TM/ETM+, OLI, MSI): reflectance is adjusted to OLI. */
  harmonize: boolean;
  /** The stack's tasseled-cap set: OLI's for a harmonised stack, else the family's own. */
  stackSensor: Sensor;
  simulated: boolean;
  /** Rows of the site grid a year job reads at a time (run/year-job.ts; the outputs do not depend on it). */
  blockRows?: number;
}

export interface PlanOptions {
  out: string;
  scenesDir?: string;
  maskSpec?: string;
  seed?: number;
  blockRows?: number;
}

export async function planRun(site: Site, o: PlanOptions): Promise<RunPlan> {
  const paths = o.scenesDir ? await discoverScenes(o.scenesDir) : siteScenePaths(site);
  const scenes = await plannedScenes(paths);
  const harmonize = mixesSensorFamilies(scenes.map((d) => d.sensor));
  return {
    site,
    out: o.out,
    ...(o.scenesDir ? { scenesDir: o.scenesDir } : {}),
    maskSpec: o.maskSpec ?? "default",
    seed: o.seed ?? 1,
    scenes,
    years: site.mode === "pair" ? [] : groupByYear(site, scenes),
    harmonize,
    stackSensor: harmonize ? "landsat-8" : scenes[0]!.sensor,
    simulated: scenes.some((d) => d.simulated),
    ...(o.blockRows ? { blockRows: o.blockRows } : {}),
  };
}

async function plannedScenes(paths: string[]): Promise<PlannedScene[]> {
  const out: PlannedScene[] = [];
  for (const path of paths) {
    const s = await openScene(path);
    await s.close();
    const inputs = await hashedInputs(s.id, s.inputs, "scene");
    out.push({ path, datetime: s.datetime, id: s.id, sensor: s.sensor, simulated: s.simulated, inputs });
  }
  return out.sort((a, b) => a.datetime.localeCompare(b.datetime) || a.id.localeCompare(b.id));
}

function groupByYear(site: Site, scenes: PlannedScene[]): RunPlan["years"] {
  const out = new Map<number, PlannedScene[]>();
  for (const s of scenes) {
    const y = seasonYear(s.datetime.slice(0, 10), site.season);
    if (y === null || y < site.years[0] || y > site.years[1]) continue;
    (out.get(y) ?? out.set(y, []).get(y)!).push(s);
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([year, scenes]) => ({ year, scenes }));
}
