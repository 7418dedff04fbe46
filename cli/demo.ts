import { Command } from "commander";
import { startServer } from "../tiles/src/index.ts";
import { BadParameter } from "../pipeline/src/index.ts";
import { runDemo } from "../pipeline/src/index.ts";

export function command(): Command {
  return new Command("demo")
    .description("process the samples (SIMULATED Bayan Obo and Ganzhou, real Brumadinho), verify the example claims, serve the viewer")
    .option("-o, --out <dir>", "output folder", "out/demo")
    .option("--resolution <m>", "pixel size of the simulated sites in metres (default: the site grid, 20 m)")
    .option("-p, --port <n>", "port", "8080")
    .option("--no-serve", "stop after processing")
    .action(async (opts) => {
      const resolution = opts.resolution ? Number(opts.resolution) : undefined;
      if (resolution !== undefined && !(resolution >= 10 && resolution <= 1000))
        throw new BadParameter(`--resolution ${opts.resolution}: expected 10..1000 metres`);
      await runDemo({ out: opts.out, ...(resolution ? { resolution } : {}) });
      if (!opts.serve) return;
      const { url } = await startServer({ dir: opts.out, port: Number(opts.port) });
      process.stderr.write(`\nreewatch viewer: ${url}/  (SIMULATED sites are labelled as such; Ctrl-C to stop)\n`);
      process.stdout.write(`${url}/\n`);
      await new Promise(() => {});
    });
}
