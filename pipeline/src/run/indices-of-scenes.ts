/**
 * `reewatch indices` over many scenes: each scene is independent (its own folder, item and
 * run.json), so with `jobs` > 1 they run side by side, one per worker thread (parallel/pool.ts);
 * the results, in the order of the scenes, do not depend on `jobs`. One scene, or `jobs` 1, runs
 * in this thread.
 */
import { runInWorker, workerPool } from "../parallel/pool.ts";
import { RunManifest } from "./manifest.ts";
import { runSceneIndices, type SceneIndicesParams, type SceneIndicesResult } from "./scene-indices.ts";

export interface IndicesOfScenes {
  scenes: string[];
  outDir: string;
  params: SceneIndicesParams;
  /** run.json parameters of every scene, besides its path. */
  recorded: Record<string, unknown>;
  jobs: number;
  /** Told as each scene finishes: its result, and how many are done. */
  onScene?: (r: SceneIndicesResult, done: number) => void;
}

interface SceneTask {
  scene: string;
  outDir: string;
  params: SceneIndicesParams;
  recorded: Record<string, unknown>;
}

/** One scene with its own manifest: the task a worker runs, and what this thread runs for one job. */
export function sceneTask(t: SceneTask): Promise<SceneIndicesResult> {
  return runSceneIndices(t.scene, t.outDir, t.params, new RunManifest("indices", { scene: t.scene, ...t.recorded }));
}

export async function indicesOfScenes(o: IndicesOfScenes): Promise<SceneIndicesResult[]> {
  const tasks = o.scenes.map((scene) => ({ scene, outDir: o.outDir, params: o.params, recorded: o.recorded }));
  let done = 0;
  const finished = (r: SceneIndicesResult) => {
    o.onScene?.(r, ++done);
    return r;
  };
  if (o.jobs <= 1 || tasks.length <= 1) {
    const out: SceneIndicesResult[] = [];
    for (const t of tasks) out.push(finished(await sceneTask(t)));
    return out;
  }
  const pool = workerPool(Math.min(o.jobs, tasks.length));
  try {
    const task = new URL("./indices-of-scenes.ts", import.meta.url);
    // Every scene runs to its end (a failed one cleans up its own temporary folder), then the first failure is thrown.
    const settled = await Promise.allSettled(tasks.map(async (t) => finished(await runInWorker<SceneIndicesResult>(pool, task, "sceneTask", t))));
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<SceneIndicesResult>).value);
  } finally {
    await pool.destroy();
  }
}
