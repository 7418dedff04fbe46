/**
 * The main job: the two SIMULATED sites (simulate -> run -> verify their example claims) and the
 * real Brumadinho pair (run -> verify), all under one folder the server can show.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { simulateSite } from "../simulate/simulate.ts";
import { loadSite, SITES_DIR } from "../site/site.ts";
import { parseClaim } from "../verify/claim.ts";
import { verifyClaim } from "../verify/verify.ts";
import { runSite } from "./site-run.ts";

export interface DemoOptions {
  out: string;
  resolution?: number;
  log?: (line: string) => void;
}

const CLAIMS_DIR = join(SITES_DIR, "..", "claims");

export async function runDemo(o: DemoOptions): Promise<string[]> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const keys = ["bayan-obo", "ganzhou", "brumadinho"];
  for (const key of keys) {
    const site = await loadSite(key);
    const runDir = join(o.out, key);
    let scenes: string | undefined;
    if (site.simulated) {
      scenes = join(o.out, "_scenes", key);
      log(`SIMULATED ${key}: simulating ${site.years[0]}-${site.years[1]} ...`);
      await simulateSite({
        site,
        years: site.years,
        seed: 1,
        out: scenes,
        ...(o.resolution ? { resolution: o.resolution } : {}),
      });
    }
    log(`${site.simulated ? "SIMULATED " : ""}${key}: running the chain ...`);
    await runSite(site, { out: runDir, ...(scenes ? { scenesDir: scenes } : {}) });
    for (const f of (await readdir(CLAIMS_DIR)).filter((n) => n.startsWith(`${key}-`)).sort()) {
      const text = await readFile(join(CLAIMS_DIR, f), "utf8");
      const claim = parseClaim(JSON.parse(text), f);
      const r = await verifyClaim(claim, text, runDir, join(runDir, "reports", claim.id));
      log(`  claim ${claim.id}: ${r.verdict}`);
    }
  }
  return keys;
}
