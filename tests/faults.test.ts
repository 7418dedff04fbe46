/**
 * Faults a run meets in the field, each ending in one clear line and a non-zero exit, with the
 * outputs written before it intact (byte-identical to an uninterrupted run's) and no temporary
 * file left, and a rerun that completes with the same bytes as the uninterrupted run:
 * - a full disk (a 4 MB tmpfs: room for the first season year only);
 * - a read-only output directory (the same tmpfs remounted read-only, holding a finished run);
 * - a scene file deleted while the run reads the years;
 * - Redis stopped in the middle of a queued run: the coordinator and the worker each stop after
 *   --redis-grace instead of retrying forever.
 * SIMULATED Ganzhou at 100 m, 2018-2024. The filesystem cases mount a tmpfs, which needs root and
 * the right to mount (CI has both); without them they are skipped with a warning.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, reewatch, reewatchAsync } from "./helpers/cli.ts";
import { hasRedis, startRedis } from "./helpers/redis.ts";
import { treeDifferences, treeHashes } from "./helpers/tree-hash.ts";

const root = mkdtempSync(join(tmpdir(), "reewatch-faults-"));
const sim = join(root, "sim");
/** Every run directory sits two levels under root, so the items' relative links to the scenes match. */
const runDir = (name: string) => join(root, name, "run");
const runArgs = (out: string, scenes = sim) => ["run", "ganzhou", "--scenes", scenes, "--out", out, "-q", "-j", "1"];
let reference: Map<string, string>;

const canMount: boolean = (() => {
  const probe = join(root, "mount-probe");
  mkdirSync(probe, { recursive: true });
  const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]).status === 0;
  if (ok) spawnSync("umount", [probe]);
  else console.warn("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): full-disk and read-only cases are SKIPPED");
  return ok;
})();

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mount ${dir}: ${r.stderr}`);
}

const remount = (dir: string, options: string) => spawnSync("mount", ["-o", `remount,${options}`, dir]).status === 0;

/** The files a failed run left, each as the uninterrupted run has it; none left half-written. */
function expectIntactPart(out: string): void {
  const left = treeHashes(out);
  const temporaries = [...left.keys()].filter((p) => basename(p).endsWith(".tmp"));
  expect(temporaries).toEqual([]);
  const differ = [...left].filter(([p, h]) => !p.startsWith(".reewatch") && basename(p) !== "run.json" && reference.get(p) !== h);
  expect(differ.map(([p]) => p)).toEqual([]);
}

/** One line on stderr, prefixed as the CLI prints errors. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(() => {
  const s = reewatch(["simulate", "--site", "ganzhou", "--years", "2018-2024", "--resolution", "100", "--out", sim, "-q"]);
  if (s.code) throw new Error(s.stderr);
  const r = reewatch(runArgs(runDir("reference")));
  if (r.code) throw new Error(r.stderr);
  reference = treeHashes(runDir("reference"));
}, 300_000);

afterAll(() => {
  for (const name of ["disk"]) spawnSync("umount", [join(root, name)]);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!canMount)("a full disk, then a read-only output directory", () => {
  const disk = join(root, "disk");
  it("a full disk: one line naming the file and ENOSPC; the finished year intact; a rerun with room completes", () => {
    mountTmpfs(disk, "size=4m");
    const r = reewatch(runArgs(runDir("disk")));
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /^reewatch run: .*disk\/run\/.+\.tif: cannot write: no space left on device \(ENOSPC\)$/);
    expect(existsSync(join(runDir("disk"), "composites", "2018", "ndvi.tif"))).toBe(true);
    expectIntactPart(runDir("disk"));
    expect(remount(disk, "size=64m")).toBe(true);
    const again = reewatch(runArgs(runDir("disk")));
    expect(again.code, again.stderr).toBe(0);
    expect(treeDifferences(reference, treeHashes(runDir("disk")))).toEqual([]);
  }, 180_000);

  it("a read-only output directory: one line saying so, before any work; the run in it untouched", () => {
    expect(remount(disk, "ro")).toBe(true);
    try {
      const into = reewatch(runArgs(runDir("disk")));
      expect(into.code).toBe(2);
      expectOneLine(into.stderr, /^reewatch run: --out .*disk\/run: not a writable directory \(EROFS\)$/);
      const beside = reewatch(runArgs(join(disk, "other", "run")));
      expect(beside.code).toBe(2);
      expectOneLine(beside.stderr, /^reewatch run: --out .*disk\/other\/run: cannot create the directory \(.*disk is not writable: EROFS\)$/);
      expect(treeDifferences(reference, treeHashes(runDir("disk")))).toEqual([]);
    } finally {
      remount(disk, "rw");
    }
  }, 120_000);
});

describe("a scene file that disappears mid-run", () => {
  it("stops with one line naming the file; earlier years intact; with the file back the rerun completes", async () => {
    // a copy two levels from its run as sim is from the reference run, so the items link to it alike
    const scenes = join(root, "alt", "sim");
    cpSync(sim, scenes, { recursive: true });
    const victimScene = readdirSync(scenes).find((n) => n.includes("_2023"))!;
    const victim = join(scenes, victimScene, "B04.tif");
    const out = join(root, "alt", "vanish", "run");
    const run = spawnCli(runArgs(out, scenes));
    // delete it once the first year is written, while later years are still to be read
    await waitFor(() => existsSync(join(out, "composites", "2018", "ndvi.tif")), 60_000);
    rmSync(victim);
    const { code, stderr } = await run.ended;
    expect(code).not.toBe(0);
    expectOneLine(stderr, new RegExp(`^reewatch run: .*${victimScene}.*B04\\.tif does not exist$`));
    expectIntactPart(out);
    cpSync(join(sim, victimScene, "B04.tif"), victim);
    const again = reewatch(runArgs(out, scenes));
    expect(again.code, again.stderr).toBe(0);
    // run.json names the scenes folder by its absolute path; every other file must match
    expect(treeDifferences(reference, treeHashes(out))).toEqual(["run.json"]);
  }, 180_000);
});

describe.skipIf(!hasRedis)("Redis stopped in the middle of a queued run", () => {
  it("the run and the worker each stop with one line after --redis-grace; a rerun on a Redis started again completes", async () => {
    const redis = await startRedis();
    const out = runDir("queued");
    const queueArgs = ["--queue", redis.url, "--redis-grace", "3"];
    const worker = spawnCli(["worker", ...queueArgs, "-j", "1", "--lock-seconds", "2"]);
    const run = spawnCli([...runArgs(out).filter((a) => a !== "-j" && a !== "1"), ...queueArgs]);
    await waitFor(() => worker.stderr().includes("done year"), 120_000);
    await redis.stop();
    const t0 = performance.now();
    const [r, w] = await Promise.all([run.ended, worker.ended]);
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(60); // bounded: 3 s of grace, then closing (without the watch both waited forever)
    const lost = /Redis went away \(ECONNREFUSED\) and did not come back within 3 s/;
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, new RegExp(`^reewatch run: --queue ${redis.url}: ${lost.source}`));
    expect(w.code).not.toBe(0);
    expect(w.stderr.trim().split("\n").at(-1)).toMatch(new RegExp(`^reewatch worker: --queue ${redis.url}: ${lost.source}`));
    expect(w.stderr.match(/queue error/g)?.length ?? 0).toBeLessThanOrEqual(2); // one line per distinct error, not one per reconnect
    const redis2 = await startRedis();
    try {
      const args = ["--queue", redis2.url];
      const worker2 = spawnCli(["worker", ...args, "-j", "1"]);
      const again = await reewatchAsync([...runArgs(out).filter((a) => a !== "-j" && a !== "1"), ...args], 240_000);
      worker2.child.kill("SIGTERM");
      await worker2.ended;
      expect(again.code, again.stderr).toBe(0);
      expect(treeDifferences(reference, treeHashes(out))).toEqual([]);
    } finally {
      await redis2.stop();
    }
  }, 300_000);
});

/** A CLI child whose stderr is collected; `ended` resolves with its exit code and stderr. */
function spawnCli(args: string[]): { child: ChildProcess; stderr: () => string; ended: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [join(ROOT, "bin/reewatch.js"), ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
  const ended = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: err });
    });
  });
  return { child, stderr: () => err, ended };
}

async function waitFor(ok: () => boolean, ms: number): Promise<void> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
