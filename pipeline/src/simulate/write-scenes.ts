/**
 * The scenes of a simulation plan, written in this thread or split over worker threads
 * (parallel/pool.ts). A scene depends only on its spec, the seed and the site, so the files do not
 * depend on how the plan is split; each worker builds the site's truth once for its share (the
 * truth holds closures and caches, which cannot cross threads).
 */
import type { MessagePort } from "node:worker_threads";
import { runEach } from "../parallel/pool.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import type { SceneSpec } from "./schedule.ts";
import { buildTruth } from "./truth.ts";
import { writeScene } from "./write-scene.ts";

export interface ScenesShare {
  out: string;
  site: Site;
  grid: Grid;
  years: number[];
  seed: number;
  specs: SceneSpec[];
  centre: [number, number];
  simulation: Record<string, unknown>;
}

type SceneDone = (id: string, outcome: "written" | "kept") => void;

/** Writes a share of the plan, telling `onScene` of each scene; returns how many were written. */
async function writeShare(s: ScenesShare, onScene: SceneDone): Promise<number> {
  const truth = buildTruth(s.site, s.grid, s.years, s.seed);
  let written = 0;
  for (const spec of s.specs) {
    const r = await writeScene({ out: s.out, site: s.site, truth, spec, centre: s.centre, simulation: s.simulation });
    if (r === "written") written++;
    onScene(spec.id, r);
  }
  return written;
}

/** The worker's task: a share, each scene's outcome posted on the port. */
export function writeShareTask(s: ScenesShare, port?: MessagePort): Promise<number> {
  return writeShare(s, (id, outcome) => port?.postMessage({ id, outcome }));
}

/** Every scene of the plan over `jobs` threads (1: this one); `onScene` hears of each as it is done. */
export async function writeScenes(all: ScenesShare, jobs: number, onScene: SceneDone): Promise<number> {
  if (jobs <= 1 || all.specs.length <= 1) return writeShare(all, onScene);
  const n = Math.min(jobs, all.specs.length);
  // Interleaved shares: each worker gets scenes from every year, so the shares take about as long.
  const shares = Array.from({ length: n }, (_, k) => ({ ...all, specs: all.specs.filter((_, i) => i % n === k) }));
  const module = new URL("./write-scenes.ts", import.meta.url);
  type Done = { id: string; outcome: "written" | "kept" };
  const counts = await runEach<ScenesShare, number, Done>({ module, fn: "writeShareTask", tasks: shares, jobs: n, onMessage: (m) => onScene(m.id, m.outcome) });
  return counts.reduce((a, b) => a + b, 0);
}
