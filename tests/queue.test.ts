/**
 * Queued runs on a real Redis (redis-server on a free 127.0.0.1 port) with real worker processes:
 * two workers share a run, one is killed (SIGKILL) in the middle of a job, the other takes the
 * stalled job over, and the run ends byte-identical to a local run. A job that cannot succeed is
 * retried, then reported with its reason by the coordinator and by `reewatch status`.
 * SIMULATED Ganzhou at 100 m, 2018-2024.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonResult, ROOT, reewatch, reewatchAsync } from "./helpers/cli.ts";
import { hasRedis, startRedis, type TestRedis } from "./helpers/redis.ts";
import { treeDifferences, treeHashes } from "./helpers/tree-hash.ts";

let root: string;
let sim: string;
let redis: TestRedis;
const workers: ChildProcess[] = [];

const runArgs = (out: string) => ["run", "ganzhou", "--scenes", sim, "--out", out, "-q"];

/** A `reewatch worker` whose stderr lines are collected; `onLine` sees each as it comes. */
function startWorker(onLine?: (line: string) => void): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, [join(ROOT, "bin/reewatch.js"), "worker", "--queue", redis.url, "-j", "1", "--lock-seconds", "2"], { cwd: ROOT });
  const lines: string[] = [];
  child.stderr!.on("data", (d: Buffer) => {
    for (const l of d.toString().split("\n").filter(Boolean)) {
      lines.push(l);
      onLine?.(l);
    }
  });
  workers.push(child);
  return { child, lines };
}

/** SIGTERM to the workers still running (a worker then finishes its current jobs) and waits for them to exit. */
function stopWorkers(): Promise<unknown> {
  const stop = (w: ChildProcess) =>
    new Promise((resolve) => {
      if (w.exitCode !== null || w.signalCode) return resolve(null);
      w.once("exit", resolve);
      w.kill("SIGTERM");
    });
  return Promise.all(workers.splice(0).map(stop));
}

describe.skipIf(!hasRedis)("queued runs (BullMQ on a local redis-server)", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "reewatch-queue-"));
    sim = join(root, "sim");
    redis = await startRedis();
    const s = reewatch(["simulate", "--site", "ganzhou", "--years", "2018-2024", "--resolution", "100", "--out", sim, "-q"]);
    if (s.code) throw new Error(s.stderr);
    const r = reewatch([...runArgs(join(root, "local", "run")), "-j", "1"]);
    if (r.code) throw new Error(r.stderr);
  }, 300_000);
  afterAll(async () => {
    await stopWorkers();
    await redis?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("two workers, one killed mid-job: the stalled job is taken over and the run ends byte-identical to a local run", async () => {
    let killedOn = "";
    const a = startWorker((line) => {
      const m = /start year (\S+)/.exec(line);
      if (m && !killedOn && !m[1]!.endsWith("2018")) {
        killedOn = m[1]!;
        a.child.kill("SIGKILL");
      }
    });
    const b = startWorker();
    const run = await reewatchAsync([...runArgs(join(root, "queued", "run")), "--queue", redis.url], 240_000);
    expect(run.code, run.stderr).toBe(0);
    expect(killedOn).not.toBe("");
    expect(a.child.signalCode).toBe("SIGKILL");
    // the survivor did the job the killed worker had started
    expect(b.lines.some((l) => l.includes(`start year ${killedOn}`))).toBe(true);
    expect(treeDifferences(treeHashes(join(root, "local", "run")), treeHashes(join(root, "queued", "run")))).toEqual([]);
    const status = jsonResult(reewatch(["status", "--queue", redis.url, "--json"]));
    expect(status.counts.completed).toBe(8); // seven season years and the site-wide steps
    expect(status.counts.failed).toBe(0);
    await stopWorkers();
  }, 300_000);

  it("a job that keeps failing is retried, then named with its reason by the run and by status", async () => {
    const out = join(root, "broken");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "composites"), "a file where the composites folder should be");
    startWorker();
    const run = await reewatchAsync([...runArgs(out), "--queue", redis.url], 120_000);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/job \S+-year-2018 \(year\) failed after its retries: .*composites/);
    const status = jsonResult(reewatch(["status", "--queue", redis.url, "--json"]));
    const failed = status.failed.find((j: { id: string }) => j.id.endsWith("year-2018"));
    expect(failed.attempts).toBe(4);
    expect(failed.reason).toMatch(/composites/);
    await stopWorkers();
  }, 180_000);

  it("says in one line when no Redis answers", () => {
    const r = reewatch([...runArgs(join(root, "nowhere")), "--queue", "redis://127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^reewatch run: --queue redis:\/\/127\.0\.0\.1:1: no Redis answers there \(ECONNREFUSED\)$/);
  });
});
