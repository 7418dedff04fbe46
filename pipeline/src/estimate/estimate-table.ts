/** Plain-text tables of an Olofsson estimate (`reewatch estimate --table`). */
import type { Agreement } from "./agreement.ts";
import type { LabelEstimate } from "./labels-estimate.ts";
import type { OlofssonResult } from "./olofsson.ts";

const f = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
const ci = (c: [number, number], digits: number) => `[${f(c[0], digits)}, ${f(c[1], digits)}]`;

/** Left-aligned first column, right-aligned others, two spaces between. */
function grid(rows: string[][]): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function estimateTable(r: OlofssonResult, unit: string): string {
  const digits = r.totalArea >= 1e5 ? 0 : r.totalArea >= 100 ? 2 : 3;
  const rows = [
    ["class", `mapped (${unit})`, `estimated (${unit})`, "95 % CI", "user's", "95 % CI", "producer's", "95 % CI"],
    ...r.classes.map((c) => [
      c.class,
      f(c.mappedArea, digits),
      f(c.area, digits),
      ci(c.areaCi95, digits),
      f(c.usersAccuracy, 3),
      ci(c.usersCi95, 3),
      f(c.producersAccuracy, 3),
      ci(c.producersCi95, 3),
    ]),
  ];
  return `${grid(rows)}\noverall accuracy ${f(r.overallAccuracy, 3)} ${ci(r.overallCi95, 3)}; total area ${f(r.totalArea, digits)} ${unit}; ${r.sampleSize} sample units\n`;
}

export function labelEstimateTable(r: LabelEstimate, agreement?: Agreement & { rule: string }): string {
  const names = r.errorMatrix.classes;
  const matrix = [
    ["map \\ reference", ...names, "total"],
    ...r.errorMatrix.proportions.map((row, i) => [names[i]!, ...row.map((p) => f(p, 4)), f(sum(row), 4)]),
  ];
  matrix.push(["total", ...names.map((_, j) => f(sum(r.errorMatrix.proportions.map((row) => row[j]!)), 4)), f(1, 4)]);
  const who = r.labellers.map((l) => `${l.name ?? "(unnamed)"} ${l.labelled}`).join(", ");
  const blind =
    r.stratumShown.blind === null ? "not recorded for every point" : r.stratumShown.blind ? "yes" : `no (map class shown for ${r.stratumShown.shown})`;
  const lines = [
    estimateTable(r, r.unit),
    `labelled ${r.labelled}, unlabelled ${r.unlabelled}${r.unlabelledIds.length ? ` (ids ${abbreviate(r.unlabelledIds)})` : ""}; labellers: ${who}; blind: ${blind}`,
    "",
    "error matrix, area proportions (rows: map class, columns: reference class)",
    grid(matrix),
  ];
  if (agreement) {
    const a = agreement;
    lines.push(
      "",
      `agreement of ${a.sheets[0]} and ${a.sheets[1]}: kappa ${f(a.kappa, 3)} over ${a.n} points labelled in both (observed ${f(a.observed, 3)}, chance ${f(a.expected, 3)}); estimate from: ${a.rule}`,
      ...a.disagreements.map((d) => `  id ${d.id}: ${d.first} / ${d.second}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

function abbreviate(ids: number[]): string {
  return ids.length > 20 ? `${ids.slice(0, 20).join(", ")}, ... ${ids.length - 20} more` : ids.join(", ");
}
