/**
 * `reewatch demo` (what `npm start` runs) with one site at a time (-j 1) against sites side by
 * side (-j 2 and, when the machine has more cores, one per core): wall time, CPU time and peak RSS
 * of the whole process (workers included) from /usr/bin/time, and the speed-up of each over -j 1.
 * Run: npx tsx bench/demo.ts [--resolution 20]
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { arg, report, tempDir } from "./lib.ts";

const resolution = arg("resolution", 20);
const jobsList = [...new Set([1, 2, availableParallelism()])];

function runDemo(jobs: number, out: string): { wall: number; cpu: number; rssMb: number } {
  const t0 = performance.now();
  const args = [
    "-f",
    "%U %S %M",
    process.execPath,
    "bin/reewatch.js",
    "demo",
    "--no-serve",
    "-q",
    "-j",
    String(jobs),
    "--resolution",
    String(resolution),
    "-o",
    out,
  ];
  const r = spawnSync("/usr/bin/time", args, { encoding: "utf8" });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  const [user, sys, rssKb] = r.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wall, cpu: user! + sys!, rssMb: rssKb! / 1024 };
}

const { dir, cleanup } = tempDir("demo");
try {
  const results = jobsList.map((j) => ({ jobs: j, ...runDemo(j, join(dir, `j${j}`)) }));
  const base = results[0]!;
  const fields: Record<string, number | string> = { "sites, resolution": `3 (2 SIMULATED), ${resolution} m`, cores: availableParallelism() };
  for (const r of results) {
    fields[`-j ${r.jobs} wall seconds`] = r.wall;
    fields[`-j ${r.jobs} CPU seconds`] = r.cpu;
    fields[`-j ${r.jobs} peak RSS MB`] = r.rssMb;
    if (r !== base) fields[`-j ${r.jobs} speed-up over -j 1`] = base.wall / r.wall;
  }
  report("demo", fields);
} finally {
  cleanup();
}
