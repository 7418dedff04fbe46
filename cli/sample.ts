import { join } from "node:path";
import { Command } from "commander";
import { BadParameter, redrawSample } from "../pipeline/src/index.ts";
import { say, setResult } from "./output.ts";

function count(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new BadParameter(`${flag} ${v}: expected a whole number >= ${min}`);
  return n;
}

export function command(): Command {
  return new Command("sample")
    .description("redraw the stratified sample of a run's class map: estimate/sample.csv (the points to label) and estimate/strata.json")
    .argument("<run>", "run directory written by `reewatch run`")
    .option("--n-per-class <n>", "at least this many points per class (default: the run's, 75 for annual runs, 50 for pairs)")
    .option("--total <n>", "points shared out in proportion to class areas (default: the run's, 600 annual, 100 pairs)")
    .option("--seed <n>", "seed of the draw (default: the run's)")
    .option("--overwrite", "replace a sample that already has labels (they move to estimate/superseded/<time>/)")
    .addHelpText(
      "after",
      "\nAllocation: n_h = min(N_h, max(n-per-class, round(total * N_h / N))) for a class of N_h pixels out of N;\nthe map is the one named in estimate/strata.json, else the run's last class map (from its catalog).",
    )
    .action(async (run: string, opts) => {
      const minPerClass = count("--n-per-class", opts.nPerClass, 2);
      const r = await redrawSample(run, {
        ...(minPerClass !== undefined ? { minPerClass } : {}),
        ...(opts.total !== undefined ? { total: count("--total", opts.total, 1)! } : {}),
        ...(opts.seed !== undefined ? { seed: count("--seed", opts.seed, 0)! } : {}),
        overwrite: !!opts.overwrite,
      });
      const s = r.design.strata;
      if (s.minPerClass! < 50)
        process.stderr.write(`warning: ${s.minPerClass} points per class is below 50, the usual minimum per class of a stratified accuracy sample\n`);
      const per = s.classes.map((c) => `${c.name} ${c.sampled}/${c.pixels} px`).join(", ");
      const moved = r.superseded.length ? `; the previous sample and labels moved to ${join(run, "estimate", r.superseded[0]!, "..")}` : "";
      say(`${join(run, "estimate", "sample.csv")}: ${r.design.points.length} points of ${s.map} (seed ${s.seed}; ${per})${moved}`);
      setResult({ sample: join(run, "estimate", "sample.csv"), points: r.design.points.length, strata: s, superseded: r.superseded });
    });
}
