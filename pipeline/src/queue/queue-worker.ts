/**
 * `reewatch worker`: takes jobs from the queue until stopped (SIGINT/SIGTERM let the current jobs
 * end). Each job runs in a worker thread of a pool of `jobs` threads, so the main thread keeps
 * the jobs' locks alive; a worker that dies loses its locks, and after `lockMs` another worker
 * takes its jobs over (BullMQ's stalled-job check) and redoes them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Job } from "bullmq";
import { ReewatchError } from "../errors.ts";
import { runInWorker, workerPool } from "../parallel/pool.ts";
import { JOBS_MODULE, type JobRequest } from "../run/run-jobs.ts";
import { bullConnection, connectQueue, QUEUE_NAME } from "./connection.ts";
import { redisLostMessage, watchRedis } from "./redis-watch.ts";

export interface WorkerOptions {
  queue: string;
  /** Jobs at once (threads). */
  jobs: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's job is taken over. */
  lockMs: number;
  /** How long Redis may stay unreachable before the worker gives up (redis-watch.ts). */
  graceMs: number;
  onLine?: (line: string) => void;
}

export interface RunningWorker {
  /** Stops taking jobs, lets the current ones end, and closes the pool and connections. */
  close(): Promise<void>;
  /** Rejects with the one-line reason when Redis stayed away past the grace (the worker is then closed). */
  lost: Promise<never>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const conn = await connectQueue(o.queue);
  const pool = workerPool(o.jobs);
  const say = o.onLine ?? (() => {});
  const work = async (job: Job) => {
    say(`start ${job.name} ${job.id} (attempt ${job.attemptsMade + 1})`);
    const request = { name: job.name, data: job.data } as JobRequest;
    return runInWorker(pool, JOBS_MODULE, "runJob", request);
  };
  const { Worker } = await import("bullmq"); // loaded only when used (connection.ts)
  const worker = new Worker(QUEUE_NAME, work, {
    connection: bullConnection(conn),
    concurrency: o.jobs,
    lockDuration: o.lockMs,
    stalledInterval: Math.max(500, Math.round(o.lockMs / 2)),
    maxStalledCount: 3,
  });
  worker.on("completed", (job) => say(`done ${job.name} ${job.id}`));
  worker.on("failed", (job, err) => say(`failed ${job?.name} ${job?.id}: ${err.message}`));
  worker.on("stalled", (id) => say(`stalled job ${id} taken back for another attempt`));
  // one line per distinct connection error, not one per reconnect attempt
  let lastError = "";
  worker.on("error", (err) => {
    if (err.message !== lastError) say(`queue error: ${err.message} (retrying for up to ${o.graceMs / 1000} s)`);
    lastError = err.message;
  });
  worker.on("active", () => {
    lastError = "";
  });
  await worker.waitUntilReady();
  let giveUp: (err: ReewatchError) => void = () => {};
  const lost = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  lost.catch(() => {}); // a caller that never awaits it is not an unhandled rejection
  const watch = await watchRedis(conn, o.graceMs, async (cause) => {
    // the jobs in hand cannot report back: their locks lapse and another worker redoes them
    await Promise.race([worker.close(true), sleep(1000)]);
    await pool.destroy();
    giveUp(new ReewatchError(redisLostMessage(o.queue, cause, o.graceMs)));
  });
  return {
    lost,
    close: async () => {
      watch.stop();
      await worker.close();
      await pool.destroy();
    },
  };
}
