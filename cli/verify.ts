import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { BadParameter, parseClaim, verifyClaim } from "../pipeline/src/index.ts";
import { detail, say, setResult } from "./output.ts";

export function command(): Command {
  return new Command("verify")
    .description("check a restoration or disturbance claim against a run; writes report.json and a self-contained report.html")
    .argument("<claims...>", "claim JSON file(s)")
    .requiredOption("--run <dir>", "run directory written by `reewatch run`")
    .option("-o, --out <dir>", "report folder (default: <run>/reports/<claim id>)")
    .option("--seed <n>", "seed of the verification sample", "1")
    .action(async (files: string[], opts) => {
      const reports = [];
      for (const f of files) {
        const text = await readFile(f, "utf8").catch((e) => {
          throw new BadParameter(`${f}: cannot read the claim (${(e as NodeJS.ErrnoException).code})`);
        });
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (e) {
          throw new BadParameter(`${f}: not valid JSON (${(e as Error).message})`);
        }
        const claim = parseClaim(json, f);
        const out = opts.out && files.length === 1 ? opts.out : join(opts.out ?? join(opts.run, "reports"), claim.id);
        const r = await verifyClaim(claim, text, opts.run, out, Number(opts.seed));
        say(
          `${r.simulated ? "SIMULATED " : ""}${claim.id}: ${r.verdict} (${r.measured.value ?? "n/a"} ${r.measured.unit}, 95 % CI ${JSON.stringify(r.measured.ci95)}) -> ${out}/report.html`,
        );
        detail(`  ${out}/report.json, ${out}/report.zh.html; ${r.notes.length} note(s)`);
        reports.push(r);
        setResult(reports);
      }
    });
}
