import { Command } from "commander";
import { startServer } from "../../../tiles/src/server.ts";
import { BadParameter } from "../errors.ts";

export function command(): Command {
  return new Command("serve")
    .description("serve tiles, the API, the STAC catalogs, claim reports and the viewer for run directories, on 127.0.0.1")
    .argument("<dir>", "a run directory, or a folder of run directories (one per site)")
    .option("-p, --port <n>", "port (0 = any free port)", "8080")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .action(async (dir: string, opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadParameter(`--port ${opts.port}: expected 0..65535`);
      const { url, sites } = await startServer({ dir, port, host: opts.host });
      if (!sites.length) throw new BadParameter(`${dir}: no run directories (site.json + catalog.json) found`);
      process.stderr.write(`serving ${sites.map((s) => `${s.simulated ? "SIMULATED " : ""}${s.key}`).join(", ")}\n`);
      process.stdout.write(`${url}/\n`);
      await new Promise(() => {});
    });
}
