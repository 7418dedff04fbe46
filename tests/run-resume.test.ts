/**
 * Resume: a site run killed at random moments (SIGKILL, SIGTERM, SIGINT) and started again each
 * time ends with the same bytes as a run that was never interrupted, and the restarts skip the
 * season years already complete (their job records match and their files hash the same). The
 * years composited in worker threads (-j 2) give the same bytes as in one thread, and years read in
 * strips of 7 rows the same bytes as in one strip.
 * SIMULATED Ganzhou at 100 m, 2018-2024: seven season years, so change detection runs too.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../pipeline/src/random.ts";
import { ROOT, reewatch } from "./helpers/cli.ts";
import { treeDifferences, treeHashes } from "./helpers/tree-hash.ts";

let root: string;
let sim: string;
let whole: string;
let wholeSeconds: number;

const runArgs = (out: string, jobs = "1") => ["run", "ganzhou", "--scenes", sim, "--out", out, "-q", "-j", jobs];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reewatch-resume-"));
  sim = join(root, "sim");
  whole = join(root, "whole");
  const s = reewatch(["simulate", "--site", "ganzhou", "--years", "2018-2024", "--resolution", "100", "--out", sim, "-q"]);
  if (s.code) throw new Error(s.stderr);
  const t0 = performance.now();
  const r = reewatch(runArgs(whole, "2"));
  if (r.code) throw new Error(r.stderr);
  wholeSeconds = (performance.now() - t0) / 1000;
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Starts a run and sends it `signal` `ms` after it starts, or after `file` appears when given;
 * resolves with how it ended.
 */
function runKilledAfter(out: string, ms: number, signal: NodeJS.Signals, file?: string): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/reewatch.js"), ...runArgs(out)], { cwd: ROOT, stdio: "ignore" });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (file && !existsSync(file)) return;
      clearInterval(poll);
      timer = setTimeout(() => child.kill(signal), ms);
    }, 20);
    child.on("exit", (code, sig) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal: sig });
    });
  });
}

describe("a run killed at random moments and restarted", () => {
  it("ends byte-identical to an uninterrupted run, skipping the years already complete", async () => {
    const out = join(root, "killed");
    const rand = mulberry32(20261203);
    const signals: NodeJS.Signals[] = ["SIGKILL", "SIGTERM", "SIGINT", "SIGKILL"];
    const killed: string[] = [];
    for (const [k, signal] of signals.entries()) {
      // anywhere from the start-up to half of a whole run (restarts are shorter: they skip finished years);
      // the second attempt within half a second of the first year's record, so at least one year is complete
      const firstYear = k === 1 ? join(out, ".reewatch", "years", "2018.json") : undefined;
      const ms = Math.round((firstYear ? 0.05 * rand() : 0.05 + 0.45 * rand()) * wholeSeconds * 1000);
      const end = await runKilledAfter(out, ms, signal, firstYear);
      killed.push(`${signal}@${firstYear ? "2018 done+" : ""}${ms}ms:${end.signal ?? `exit ${end.code}`}`);
    }
    console.log(`run-resume: whole run ${wholeSeconds.toFixed(1)} s; attempts ${killed.join(", ")}`);
    // at least some attempts were really cut off
    expect(killed.filter((k) => !k.endsWith("exit 0")).length).toBeGreaterThanOrEqual(3);
    const last = reewatch(runArgs(out));
    expect(last.code, last.stderr).toBe(0);
    expect(treeDifferences(treeHashes(whole), treeHashes(out))).toEqual([]);
    const stages: { name: string; resumed?: boolean }[] = JSON.parse(readFileSync(join(out, "run.json"), "utf8")).stages;
    expect(stages.filter((s) => s.resumed).length).toBeGreaterThan(0);
  }, 300_000);

  it("gives the same bytes with the years composited in this thread (-j 1) as in a pool of two (-j 2)", () => {
    const one = join(root, "one-thread");
    expect(reewatch(runArgs(one, "1")).code).toBe(0);
    expect(treeDifferences(treeHashes(whole), treeHashes(one))).toEqual([]);
  }, 120_000);

  it("gives the same bytes reading the years in strips of 7 rows as in one strip (a 100 m grid is under 512 rows)", () => {
    const strips = join(root, "strips");
    expect(reewatch([...runArgs(strips, "2"), "--block-rows", "7"]).code).toBe(0);
    expect(treeDifferences(treeHashes(whole), treeHashes(strips))).toEqual([]);
  }, 120_000);

  it("recomputes a year whose files no longer hash as recorded, and only that year", () => {
    const out = join(root, "damaged");
    cpSync(whole, out, { recursive: true });
    writeFileSync(join(out, "composites", "2019", "ndvi.tif"), "not a COG any more");
    const r = reewatch(runArgs(out));
    expect(r.code, r.stderr).toBe(0);
    const stages: { name: string; resumed?: boolean }[] = JSON.parse(readFileSync(join(out, "run.json"), "utf8")).stages;
    expect(stages.filter((s) => s.resumed).map((s) => s.name.slice(7, 11))).toEqual(["2018", "2020", "2021", "2022", "2023", "2024"]);
    expect(stages.map((s) => s.name)).toContain("composite 2019");
    expect(treeDifferences(treeHashes(whole), treeHashes(out))).toEqual([]);
  }, 120_000);
});
