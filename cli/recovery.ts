import { Command, Option } from "commander";
import { BadParameter, indexByName, RECOVERY_DEFAULTS, runCompositesRecovery, type TargetSpec } from "../pipeline/src/index.ts";
import { say, setResult } from "./output.ts";
import { parseNumber, parseYear, parseYearRange } from "./years.ts";

export function command(): Command {
  return new Command("recovery")
    .description(
      "recovery metrics (Y2R, R80P, YrYr, dIR, RRI) per pixel of restoration polygons from annual composites (a folder of one GeoTIFF per year, or a reewatch run directory): one COG per metric, a band per index, and summary.json",
    )
    .requiredOption(
      "--composites <dir>",
      "folder of annual GeoTIFFs named by year (bands named blue, green, red, nir, swir1/swir16, swir2/swir22), or a reewatch run directory",
    )
    .requiredOption("--polygon <file>", "restoration polygon(s), GeoJSON in EPSG:4326 or in the CRS named in its crs member")
    .requiredOption("--disturbance-year <year>", "d: the disturbance year")
    .requiredOption("--restoration-year <year>", "r: the first year of the restoration window")
    .option("--historic <years>", "recovery target from a historic window YYYY-YYYY (median over those years)")
    .addOption(new Option("--scale <scale>", "historic target per pixel or per polygon").choices(["pixel", "polygon"]))
    .option("--reference <file>", "recovery target from reference (control) polygons, GeoJSON")
    .option("--reference-years <years>", "years of the reference target YYYY-YYYY (default: the first year to the disturbance year)")
    .option("--index <list>", "comma-separated indices", "nbr")
    .option("--timestep <t>", "years after r at which dIR, YrYr, R80P and RRI are read", String(RECOVERY_DEFAULTS.timestep))
    .option("--percent <p>", "percent of the target that counts as recovered (Y2R, R80P)", String(RECOVERY_DEFAULTS.percent))
    .requiredOption("-o, --out <dir>", "output directory (y2r.tif, r80p.tif, yryr.tif, dir.tif, rri.tif, summary.json, STAC, run.json)")
    .action(async (opts) => {
      const indices = [
        ...new Set(
          String(opts.index)
            .split(",")
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      if (indices.length === 0) throw new BadParameter(`--index ${opts.index}: no index named`);
      for (const i of indices) indexByName(i);
      const m = await runCompositesRecovery({
        composites: opts.composites,
        polygon: opts.polygon,
        disturbanceYear: parseYear(opts.disturbanceYear, "--disturbance-year"),
        restorationYear: parseYear(opts.restorationYear, "--restoration-year"),
        target: targetSpec(opts),
        indices,
        timestep: parseNumber(opts.timestep, "--timestep", (x) => Number.isInteger(x) && x >= 1, "a whole number of years >= 1"),
        percent: parseNumber(opts.percent, "--percent", (x) => x > 0 && x <= 100, "a number in (0, 100]"),
        out: opts.out,
      });
      say(`recovery metrics of ${indices.join(", ")} written to ${opts.out}${m.warnings.length ? ` (${m.warnings.length} warning(s))` : ""}`);
      setResult({ indices, out: opts.out, parameters: m.parameters, warnings: m.warnings });
    });
}

function targetSpec(opts: Record<string, string | undefined>): TargetSpec {
  if ((opts.historic === undefined) === (opts.reference === undefined))
    throw new BadParameter("--historic / --reference: give exactly one recovery target (a historic window YYYY-YYYY, or a reference polygon file)");
  if (opts.reference !== undefined) {
    if (opts.scale !== undefined) throw new BadParameter(`--scale ${opts.scale}: applies to --historic only (a reference target is one value per index)`);
    return {
      kind: "reference",
      file: opts.reference,
      years: opts.referenceYears === undefined ? null : parseYearRange(opts.referenceYears, "--reference-years"),
    };
  }
  if (opts.referenceYears !== undefined) throw new BadParameter("--reference-years: applies to --reference only (use --historic YYYY-YYYY)");
  return { kind: "historic", years: parseYearRange(opts.historic, "--historic"), scale: (opts.scale as "pixel" | "polygon" | undefined) ?? "polygon" };
}
