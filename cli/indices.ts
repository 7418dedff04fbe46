import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { BadParameter, ensureOutDir, indicesOfScenes, loadAoi, writeItemCatalog } from "../pipeline/src/index.ts";
import { detail, setResult, showProgress } from "./output.ts";
import { stageBars } from "./stage-progress.ts";

export function command(): Command {
  return new Command("indices")
    .description("compute spectral indices of one or more scenes as COGs, with a STAC item per scene and run.json")
    .argument("<scenes...>", "scene: STAC item JSON, scene folder, Landsat tarball or multiband stack")
    .requiredOption("-o, --out <dir>", "output directory (scene folders, catalog.json, run.json)")
    .option("--aoi <file>", "AOI polygon (GeoJSON, KML or zipped Shapefile); only its window is read, outside is NaN")
    .option("--aoi-crs <datum>", "datum of the AOI's lon/lat: wgs84 (default), gcj02 or bd09; converted to WGS84", "wgs84")
    .option("--index <list>", "comma-separated index names, or 'all'", "all")
    .option("--mask <spec>", "default | none | scl:0,1,3,8,9,10 | qa:0,1,2,3,4", "default")
    .addOption(new Option("--nir <band>", "Sentinel-2 NIR band").choices(["B08", "B8A"]))
    .option("--block-rows <n>", "rows per processing strip", "512")
    .addOption(
      new Option("--dtype <type>", "stored samples: float32, or int16 scaled by 1e-4 with no-data -32768 (half the bytes)")
        .choices(["float32", "int16"])
        .default("float32"),
    )
    .option("-j, --jobs <n>", "worker threads: scenes side by side (default: one per core)", String(availableParallelism()))
    .option(
      "--split-scene",
      "cut each scene into columns computed by the -j threads (for one big tile; measured 1.08x faster at +50 % memory on 2 cores: the COG writing bounds it)",
    )
    .action(async (scenes: string[], opts) => {
      await ensureOutDir(opts.out);
      const aoi = opts.aoi ? await loadAoi(opts.aoi, { crs: opts.aoiCrs, label: `--aoi ${opts.aoi}` }) : undefined;
      const indices = String(opts.index)
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const blockRows = Number(opts.blockRows);
      if (!Number.isInteger(blockRows) || blockRows < 1) throw new BadParameter(`--block-rows ${opts.blockRows}: expected a positive integer`);
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new BadParameter(`--jobs ${opts.jobs}: expected a positive integer`);
      const bars = stageBars({ quiet: !showProgress(), tty: !!process.stderr.isTTY, unit: "scenes" });
      const bar = bars.bar("indices");
      const results = await indicesOfScenes({
        scenes,
        outDir: opts.out,
        params: { indices, mask: opts.mask, ...(aoi ? { aoi } : {}), ...(opts.nir ? { nir: opts.nir } : {}), blockRows, dtype: opts.dtype },
        recorded: {
          indices,
          mask: opts.mask,
          aoi: opts.aoi ? { file: opts.aoi, conversion: aoi?.conversion ?? null, notes: aoi?.notes ?? [] } : null,
          nir: opts.nir ?? null,
          blockRows,
          dtype: opts.dtype,
        },
        jobs,
        splitScene: !!opts.splitScene,
        onScene: (r, done) => {
          const what = `${r.skipped ? "unchanged" : "wrote"} ${join(opts.out, r.sceneId)}: ${r.products.join(", ")} (masked ${(100 * r.maskedFraction).toFixed(1)} %)`;
          bar({ stage: what, done, total: scenes.length, finished: true });
          detail(`  STAC item ${r.itemPath}`);
        },
      }).finally(() => bars.stop());
      await writeItemCatalog(opts.out, "reewatch-indices", "Spectral indices computed by reewatch");
      setResult(results);
    });
}
