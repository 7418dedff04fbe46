/**
 * `reewatch run --queue`: the run planned here, its jobs done by `reewatch worker`s on any
 * machines that share the scenes and the output directory. The first season year goes first (its
 * RSEI loadings are every later year's baseline), then the other years at once, then the
 * site-wide steps. Each job's id is derived from the plan, so a second coordinator of the same run
 * waits on the same jobs instead of adding copies; a job left over from an earlier run is removed
 * and added again, and the job itself skips what its record shows complete.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Job, Queue, QueueEvents } from "bullmq";
import { ReewatchError } from "../errors.ts";
import { ensureOutDir } from "../run/out-dir.ts";
import type { RunSummary } from "../run/run-finish.ts";
import type { FinishJobData, YearJobData } from "../run/run-jobs.ts";
import { planRun } from "../run/run-plan.ts";
import type { YearJobResult } from "../run/year-job.ts";
import type { Site } from "../site/site.ts";
import { sha256Text } from "../write/checksum.ts";
import { connectQueue, openQueue, openQueueEvents } from "./connection.ts";
import { redisLostMessage, watchRedis } from "./redis-watch.ts";

export interface QueuedRunOptions {
  queue: string;
  out: string;
  scenesDir?: string;
  maskSpec?: string;
  seed?: number;
  blockRows?: number;
  /** How long Redis may stay unreachable before the run gives up (default 30 s). */
  graceMs?: number;
  /** Told of each job as it is added and as it ends, with how many of the run's jobs are done. */
  onJob?: (e: JobEvent) => void;
}

export interface JobEvent {
  /** "queued year <id>", "done finish <id>"... */
  stage: string;
  done: number;
  total: number;
}

/** Retries with exponential backoff (1 s, 2 s, 4 s); finished jobs kept an hour for `reewatch status`, failed ones a day. */
const JOB_OPTIONS = { attempts: 4, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } };

/** How long Redis may stay unreachable before a queued run or a worker gives up (redis-watch.ts). */
export const DEFAULT_REDIS_GRACE_MS = 30_000;

export async function runQueued(site: Site, o: QueuedRunOptions): Promise<RunSummary> {
  const conn = await connectQueue(o.queue);
  await ensureOutDir(o.out);
  const queue = await openQueue(conn);
  const events = await openQueueEvents(conn);
  // the watch reports a lasting outage; these listeners keep the clients' reconnect errors off stderr
  queue.on("error", () => {});
  events.on("error", () => {});
  const graceMs = o.graceMs ?? DEFAULT_REDIS_GRACE_MS;
  let lost: ReewatchError | null = null;
  let giveUp: (err: ReewatchError) => void = () => {};
  const gone = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  const watch = await watchRedis(conn, graceMs, (cause) => {
    lost = new ReewatchError(redisLostMessage(o.queue, cause, graceMs));
    giveUp(lost);
  });
  try {
    return await Promise.race([coordinate(site, o, queue, events), gone]);
  } finally {
    watch.stop();
    if (lost) await Promise.race([Promise.all([events.disconnect(), queue.disconnect()]), sleep(1000)]);
    else {
      await events.close();
      await queue.close();
    }
  }
}

/** Plans the run, submits its jobs in order and waits for their results. */
async function coordinate(site: Site, o: QueuedRunOptions, queue: Queue, events: QueueEvents): Promise<RunSummary> {
  await events.waitUntilReady();
  const t0 = performance.now();
  const plan = await planRun(site, o);
  const discover = { name: "discover", seconds: Math.round(performance.now() - t0) / 1000 };
  const planId = sha256Text(JSON.stringify(plan)).slice(0, 24);
  const count = { done: 0, total: plan.years.length + 1 };
  const tell = (state: "queued" | "done", name: string, id: string) =>
    o.onJob?.({ stage: `${state} ${name} ${id}`, done: state === "done" ? ++count.done : count.done, total: count.total });
  const yearJob = (year: number) => submit<YearJobData, YearJobResult>(queue, events, "year", { plan, year }, `${planId}-year-${year}`, tell);
  const years: YearJobResult[] = [];
  if (plan.years.length) years.push(await yearJob(plan.years[0]!.year));
  years.push(...(await Promise.all(plan.years.slice(1).map((y) => yearJob(y.year)))));
  return await submit<FinishJobData, RunSummary>(queue, events, "finish", { plan, years, discover }, `${planId}-finish`, tell);
}

/** Adds the job (replacing a finished one of the same id) and waits for its result; a job that failed every attempt throws its reason. */
async function submit<D, R>(
  queue: Queue,
  events: QueueEvents,
  name: string,
  data: D,
  jobId: string,
  tell: (state: "queued" | "done", name: string, id: string) => void,
): Promise<R> {
  const old = await queue.getJob(jobId);
  if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
  const job: Job = await queue.add(name, data, { ...JOB_OPTIONS, jobId });
  tell("queued", name, jobId);
  try {
    const result = (await job.waitUntilFinished(events)) as R;
    tell("done", name, jobId);
    return result;
  } catch (err) {
    throw new Error(`job ${jobId} (${name}) failed after its retries: ${(err as Error).message}`);
  }
}
