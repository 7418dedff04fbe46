/**
 * `reewatch <command>`: argument parsing only. Each command lives in its own file and is loaded
 * when it is invoked, so `reewatch --help` stays fast and one broken command cannot break the rest.
 */
import { Command, CommanderError, Option } from "commander";
import { oneLine, ReewatchError, SOFTWARE_VERSION } from "../pipeline/src/index.ts";
import { jsonDocument, outputMode, setOutputMode } from "./output.ts";

interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ command: () => Command }>;
}

const COMMANDS: CommandEntry[] = [
  {
    name: "info",
    summary: "describe a scene: sensor, date, CRS, bands, scale/offset, cloud fraction",
    load: () => import("./info.ts"),
  },
  {
    name: "fetch",
    summary: "search a STAC API and fetch the AOI window of real Sentinel-2/Landsat scenes for offline use",
    load: () => import("./fetch.ts"),
  },
  {
    name: "indices",
    summary: "compute spectral indices of a scene as COGs with STAC",
    load: () => import("./indices.ts"),
  },
  {
    name: "simulate",
    summary: "write a SIMULATED multi-year Sentinel-2 stack for a site, with its truth",
    load: () => import("./simulate.ts"),
  },
  {
    name: "run",
    summary: "run the whole chain for a site: composites, change, recovery, zonal stats",
    load: () => import("./run.ts"),
  },
  {
    name: "worker",
    summary: "do the jobs of queued runs (`run --queue`) from a Redis queue, on this machine, until stopped",
    load: () => import("./worker.ts"),
  },
  {
    name: "status",
    summary: "show a Redis queue's waiting, active, done and failed jobs, with the failures' reasons",
    load: () => import("./status.ts"),
  },
  {
    name: "change",
    summary: "segmentation and trend per pixel of annual composites you bring (one GeoTIFF per year) or of a run",
    load: () => import("./change.ts"),
  },
  {
    name: "recovery",
    summary: "recovery metrics (Y2R, R80P, YrYr, dIR, RRI) of restoration polygons from annual composites or a run",
    load: () => import("./recovery.ts"),
  },
  {
    name: "verify",
    summary: "check a restoration claim against a run and write report.json/html",
    load: () => import("./verify.ts"),
  },
  {
    name: "estimate",
    summary: "Olofsson stratified area estimate with 95 % CIs from a labelled sample sheet, or from counts and mapped areas",
    load: () => import("./estimate.ts"),
  },
  {
    name: "sample",
    summary: "redraw the stratified sample (sample.csv, strata.json) of a run's class map",
    load: () => import("./sample.ts"),
  },
  {
    name: "serve",
    summary: "serve tiles, the API and the viewer for a run directory on 127.0.0.1",
    load: () => import("./serve.ts"),
  },
  {
    name: "tiles",
    summary: "export the map (PMTiles archives, COGs, viewer) for any static host",
    load: () => import("./tiles.ts"),
  },
  {
    name: "demo",
    summary: "process the samples (simulated sites, Brumadinho) and serve the viewer",
    load: () => import("./demo.ts"),
  },
];

function rootProgram(): Command {
  const program = new Command("reewatch")
    .description("Watch rare-earth mines from space: scenes in, disturbance and restoration evidence out.")
    .version(SOFTWARE_VERSION);
  for (const c of COMMANDS) program.command(c.name).description(c.summary);
  return program;
}

/** -q, -v and --json on every command (output.ts), unless the command declares them itself. */
function withOutputOptions(cmd: Command): Command {
  const has = (flag: string) => cmd.options.some((o) => o.long === flag);
  if (!has("--quiet")) cmd.addOption(new Option("-q, --quiet", "no notes or progress on stderr"));
  if (!has("--verbose")) cmd.addOption(new Option("-v, --verbose", "more detail on stderr"));
  if (!has("--json")) cmd.addOption(new Option("--json", "print one JSON document on stdout: {command, ok, seconds, peakRssMB, result | error}"));
  return cmd.hook("preAction", (c) => {
    const o = c.opts();
    setOutputMode({ quiet: !!o.quiet, verbose: !!o.verbose, json: !!o.json });
  });
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const name = argv[2];
  const entry = COMMANDS.find((c) => c.name === name);
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  try {
    if (!entry) {
      rootProgram().exitOverride().parse(argv);
      return 0;
    }
    const mod = await entry.load();
    const cmd = withOutputOptions(mod.command()).exitOverride();
    await cmd.parseAsync(argv.slice(3), { from: "user" });
    if (outputMode().json) process.stdout.write(jsonDocument(entry.name, seconds()));
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const exitCode = err instanceof ReewatchError ? err.exitCode : 1;
    process.stderr.write(`reewatch${entry ? ` ${entry.name}` : ""}: ${oneLine(err)}\n`);
    if (process.env.REEWATCH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    if (entry && argv.includes("--json")) process.stdout.write(jsonDocument(entry.name, seconds(), { message: oneLine(err), exitCode }));
    return exitCode;
  }
}
