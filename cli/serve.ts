import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { BadParameter } from "../pipeline/src/index.ts";
import { startServer, VIEWER_DIST } from "../tiles/src/index.ts";
import { jsonDocument, outputMode, say, setResult } from "./output.ts";

export function command(): Command {
  return new Command("serve")
    .description("serve tiles, the API, the STAC catalogs, claim reports and the viewer for run directories, on 127.0.0.1")
    .argument("<dir>", "a run directory, or a folder of run directories (one per site)")
    .option("-p, --port <n>", "port (0 = any free port)", "8080")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--labels", "let the viewer save reference labels to <run>/estimate/labels*.csv (writes need the session token printed in the URL)")
    .action(async (dir: string, opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadParameter(`--port ${opts.port}: expected 0..65535`);
      if (opts.labels && ["0.0.0.0", "::", ""].includes(opts.host))
        throw new BadParameter(`--labels with --host ${opts.host}: give the address the browser will use (writes are checked against it)`);
      if (!existsSync(dir)) throw new BadParameter(`${dir}: no such directory (give a run directory, or a folder of them)`);
      if (!isLoopback(opts.host))
        process.stderr.write(
          `warning: --host ${opts.host} serves the runs beyond this machine (tiles, reports, STAC and scene footprints are readable by anyone who can reach it)\n`,
        );
      const { url, sites, token } = await startServer({ dir, port, host: opts.host, labels: !!opts.labels });
      if (!sites.length) throw new BadParameter(`${dir}: no run directories (site.json + catalog.json) found`);
      if (!existsSync(join(VIEWER_DIST, "index.html")))
        process.stderr.write(
          "viewer not built (viewer/dist is missing; npm ci builds it, or `npm run build:viewer`): the API, tiles and reports work, / answers 404\n",
        );
      say(`serving ${sites.map((s) => `${s.simulated ? "SIMULATED " : ""}${s.key}`).join(", ")}`);
      // Like a notebook server: the token is in the address, and only pages opened from it can save labels.
      const sampled = token ? sites.filter((s) => existsSync(join(s.dir, "estimate", "sample.csv"))) : [];
      if (token) {
        say(
          `labelling on: labels are saved to <run>/estimate/labels*.csv; open ${sampled.length ? "one of these addresses" : "this address"} (it carries this session's token)`,
        );
        if (!sampled.length) say("no run has estimate/sample.csv yet: `reewatch sample <run>` draws one");
      }
      const lines = !token ? [`${url}/`] : sampled.length ? sampled.map((s) => `${url}/?token=${token}#label=${s.key}`) : [`${url}/?token=${token}`];
      // The server runs until stopped: --json prints its document once it listens.
      setResult({ url: `${url}/`, addresses: lines, sites: sites.map((s) => ({ key: s.key, simulated: s.simulated })), labels: !!token });
      process.stdout.write(outputMode().json ? jsonDocument("serve", 0) : `${lines.join("\n")}\n`);
      await new Promise(() => {});
    });
}

/** 127.0.0.0/8, ::1 and localhost stay on this machine; anything else can be reached from outside. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
