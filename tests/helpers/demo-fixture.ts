/** A small demo run (SIMULATED sites at 60 m + the real Brumadinho pair) shared by server and browser tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDemo } from "../../pipeline/src/run/demo.ts";

export async function makeDemo(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), "reewatch-demo-")), "demo");
  await runDemo({ out, resolution: 60 });
  return out;
}
