/**
 * `reewatch run`: the whole chain for a site, one commented line per stage. Reading this file
 * tells the story; each stage lives in its own file. A run is a plan, one job per season year
 * (run-plan.ts, year-job.ts) and the site-wide steps that need every year (run-finish.ts): here
 * they run in this process; `--queue` runs the same jobs on workers (queue/).
 */
import { runEach } from "../parallel/pool.ts";
import type { Site } from "../site/site.ts";
import { ensureOutDir } from "./out-dir.ts";
import { finishRun, type RunSummary } from "./run-finish.ts";
import { JOBS_MODULE, type JobRequest } from "./run-jobs.ts";
import { planRun, type RunPlan } from "./run-plan.ts";
import { type YearJobResult, yearJob } from "./year-job.ts";

export interface SiteRunOptions {
  scenesDir?: string;
  out: string;
  maskSpec?: string;
  seed?: number;
  /** Rows of the site grid a season year reads at a time (default 512). */
  blockRows?: number;
  /** Season years composited at once after the first, one per worker thread (default 1: in this thread). */
  jobs?: number;
  /** Told as each stage starts: its name, how many stages are done and how many the run has. */
  onStage?: (e: StageEvent) => void;
}

export interface StageEvent {
  stage: string;
  done: number;
  total: number;
}

export async function runSite(site: Site, o: SiteRunOptions): Promise<RunSummary> {
  await ensureOutDir(o.out);
  const progress = stageCounter(o.onStage);
  // 1. find the scenes, hash them, sort them by (datetime, id) and group them by season year
  progress.tick("discover");
  const t0 = performance.now();
  const plan = await planRun(site, o);
  const discover = { name: "discover", seconds: Math.round(performance.now() - t0) / 1000 };
  progress.total = stagesOf(plan.years.length, site.mode === "pair");
  // 2. per season year: read, mask, screen outliers, composite, observation stacks (skipped when already complete)
  const years = await yearJobs(plan, o.jobs ?? 1, progress.tick);
  // 3. change, zonal statistics, the estimate, the catalog and run.json (or the pair's steps)
  return finishRun(plan, years, { discover, onStage: progress.tick });
}

/**
 * The season years' jobs: the first alone (its RSEI loadings are every later year's baseline),
 * then the rest, `jobs` at a time in worker threads. Results in year order whatever `jobs` is.
 */
async function yearJobs(plan: RunPlan, jobs: number, tick: (stage: string) => void): Promise<YearJobResult[]> {
  const [first, ...rest] = plan.years.map((y) => y.year);
  if (first === undefined) return [];
  const out = [await yearJob(plan, first, tick)];
  if (jobs <= 1) {
    for (const year of rest) out.push(await yearJob(plan, year, tick));
    return out;
  }
  const tasks: JobRequest[] = rest.map((year) => ({ name: "year", data: { plan, year } }));
  out.push(...(await runEach<JobRequest, YearJobResult, string>({ module: JOBS_MODULE, fn: "runJob", tasks, jobs, onMessage: tick })));
  return out;
}

/** Stages of a run, for the progress bar: a pair's 5, or discover, 3 per year, the site-wide steps and the catalog. */
function stagesOf(years: number, pair: boolean): number {
  return pair ? 5 : 1 + years + (years >= 6 ? 4 : 1) + 1;
}

/** Turns stage names into StageEvents with a running count; "done" ends the bar. */
function stageCounter(onStage?: (e: StageEvent) => void) {
  const c = {
    done: 0,
    total: 1,
    tick: (stage: string) => {
      const done = stage === "done" ? c.total : c.done++;
      onStage?.({ stage, done, total: Math.max(c.total, done) });
    },
  };
  return c;
}
