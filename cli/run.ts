import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Command } from "commander";
import { BadParameter, loadSite, runQueued, runSite, type Site } from "../pipeline/src/index.ts";
import { detail, say, setResult, showProgress } from "./output.ts";
import { graceSeconds, REDIS_GRACE_HELP } from "./redis-grace.ts";
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
    .option("-j, --jobs <n>", "season years composited at once, one per worker thread (default: one per core)", String(availableParallelism()))
    .option(
      "--block-rows <n>",
      "rows of the site grid a season year reads at a time: memory is one strip of each scene (the outputs do not depend on it)",
      "512",
    )
    .option("--queue <url>", "plan the run as jobs on this Redis (redis://HOST:PORT) and wait while `reewatch worker`s do them")
    .option("--redis-grace <s>", REDIS_GRACE_HELP, "30")
    .action(async (siteArg: string, opts) => {
      const site = await loadSite(siteArg);
      if (opts.reducer) {
        if (!["median", "medoid", "max-ndvi"].includes(opts.reducer)) throw new BadParameter(`--reducer ${opts.reducer}: expected median, medoid or max-ndvi`);
        site.reducer = opts.reducer;
      }
      const label = `${site.simulated ? "SIMULATED " : ""}${site.key}`;
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new BadParameter(`--jobs ${opts.jobs}: expected a positive integer`);
      const blockRows = Number(opts.blockRows);
      if (!Number.isInteger(blockRows) || blockRows < 1) throw new BadParameter(`--block-rows ${opts.blockRows}: expected a positive integer`);
      const where = { out: opts.out, maskSpec: opts.mask, seed: Number(opts.seed), blockRows, ...(opts.scenes ? { scenesDir: opts.scenes } : {}) };
      const graceMs = graceSeconds(opts.redisGrace) * 1000;
      const m = opts.queue ? await queued(site, label, { url: opts.queue, graceMs }, where) : await local(site, label, { ...where, jobs });
      const total = m.stages.reduce((s, x) => s + x.seconds, 0);
      say(`${label}: run written to ${opts.out} (${total.toFixed(1)} s of stages)`);
      for (const s of m.stages) detail(`  ${s.name}: ${s.seconds.toFixed(3)} s`);
      setResult({ site: site.key, simulated: site.simulated, out: opts.out, key: m.key, stages: m.stages, warnings: m.warnings });
    });
}

type Where = { out: string; maskSpec: string; seed: number; blockRows: number; scenesDir?: string };

async function local(site: Site, label: string, where: Where & { jobs: number }) {
  const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY });
  return runSite(site, { ...where, onStage: bars.bar(label) }).finally(() => bars.stop());
}

/** Workers may run elsewhere with another working directory: every path they get is absolute. */
async function queued(site: Site, label: string, queue: { url: string; graceMs: number }, where: Where) {
  const abs = { ...where, out: resolve(where.out), ...(where.scenesDir ? { scenesDir: resolve(where.scenesDir) } : {}) };
  const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY, unit: "jobs" });
  const bar = bars.bar(`${label} (queued)`);
  const onJob = (e: { stage: string; done: number; total: number }) => bar({ ...e, finished: true });
  return runQueued({ ...site, path: resolve(site.path) }, { ...abs, queue: queue.url, graceMs: queue.graceMs, onJob }).finally(() => bars.stop());
}
