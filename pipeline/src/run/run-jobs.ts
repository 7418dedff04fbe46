/**
 * The jobs of a queued site run and what runs them: "year" (one season year: read, composite,
 * observation stacks; year-job.ts) and "finish" (the site-wide steps and the catalog;
 * run-finish.ts). A worker runs each in a worker thread through `runJob`, so its main thread keeps
 * renewing the job's lock in Redis while the CPU work goes on.
 */

import type { StageTiming } from "../run/manifest.ts";
import { finishRun, type RunSummary } from "../run/run-finish.ts";
import type { RunPlan } from "../run/run-plan.ts";
import { type YearJobResult, yearJob } from "../run/year-job.ts";

export interface YearJobData {
  plan: RunPlan;
  year: number;
}

export interface FinishJobData {
  plan: RunPlan;
  years: YearJobResult[];
  discover: StageTiming;
}

export type JobRequest = { name: "year"; data: YearJobData } | { name: "finish"; data: FinishJobData };

export const JOBS_MODULE = new URL(import.meta.url);

/** Runs one job (in a worker thread: see pipeline/src/parallel/pool.ts); stage names go to `port`. */
export async function runJob(r: JobRequest, port?: MessagePort): Promise<YearJobResult | RunSummary> {
  if (r.name === "year") return yearJob(r.data.plan, r.data.year, port && ((stage) => port.postMessage(stage)));
  if (r.name === "finish") return finishRun(r.data.plan, r.data.years, { discover: r.data.discover });
  throw new Error(`unknown job name ${(r as { name: string }).name}`);
}
