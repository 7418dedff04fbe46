import { Command } from "commander";
import { CHANGE_RULES, runCompositesChange } from "../pipeline/src/index.ts";
import { say, setResult } from "./output.ts";
import { parseNumber } from "./years.ts";

export function command(): Command {
  return new Command("change")
    .description(
      "segmentation (LandTrendr-style) and trend per pixel of annual composites: a folder of one multi-band GeoTIFF per year (bands named in the band descriptions) or a reewatch run directory; writes <out>/change/ as a site run does, with STAC",
    )
    .requiredOption(
      "--composites <dir>",
      "folder of annual GeoTIFFs named by year (blue, green, red, nir, swir1/swir16, swir2/swir22), or a reewatch run directory",
    )
    .option("--index <name>", "index to segment (nbr, ndvi, ...)", "nbr")
    .option("--aoi <file>", "GeoJSON polygons (EPSG:4326, or the CRS named in its crs member): only pixels whose centre is inside are segmented")
    .option(
      "--min-magnitude <m>",
      `minimum loss of the index for a disturbance (default: the run's site value, else ${CHANGE_RULES.minMagnitude} as site runs)`,
    )
    .requiredOption("-o, --out <dir>", "output directory (change/, catalog.json, run.json)")
    .action(async (opts) => {
      const minMagnitude = opts.minMagnitude === undefined ? undefined : parseNumber(opts.minMagnitude, "--min-magnitude", (x) => x > 0, "a positive number");
      const m = await runCompositesChange({
        composites: opts.composites,
        index: String(opts.index).trim().toLowerCase(),
        out: opts.out,
        ...(opts.aoi ? { aoi: opts.aoi } : {}),
        ...(minMagnitude !== undefined ? { minMagnitude } : {}),
      });
      const p = m.parameters as { years: number[]; minMagnitude: number };
      say(`change of ${opts.index} ${p.years[0]}-${p.years.at(-1)} (min magnitude ${p.minMagnitude}) written to ${opts.out}/change`);
      setResult({ index: opts.index, years: p.years, minMagnitude: p.minMagnitude, out: `${opts.out}/change` });
    });
}
