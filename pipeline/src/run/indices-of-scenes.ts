/**
 * `reewatch indices` over many scenes: each scene is independent (its own folder, item and
 * run.json), so with `jobs` > 1 they run side by side, one per worker thread (parallel/pool.ts).
 * With `splitScene`, the scenes run one after the other here instead, each cut into columns that
 * `jobs` worker threads compute (scene-columns.ts): for one big tile. The results, in the order
 * of the scenes, do not depend on `jobs` or on the split.
 */
import { runEach } from "../parallel/pool.ts";
import { RunManifest } from "./manifest.ts";
import { runSceneIndices, type SceneIndicesParams, type SceneIndicesResult } from "./scene-indices.ts";

export interface IndicesOfScenes {
  scenes: string[];
  outDir: string;
  params: SceneIndicesParams;
  /** run.json parameters of every scene, besides its path. */
  recorded: Record<string, unknown>;
  jobs: number;
  /** Cut each scene into columns for the `jobs` threads instead of running scenes side by side. */
  splitScene?: boolean;
  /** Told as each scene finishes: its result, and how many are done. */
  onScene?: (r: SceneIndicesResult, done: number) => void;
}

interface SceneTask {
  scene: string;
  outDir: string;
  params: SceneIndicesParams;
  recorded: Record<string, unknown>;
  /** Worker threads inside the scene. */
  threads: number;
}

/** One scene with its own manifest: the task a worker runs, and what this thread runs for one job. */
export function sceneTask(t: SceneTask): Promise<SceneIndicesResult> {
  return runSceneIndices(t.scene, t.outDir, t.params, new RunManifest("indices", { scene: t.scene, ...t.recorded }), t.threads);
}

export async function indicesOfScenes(o: IndicesOfScenes): Promise<SceneIndicesResult[]> {
  const inScene = !!o.splitScene && o.jobs > 1;
  const tasks = o.scenes.map((scene) => ({ scene, outDir: o.outDir, params: o.params, recorded: o.recorded, threads: inScene ? o.jobs : 1 }));
  let done = 0;
  const finished = (r: SceneIndicesResult) => o.onScene?.(r, ++done);
  if (o.jobs <= 1 || inScene) {
    const out: SceneIndicesResult[] = [];
    for (const t of tasks) {
      const r = await sceneTask(t);
      finished(r);
      out.push(r);
    }
    return out;
  }
  const module = new URL("./indices-of-scenes.ts", import.meta.url);
  return runEach<SceneTask, SceneIndicesResult>({ module, fn: "sceneTask", tasks, jobs: o.jobs, onResult: finished });
}
