import { availableParallelism } from "node:os";
import { Command } from "commander";
import { BadParameter, startWorker } from "../pipeline/src/index.ts";
import { jsonDocument, outputMode, say, setResult } from "./output.ts";
import { graceSeconds, REDIS_GRACE_HELP } from "./redis-grace.ts";

export function command(): Command {
  return new Command("worker")
    .description("do the jobs of queued runs (`reewatch run --queue`) until stopped; SIGINT or SIGTERM lets the current jobs end first")
    .requiredOption("--queue <url>", "the Redis of the queue (redis://HOST:PORT)")
    .option("-j, --jobs <n>", "jobs at once, one per worker thread (default: one per core)", String(availableParallelism()))
    .option("--lock-seconds <s>", "a job's lock without renewal: a dead worker's job is taken over after this", "30")
    .option("--redis-grace <s>", REDIS_GRACE_HELP, "30")
    .action(async (opts) => {
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new BadParameter(`--jobs ${opts.jobs}: expected a positive integer`);
      const lockSeconds = Number(opts.lockSeconds);
      if (!(lockSeconds >= 1)) throw new BadParameter(`--lock-seconds ${opts.lockSeconds}: expected a number of seconds >= 1`);
      const graceMs = graceSeconds(opts.redisGrace) * 1000;
      const w = await startWorker({ queue: opts.queue, jobs, lockMs: lockSeconds * 1000, graceMs, onLine: (l) => say(`worker ${process.pid}: ${l}`) });
      say(`worker ${process.pid}: taking jobs from ${opts.queue} (${jobs} at once)`);
      setResult({ pid: process.pid, queue: opts.queue, jobs });
      if (outputMode().json) process.stdout.write(jsonDocument("worker", 0));
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          say(`worker ${process.pid}: ${signal}: finishing the current jobs`);
          w.close().then(resolve, resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      await Promise.race([stopped, w.lost]);
    });
}
