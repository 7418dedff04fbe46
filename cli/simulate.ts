import { availableParallelism } from "node:os";
import { Command } from "commander";
import { BadParameter, loadSite, simulateSite } from "../pipeline/src/index.ts";
import { say, setResult, showProgress } from "./output.ts";
import { stageBars } from "./stage-progress.ts";

const int = (name: string, v: string) => {
  if (!/^-?\d+$/.test(v)) throw new BadParameter(`${name} ${v}: expected an integer`);
  return Number(v);
};

export function command(): Command {
  return new Command("simulate")
    .description(
      "write a SIMULATED multi-year Sentinel-2 L2A-like stack for a site (one folder per scene: band COGs, SCL and a STAC item) with its planted truth in OUT/truth/",
    )
    .requiredOption("--site <key-or-json>", "bayan-obo, ganzhou, or a site JSON with a simulation block")
    .option("--years <from-to>", "year range, e.g. 2016-2024 (default: the site's years)")
    .option("--scenes-per-year <n>", "acquisitions per year, about 2/3 inside the season window (default: the site's)")
    .option("--seed <n>", "random seed: the same seed gives byte-identical files", "1")
    .option("--resolution <m>", "pixel size in metres instead of the site grid's (coarser is faster)")
    .requiredOption("-o, --out <dir>", "output folder")
    .option(
      "-j, --jobs <n>",
      "scenes written at once, one share per worker thread (default: one per core); the files do not depend on it",
      String(availableParallelism()),
    )
    .option("--overwrite", "replace scene folders in OUT that another simulation (other seed, pixel size, model, dates) made")
    .action(async (opts) => {
      const site = await loadSite(opts.site);
      let years: [number, number] = site.years;
      if (opts.years) {
        const m = /^(\d{4})-(\d{4})$/.exec(opts.years);
        if (!m || Number(m[1]) > Number(m[2])) throw new BadParameter(`--years ${opts.years}: expected YYYY-YYYY, first <= last`);
        years = [Number(m[1]), Number(m[2])];
      }
      const resolution = opts.resolution === undefined ? undefined : Number(opts.resolution);
      if (resolution !== undefined && !(resolution > 0)) throw new BadParameter(`--resolution ${opts.resolution}: expected a positive number of metres`);
      const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY, unit: "scenes" });
      const bar = bars.bar(`SIMULATED ${site.key}`);
      const r = await simulateSite({
        site,
        years,
        seed: int("--seed", opts.seed),
        out: opts.out,
        onStale: opts.overwrite ? "replace" : "refuse",
        ...(resolution ? { resolution } : {}),
        ...(opts.scenesPerYear !== undefined ? { scenesPerYear: int("--scenes-per-year", opts.scenesPerYear) } : {}),
        jobs: int("--jobs", opts.jobs),
        log: say,
        onScene: (e) => bar({ stage: `${e.id} ${e.result}`, done: e.done, total: e.total, finished: true }),
      }).finally(() => bars.stop());
      const g = r.grid;
      say(
        `SIMULATED ${r.scenes.length} scenes for ${site.key} ${years[0]}-${years[1]} (${r.written} written, ${r.kept} already complete) on ${g.width}x${g.height} px at ${g.transform[0]} m in ${r.seconds.toFixed(1)} s; truth in ${r.truth}`,
      );
      setResult({ simulated: true, site: site.key, years, ...r });
    });
}
