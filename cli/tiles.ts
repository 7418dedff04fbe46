import { availableParallelism } from "node:os";
import { Command } from "commander";
import { BadParameter } from "../pipeline/src/index.ts";
import { exportStatic } from "../tiles/src/index.ts";
import { say, setResult, showProgress } from "./output.ts";
import { stageBars } from "./stage-progress.ts";

export function command(): Command {
  return new Command("tiles")
    .description(
      "export the map for any static host: one PMTiles archive per product and date, the COGs the point chart reads, the site list, reports and the viewer",
    )
    .argument("<dir>", "a run directory, or a folder of run directories")
    .requiredOption("-o, --out <dir>", "output folder (open index.html from a web server)")
    .option("--minzoom <z>", "lowest zoom", "10")
    .option("--maxzoom <z>", "highest zoom", "14")
    .option("--products <list>", "comma-separated products (default: all)")
    .option("-j, --jobs <n>", "layers rendered at once, one per worker thread (default: one per core)", String(availableParallelism()))
    .option("--format <format>", "tiles as PMTiles archives, or as an XYZ folder tree (pmtiles|xyz)", "pmtiles")
    .action(async (dir: string, opts) => {
      const [minZoom, maxZoom] = [Number(opts.minzoom), Number(opts.maxzoom)];
      if (!Number.isInteger(minZoom) || !Number.isInteger(maxZoom) || minZoom < 0 || maxZoom > 18 || minZoom > maxZoom)
        throw new BadParameter(`--minzoom/--maxzoom ${opts.minzoom}/${opts.maxzoom}: expected 0 <= min <= max <= 18`);
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new BadParameter(`--jobs ${opts.jobs}: expected a positive integer`);
      if (opts.format !== "pmtiles" && opts.format !== "xyz") throw new BadParameter(`--format ${opts.format}: expected pmtiles or xyz`);
      const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY, unit: "layers" });
      const bar = bars.bar("tiles");
      const r = await exportStatic({
        dir,
        out: opts.out,
        minZoom,
        maxZoom,
        format: opts.format,
        jobs,
        ...(opts.products ? { products: String(opts.products).split(",") } : {}),
        log: say,
        onLayer: (e) => bar({ stage: `${e.layer}: ${e.tiles} tiles`, done: e.done, total: e.total, finished: true }),
      }).finally(() => bars.stop());
      say(`wrote ${r.tiles} tiles (${opts.format}) and copied ${r.files} run files to ${opts.out}`);
      setResult({ out: opts.out, format: opts.format, tiles: r.tiles, files: r.files, minZoom, maxZoom });
    });
}
