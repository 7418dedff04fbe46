import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { BadParameter } from "../errors.ts";
import { olofsson } from "../estimate/olofsson.ts";

/** A small CSV reader: comma-separated, first row a header, no quoted commas. */
function parseCsv(text: string, label: string): string[][] {
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(",").map((c) => c.trim()));
  if (rows.length < 2) throw new BadParameter(`${label}: needs a header row and at least one data row`);
  return rows;
}

async function read(path: string, flag: string): Promise<string> {
  return readFile(path, "utf8").catch((e) => {
    throw new BadParameter(`${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  });
}

export function command(): Command {
  return new Command("estimate")
    .description("Olofsson et al. (2014) stratified area estimate with 95 % CIs, from sample counts and mapped areas")
    .requiredOption("--counts <csv>", "header: map_class,<reference classes...>; one row per map class with sample counts")
    .requiredOption("--mapped-areas <csv>", "header: class,area; mapped area per class (any unit)")
    .action(async (opts) => {
      const counts = parseCsv(await read(opts.counts, "--counts"), `--counts ${opts.counts}`);
      const areas = parseCsv(await read(opts.mappedAreas, "--mapped-areas"), `--mapped-areas ${opts.mappedAreas}`);
      const classes = counts[0]!.slice(1);
      const rows = counts.slice(1);
      if (rows.map((r) => r[0]).join() !== classes.join())
        throw new BadParameter(
          `--counts ${opts.counts}: row classes (${rows.map((r) => r[0]).join(", ")}) must match the header's reference classes (${classes.join(", ")}) in the same order`,
        );
      const n = rows.map((r, i) =>
        r.slice(1).map((v, j) => {
          const x = Number(v);
          if (!Number.isFinite(x)) throw new BadParameter(`--counts ${opts.counts}: row ${i + 2} column ${j + 2} "${v}" is not a number`);
          return x;
        }),
      );
      const areaOf = new Map(areas.slice(1).map((r) => [r[0], Number(r[1])]));
      const mapped = classes.map((c) => {
        const a = areaOf.get(c);
        if (a === undefined || !Number.isFinite(a)) throw new BadParameter(`--mapped-areas ${opts.mappedAreas}: no numeric area for class "${c}"`);
        return a;
      });
      const r = olofsson({ classes, counts: n, mappedAreas: mapped });
      process.stdout.write(`${JSON.stringify({ method: "Olofsson et al. 2014, stratified estimator, 95 % CI = +-1.96 SE", ...r }, null, 2)}\n`);
    });
}
