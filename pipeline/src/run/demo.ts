/**
 * The main job: the two SIMULATED sites (simulate -> run -> verify their example claims) and the
 * real Brumadinho pair (run -> verify), all under one folder the server can show. The sites run
 * side by side, one worker thread each (as many at once as `jobs`, default one per core), the
 * smallest first, so the map can open as soon as the first is ready.
 */
import { availableParallelism } from "node:os";
import { runEach } from "../parallel/pool.ts";
import type { DemoSiteMessage, DemoSiteTask } from "./demo-site.ts";

export interface DemoOptions {
  out: string;
  resolution?: number;
  /** Sites at once (default: one per core). */
  jobs?: number;
  /** Stage events and verdict lines, per site. */
  onMessage?: (site: string, m: DemoSiteMessage) => void;
  /** Called when a site's run and reports are complete. */
  onSiteReady?: (site: string) => void | Promise<void>;
}

/** Smallest first: the real Brumadinho pair takes seconds, the simulated sites minutes. */
export const DEMO_SITES = ["brumadinho", "ganzhou", "bayan-obo"];
const TASK = new URL("./demo-site.ts", import.meta.url);

export async function runDemo(o: DemoOptions): Promise<string[]> {
  const tasks: DemoSiteTask[] = DEMO_SITES.map((key) => ({ key, out: o.out, ...(o.resolution ? { resolution: o.resolution } : {}) }));
  await runEach<DemoSiteTask, void, DemoSiteMessage>({
    module: TASK,
    fn: "demoSite",
    tasks,
    jobs: o.jobs ?? availableParallelism(),
    onMessage: (m, k) => o.onMessage?.(DEMO_SITES[k]!, m),
    onResult: (_, k) => o.onSiteReady?.(DEMO_SITES[k]!),
  });
  return DEMO_SITES;
}
