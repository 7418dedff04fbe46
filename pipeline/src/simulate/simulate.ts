/**
 * `reewatch simulate`: a deterministic multi-year stack of SIMULATED Sentinel-2 L2A-like scenes
 * for a site, plus the planted truth. The story, one line per stage:
 *   site grid (or a coarser one) -> landscape and planted events (truth.ts) -> acquisition plan
 *   (schedule.ts) -> each scene synthesised and written atomically (write-scene.ts) -> truth COGs.
 * Same site, years, seed and resolution give byte-identical files; a rerun keeps the scenes that
 * are already complete with the same parameters and redoes the rest.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseAoi, ringsBounds } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { type Site, siteGrid } from "../site/site.ts";
import { sha256Text } from "../write/checksum.ts";
import { planScenes } from "./schedule.ts";
import { buildTruth } from "./truth.ts";
import { recordedSimulation } from "./write-scene.ts";
import { writeScenes } from "./write-scenes.ts";
import { writeTruth } from "./write-truth.ts";

/** Bump when the model changes, so reruns redo scenes made by an older model. */
export const MODEL_VERSION = 2;

export interface SimulateOptions {
  site: Site;
  years: [number, number];
  seed: number;
  out: string;
  /** Pixel size in metres instead of the site grid's (coarser is faster). */
  resolution?: number;
  /** Scenes per year (default: the site's simulation.scenesPerYear). */
  scenesPerYear?: number;
  /**
   * Scene folders in `out` from another simulation (other seed, model, pixel size or site file,
   * or dates this plan does not have): "replace" removes or redoes them (default), "refuse"
   * stops with an error (the CLI without --overwrite).
   */
  onStale?: "replace" | "refuse";
  /** Worker threads writing scenes (default 1: this thread); the files do not depend on it. */
  jobs?: number;
  log?: (line: string) => void;
  /** Told as each scene is done (written or found complete), with how many of how many are done. */
  onScene?: (e: { id: string; result: string; done: number; total: number }) => void;
}

export interface SimulateResult {
  scenes: string[];
  written: number;
  kept: number;
  truth: string;
  grid: Grid;
  seconds: number;
}

export function simulationGrid(site: Site, resolution?: number): Grid {
  const g = siteGrid(site);
  if (!resolution || resolution === g.transform[0]) return g;
  if (!(resolution > 0)) throw new BadParameter(`--resolution ${resolution}: expected a positive number of metres`);
  const f = resolution / g.transform[0];
  return {
    crs: g.crs,
    transform: [resolution, 0, g.transform[2], 0, -resolution, g.transform[5]],
    width: Math.ceil(g.width / f),
    height: Math.ceil(g.height / f),
  };
}

export async function simulateSite(o: SimulateOptions): Promise<SimulateResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  if (!o.site.simulation) throw new BadParameter(`--site ${o.site.key}: not a simulated site (no "simulation" block in ${o.site.path})`);
  if (o.years[0] > o.years[1]) throw new BadParameter(`--years ${o.years.join("-")}: runs backwards`);
  const grid = simulationGrid(o.site, o.resolution);
  const years = Array.from({ length: o.years[1] - o.years[0] + 1 }, (_, k) => o.years[0] + k);
  const perYear = o.scenesPerYear ?? o.site.simulation.scenesPerYear;
  if (!Number.isInteger(perYear) || perYear < 1 || perYear > 36) throw new BadParameter(`--scenes-per-year ${perYear}: expected an integer 1..36`);
  // A scene's content depends on these alone (not on the year range or the number of scenes).
  const simulation = { model: MODEL_VERSION, seed: o.seed, pixelSize: grid.transform[0], site: sha256Text(await readFile(o.site.path)).slice(0, 16) };
  await mkdir(o.out, { recursive: true });
  await removeLeftovers(o.out);
  const plan = planScenes(o.site, o.years, perYear, o.seed);
  await handleStale(
    o,
    plan.map((p) => p.id),
    simulation,
  );
  const [w, s, e, n] = ringsBounds(parseAoi(o.site.aoi).polygons);
  const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
  let done = 0;
  const share = { out: o.out, site: o.site, grid, years, seed: o.seed, specs: plan, centre, simulation };
  const onScene = o.onScene ?? ((e) => log(`SIMULATED ${e.id} ${e.result} (${e.done}/${e.total})`));
  const written = await writeScenes(share, o.jobs ?? 1, (id, result) => onScene({ id, result, done: ++done, total: plan.length }));
  const truth = buildTruth(o.site, grid, years, o.seed);
  const truthDir = await writeTruth(o.out, o.site.name.en, truth, { ...simulation, years: o.years, scenesPerYear: perYear });
  return { scenes: plan.map((p) => join(o.out, p.id)), written, kept: plan.length - written, truth: truthDir, grid, seconds: (performance.now() - t0) / 1000 };
}

/** Scene folders that are not this plan's, or were made with other parameters: removed, or an error. */
async function handleStale(o: SimulateOptions, planned: string[], simulation: Record<string, unknown>): Promise<void> {
  const inPlan = new Set(planned);
  const stale: string[] = [];
  for (const id of (await readdir(o.out)).filter((d) => /^S2[AB]_SIM_/.test(d))) {
    if (!inPlan.has(id)) stale.push(id);
    else if (JSON.stringify(await recordedSimulation(o.out, id)) !== JSON.stringify(simulation)) stale.push(id);
  }
  if (stale.length === 0) return;
  if (o.onStale === "refuse")
    throw new BadParameter(
      `--out ${o.out}: holds ${stale.length} scene folder(s) of another simulation or plan (e.g. ${stale[0]}); use --overwrite to replace them, or another folder`,
    );
  for (const id of stale) if (!inPlan.has(id)) await rm(join(o.out, id), { recursive: true, force: true });
}

/** Hidden partial folders of an earlier run that was cut off. */
async function removeLeftovers(out: string): Promise<void> {
  for (const name of await readdir(out))
    if (/^\.(S2[AB]_SIM_.*|truth)\.(partial|old)-\d+$/.test(name)) await rm(join(out, name), { recursive: true, force: true });
}
