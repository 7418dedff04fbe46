import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Command } from "commander";
import { parse } from "csv-parse/sync";
import {
  AGREEMENT_RULES,
  type AgreementRule,
  BadParameter,
  checkLabelClasses,
  compareLabels,
  estimateFromLabels,
  estimateTable,
  type LabelSheet,
  labelEstimateTable,
  labelsByRule,
  olofsson,
  readLabelSheet,
  readStrata,
  STRATA_FILE,
} from "../pipeline/src/index.ts";
import { outputMode, setResult } from "./output.ts";

const COUNTS_METHOD = "Olofsson et al. 2014, stratified estimator, 95 % CI = +-1.96 SE";

const HELP = `
Two forms:
  estimate --labels FILE [--labels FILE2] [--strata FILE] [--agreement agreed|first|second] [--table]
      the estimate from a filled label sheet (estimate/labels.csv of a run, a second labeller's
      labels-<name>.csv, sample.csv filled by hand, or a legacy label sheet) and the run's
      strata.json (default: the one beside the first sheet). Areas in km2. Unlabelled points are
      counted and reported, and left out of the estimate.
  estimate --counts CSV --mapped-areas CSV [--table]
      the estimate from a table of sample counts and mapped areas (any unit).

Two labellers: when --labels names a labels.csv with one labels-*.csv beside it, or is given
twice, the output adds Cohen's kappa over the points both labelled and every disagreement, and the
estimate uses (--agreement):
  agreed  (default) the points both gave the same class; disagreements count as unlabelled
  first   the first sheet's labels as they are
  second  the second sheet's labels as they are
Leaving out disagreements leaves out the hardest points: compare with first and second.`;

async function read(path: string, flag: string): Promise<string> {
  return readFile(path, "utf8").catch((e) => {
    throw new BadParameter(`${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  });
}

/** Records of a small CSV (header + rows), `#` lines skipped; BadParameter naming the file. */
function parseCsv(text: string, label: string): string[][] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, comment: "#", comment_no_infix: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new BadParameter(`${label}: not a valid CSV (${(e as Error).message})`);
  }
  if (rows.length < 2) throw new BadParameter(`${label}: needs a header row and at least one data row`);
  return rows;
}

async function fromCounts(countsPath: string, areasPath: string) {
  const counts = parseCsv(await read(countsPath, "--counts"), `--counts ${countsPath}`);
  const areas = parseCsv(await read(areasPath, "--mapped-areas"), `--mapped-areas ${areasPath}`);
  const classes = counts[0]!.slice(1);
  const rows = counts.slice(1);
  if (rows.map((r) => r[0]).join() !== classes.join())
    throw new BadParameter(
      `--counts ${countsPath}: row classes (${rows.map((r) => r[0]).join(", ")}) must match the header's reference classes (${classes.join(", ")}) in the same order`,
    );
  const n = rows.map((r, i) =>
    r.slice(1).map((v, j) => {
      const x = v === "" ? Number.NaN : Number(v);
      if (!Number.isFinite(x)) throw new BadParameter(`--counts ${countsPath}: row ${i + 2} column ${j + 2} "${v}" is not a number`);
      return x;
    }),
  );
  const areaOf = new Map(areas.slice(1).map((r) => [r[0], r[1] === "" ? Number.NaN : Number(r[1])]));
  const mapped = classes.map((c) => {
    const a = areaOf.get(c);
    if (a === undefined || !Number.isFinite(a)) throw new BadParameter(`--mapped-areas ${areasPath}: no numeric area for class "${c}"`);
    return a;
  });
  return olofsson({ classes, counts: n, mappedAreas: mapped });
}

/** The sheets to read: as given, or labels.csv plus the one labels-*.csv beside it. */
async function sheetPaths(given: string[]): Promise<string[]> {
  if (given.length > 2) throw new BadParameter(`--labels given ${given.length} times: compare two sheets at a time`);
  if (given.length !== 1 || basename(given[0]!) !== "labels.csv") return given;
  const dir = dirname(given[0]!);
  const others = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^labels-.+\.csv$/.test(f)).sort();
  if (others.length > 1)
    throw new BadParameter(
      `--labels ${given[0]}: ${others.length} other labellers' sheets beside it (${others.join(", ")}): name the two to compare, --labels A --labels B`,
    );
  return [given[0]!, ...others.map((f) => join(dir, f))];
}

async function fromLabels(given: string[], strataPath: string | undefined, rule: AgreementRule | undefined) {
  const paths = await sheetPaths(given);
  if (rule && paths.length < 2) throw new BadParameter(`--agreement ${rule}: needs two label sheets (found only ${paths[0]})`);
  const strataFile = strataPath ?? join(dirname(paths[0]!), STRATA_FILE);
  const strata = await readStrata(strataFile).catch((e) => {
    if (strataPath) throw e;
    throw new BadParameter(`${(e as Error).message}; pass --strata RUN/estimate/strata.json for a sheet kept outside its run`);
  });
  const sheets: LabelSheet[] = [];
  for (const p of paths) sheets.push(await readLabelSheet(p));
  for (const s of sheets) checkLabelClasses(s.rows, strata);
  const head = { labels: paths, strata: strataFile };
  if (sheets.length === 1) return { out: { ...head, ...estimateFromLabels(sheets[0]!.rows, strata) }, agreement: undefined };
  const [a, b] = [sheets[0]!.rows, sheets[1]!.rows];
  const agreement = { ...compareLabels(a, b), rule: rule ?? "agreed" };
  const est = estimateFromLabels(labelsByRule(a, b, agreement.rule), strata);
  return { out: { ...head, ...est, agreement }, agreement };
}

export function command(): Command {
  return new Command("estimate")
    .description("Olofsson et al. (2014) stratified area estimate with 95 % CIs, from a filled label sheet, or from sample counts and mapped areas")
    .option("--labels <csv>", "filled label sheet (give twice to compare two labellers)", (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
    .option("--strata <json>", "the sample's strata.json (default: strata.json beside the first --labels)")
    .option("--agreement <rule>", `with two sheets, the labels the estimate uses: ${AGREEMENT_RULES.join(" | ")} (default agreed)`)
    .option("--counts <csv>", "header: map_class,<reference classes...>; one row per map class with sample counts")
    .option("--mapped-areas <csv>", "header: class,area; mapped area per class (any unit)")
    .option("--table", "print a plain-text table instead of JSON")
    .addHelpText("after", HELP)
    .action(async (opts) => {
      const labels: string[] = opts.labels ?? [];
      if (labels.length && (opts.counts || opts.mappedAreas)) throw new BadParameter("--labels and --counts/--mapped-areas are two forms: give one");
      if (opts.agreement && !(AGREEMENT_RULES as readonly string[]).includes(opts.agreement))
        throw new BadParameter(`--agreement ${opts.agreement}: expected ${AGREEMENT_RULES.join(", ")}`);
      if (labels.length) {
        const { out, agreement } = await fromLabels(labels, opts.strata, opts.agreement);
        setResult(out);
        if (!outputMode().json) process.stdout.write(opts.table ? labelEstimateTable(out, agreement) : `${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      if (opts.strata || opts.agreement) throw new BadParameter("--strata and --agreement go with --labels");
      if (!opts.counts || !opts.mappedAreas) throw new BadParameter("give --labels FILE, or both --counts and --mapped-areas (see --help)");
      const r = await fromCounts(opts.counts, opts.mappedAreas);
      setResult({ method: COUNTS_METHOD, ...r });
      if (!outputMode().json)
        process.stdout.write(opts.table ? estimateTable(r, "area units") : `${JSON.stringify({ method: COUNTS_METHOD, ...r }, null, 2)}\n`);
    });
}
