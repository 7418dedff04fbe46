/**
 * Fuzzing of the label sheet reader (pipeline/src/estimate/labels-sheet.ts) and of strata.json
 * (sample-sheet.ts parseStrata): sheets built from the real headers with hostile cells (quotes,
 * newlines, BOMs, numbers out of range, duplicate ids), noisy versions of the shipped sheets, and
 * mutated strata documents. Each case must end in a sheet or a named error.
 */
import { readFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LABEL_COLUMNS, parseLabelSheet } from "../../pipeline/src/estimate/labels-sheet.ts";
import { parseStrata, SAMPLE_COLUMNS } from "../../pipeline/src/estimate/sample-sheet.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";
import { DEEP_TEXTS, endsCleanlyWithin, mutatedJson, noisyText } from "./mutate.ts";

const sample = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), "utf8");
const SHEETS = [sample("labels/brumadinho-labels.csv"), sample("estimate/olofsson2014/labels.csv")];
const STRATA = JSON.parse(sample("estimate/olofsson2014/strata.json"));
const LEGACY = ["id", "x", "y", "lon", "lat", "map_class", "reference_class"];

/** Cells a sheet may hold: plausible values, and text that breaks naive CSV or number parsing. */
const cell = fc.oneof(
  fc.constantFrom("1", "2", "-1", "0", "1.5", "1e999", "NaN", "Infinity", "0x10", " 7 ", "", "true", "FALSE", "high", "Medium", "deforestation", "forest"),
  fc.constantFrom('"', '""', "a,b", "a\nb", "a\r\nb", "#x", "\uFEFF", "\u2028", "\t", "  ", "😀", "\u0000"),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.double().map(String),
);

/** A whole sheet: a real header (maybe shuffled, cut or doubled), rows of hostile cells, CSV-quoted. */
const builtSheet = fc
  .tuple(
    fc.constantFrom<readonly string[]>(LABEL_COLUMNS, SAMPLE_COLUMNS, LEGACY),
    // Mostly well-formed sheets (so rows reach the cell checks), sometimes with broken headers or rows.
    fc.array(fc.constantFrom("drop", "dup", "shuffle", "bom", "crlf", "comment", "ragged"), { maxLength: 2 }),
    fc.array(fc.array(cell, { minLength: 11, maxLength: 11 }), { maxLength: 30 }),
    fc.nat(),
  )
  .map(([columns, quirks, rows, n]) => {
    const header = [...columns];
    if (quirks.includes("shuffle")) header.reverse();
    if (quirks.includes("drop")) header.splice(n % header.length, 1);
    if (quirks.includes("dup")) header.push(header[n % header.length]!);
    const body = rows.map((r) => (quirks.includes("ragged") ? r.slice(0, 1 + (n % r.length)) : r.slice(0, header.length)));
    let text = stringify([header, ...body], { record_delimiter: quirks.includes("crlf") ? "windows" : "unix" });
    if (quirks.includes("comment")) text = `# a comment\n#\n${text}`;
    return quirks.includes("bom") ? `\uFEFF${text}` : text;
  });

/** strata.json whose classes take hostile names (the messages quote them). */
const namedClasses = fc
  .array(fc.oneof(fc.constantFrom("a\nb", "a  b", " ", "\u2028", "forest"), fc.string({ unit: "binary", maxLength: 6 })), { minLength: 1, maxLength: 4 })
  .map((names) => ({ ...STRATA, classes: names.map((name, k) => ({ ...STRATA.classes[k % STRATA.classes.length], name, pixels: 1, areaKm2: 5 })) }));

describe("fuzz: label sheets (CSV)", () => {
  it(
    "parseLabelSheet on built and noisy sheets ends in a sheet or a named error",
    async () => {
      for (const s of SHEETS) expect(parseLabelSheet(s, "seed.csv").rows.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.oneof(builtSheet, noisyText(SHEETS)), async (text) => {
          await endsCleanlyWithin(1000, () => parseLabelSheet(text, "fuzz.csv"));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it("a sheet of 100,000 rows with unique ids, and one of a 1 MB cell, parse in seconds", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [String(i + 1), "", "", "", "", "forest", "forest", "", "", "", ""]);
    const big = stringify([[...LABEL_COLUMNS], ...rows]);
    await endsCleanlyWithin(15_000, () => parseLabelSheet(big, "big.csv"));
    for (const text of DEEP_TEXTS) await endsCleanlyWithin(5000, () => parseLabelSheet(text, "deep.csv"));
    await endsCleanlyWithin(5000, () => parseLabelSheet(`${LABEL_COLUMNS.join(",")}\n1,,,,,"${"x".repeat(1_000_000)}`, "cell.csv"));
  }, 60_000);

  it(
    "parseStrata on mutated strata.json ends in strata or a named error",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedJson([STRATA]), namedClasses), async (json) => {
          await endsCleanlyWithin(1000, () => parseStrata(json, "strata.json"));
        }),
        fuzzParams(Math.ceil(FUZZ_RUNS / 2)),
      );
    },
    fuzzTimeout(),
  );
});
