/**
 * One site of the demo, run in a worker thread (demo.ts): simulate it when it is SIMULATED, run
 * the chain, verify its example claims. Stage events go to the port for the progress bars.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MessagePort } from "node:worker_threads";
import { simulateSite } from "../simulate/simulate.ts";
import { loadSite, SITES_DIR } from "../site/site.ts";
import { parseClaim } from "../verify/claim.ts";
import { verifyClaim } from "../verify/verify.ts";
import { runSite, type StageEvent } from "./site-run.ts";

export interface DemoSiteTask {
  key: string;
  out: string;
  resolution?: number;
}

/** What the worker reports: a stage of the site run, or a line for the log. */
export type DemoSiteMessage = ({ kind: "stage" } & StageEvent) | { kind: "line"; line: string };

const CLAIMS_DIR = join(SITES_DIR, "..", "claims");

export async function demoSite(t: DemoSiteTask, port?: MessagePort): Promise<void> {
  const say = (m: DemoSiteMessage) => port?.postMessage(m);
  const site = await loadSite(t.key);
  const runDir = join(t.out, t.key);
  let scenes: string | undefined;
  if (site.simulated) {
    scenes = join(t.out, "_scenes", t.key);
    say({ kind: "stage", stage: `simulate ${site.years[0]}-${site.years[1]}`, done: 0, total: 1 });
    await simulateSite({ site, years: site.years, seed: 1, out: scenes, ...(t.resolution ? { resolution: t.resolution } : {}) });
  }
  await runSite(site, { out: runDir, ...(scenes ? { scenesDir: scenes } : {}), onStage: (e) => say({ kind: "stage", ...e }) });
  for (const f of (await readdir(CLAIMS_DIR)).filter((n) => n.startsWith(`${t.key}-`)).sort()) {
    const text = await readFile(join(CLAIMS_DIR, f), "utf8");
    const claim = parseClaim(JSON.parse(text), f);
    const r = await verifyClaim(claim, text, runDir, join(runDir, "reports", claim.id));
    say({ kind: "line", line: `${site.simulated ? "SIMULATED " : ""}${t.key}: claim ${claim.id}: ${r.verdict}` });
  }
}
