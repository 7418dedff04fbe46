import { Command } from "commander";
import { BadParameter, loadSite, runSite } from "../pipeline/src/index.ts";
import { detail, say, setResult, showProgress } from "./output.ts";
import { stageBars } from "./stage-progress.ts";

export function command(): Command {
  return new Command("run")
    .description("run the whole chain for a site: masks, indices, composites, change, recovery, zonal stats, estimate, STAC, run.json")
    .argument("<site>", "site key (bayan-obo, ganzhou, brumadinho) or a site JSON")
    .option("--scenes <dir>", "folder of scenes (default: the scenes listed in the site JSON)")
    .requiredOption("-o, --out <dir>", "run directory")
    .option("--mask <spec>", "default | none | scl:... | qa:...", "default")
    .option("--seed <n>", "seed of the stratified sample", "1")
    .option("--reducer <name>", "annual composite reducer: median, medoid, max-ndvi (default: the site's)")
    .action(async (siteArg: string, opts) => {
      const site = await loadSite(siteArg);
      if (opts.reducer) {
        if (!["median", "medoid", "max-ndvi"].includes(opts.reducer)) throw new BadParameter(`--reducer ${opts.reducer}: expected median, medoid or max-ndvi`);
        site.reducer = opts.reducer;
      }
      const label = `${site.simulated ? "SIMULATED " : ""}${site.key}`;
      const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY });
      const m = await runSite(site, {
        out: opts.out,
        maskSpec: opts.mask,
        seed: Number(opts.seed),
        ...(opts.scenes ? { scenesDir: opts.scenes } : {}),
        onStage: bars.bar(label),
      }).finally(() => bars.stop());
      const total = m.stages.reduce((s, x) => s + x.seconds, 0);
      say(`${label}: run written to ${opts.out} (${total.toFixed(1)} s of stages)`);
      for (const s of m.stages) detail(`  ${s.name}: ${s.seconds.toFixed(3)} s`);
      setResult({ site: site.key, simulated: site.simulated, out: opts.out, key: m.toJSON().key, stages: m.stages, warnings: m.warnings });
    });
}
