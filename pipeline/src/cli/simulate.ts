import { Command } from "commander";
import { BadParameter } from "../errors.ts";
import { simulateSite } from "../simulate/simulate.ts";
import { loadSite } from "../site/site.ts";

export function command(): Command {
  return new Command("simulate")
    .description("write a SIMULATED multi-year Sentinel-2 L2A-like stack for a site, with its planted truth")
    .requiredOption("--site <key-or-json>", "bayan-obo, ganzhou, or a site JSON")
    .option("--years <from-to>", "year range", "2016-2024")
    .option("--seed <n>", "random seed", "1")
    .option("--resolution <m>", "pixel size override in metres (coarser is faster)")
    .requiredOption("-o, --out <dir>", "output folder (one folder per scene + truth/)")
    .action(async (opts) => {
      const m = /^(\d{4})-(\d{4})$/.exec(opts.years);
      if (!m || Number(m[1]) > Number(m[2])) throw new BadParameter(`--years ${opts.years}: expected YYYY-YYYY`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new BadParameter(`--seed ${opts.seed}: expected an integer`);
      const site = await loadSite(opts.site);
      const r = await simulateSite({
        site,
        years: [Number(m[1]), Number(m[2])],
        seed,
        out: opts.out,
        ...(opts.resolution ? { resolution: Number(opts.resolution) } : {}),
      });
      process.stderr.write(`SIMULATED ${r.scenes.length} scenes for ${site.key} in ${opts.out}; truth in ${r.truth}\n`);
    });
}
