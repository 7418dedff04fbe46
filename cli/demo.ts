import { availableParallelism } from "node:os";
import { Command } from "commander";
import { BadParameter, runDemo } from "../pipeline/src/index.ts";
import { type Served, startServer } from "../tiles/src/index.ts";
import { jsonDocument, outputMode, say, setResult, showProgress } from "./output.ts";
import { stageBars } from "./stage-progress.ts";

export function command(): Command {
  return new Command("demo")
    .description("process the samples (SIMULATED Bayan Obo and Ganzhou, real Brumadinho) side by side, verify the example claims, serve the viewer")
    .option("-o, --out <dir>", "output folder", "out/demo")
    .option("--resolution <m>", "pixel size of the simulated sites in metres (default: the site grid, 20 m)")
    .option("-p, --port <n>", "port", "8080")
    .option("-j, --jobs <n>", "sites processed at once (default: one per core)", String(availableParallelism()))
    .option("--no-serve", "stop after processing")
    .action(async (opts) => {
      const resolution = opts.resolution ? Number(opts.resolution) : undefined;
      if (resolution !== undefined && !(resolution >= 10 && resolution <= 1000))
        throw new BadParameter(`--resolution ${opts.resolution}: expected 10..1000 metres`);
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new BadParameter(`--jobs ${opts.jobs}: expected a positive integer`);
      const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY });
      let served: Served | undefined;
      // The server opens with the first finished site and reads the run folder again after each one.
      const onSiteReady = async () => {
        if (!opts.serve) return;
        if (served) return served.refresh();
        served = await startServer({ dir: opts.out, port: Number(opts.port) });
        if (showProgress()) bars.log(`reewatch viewer: ${served.url}/  (open it now; reload to see sites that finish later)`);
        if (!outputMode().json) process.stdout.write(`${served.url}/\n`);
      };
      try {
        const sites = await runDemo({
          out: opts.out,
          jobs,
          ...(resolution ? { resolution } : {}),
          onMessage: (site, m) => (m.kind === "line" ? bars.log(m.line) : bars.bar(site)(m)),
          onSiteReady,
        });
        setResult({ out: opts.out, sites, jobs, ...(served ? { url: `${served.url}/` } : {}) });
      } finally {
        bars.stop();
      }
      if (!served) return;
      say(`\nreewatch viewer: ${served.url}/  (every site is ready; SIMULATED sites are labelled as such; Ctrl-C to stop)`);
      // The server runs until stopped: --json prints its document now.
      if (outputMode().json) process.stdout.write(jsonDocument("demo", 0));
      await new Promise(() => {});
    });
}
