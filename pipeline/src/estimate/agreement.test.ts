import { describe, expect, it } from "vitest";
import { cohensKappa, compareLabels, labelsByRule } from "./agreement.ts";
import type { LabelRow } from "./labels-sheet.ts";

const pairs = (spec: [string, string, number][]) => spec.flatMap(([a, b, n]) => Array.from({ length: n }, () => [a, b] as const));

describe("Cohen's kappa", () => {
  it("matches the textbook 2 x 2 example worked by hand", () => {
    // 50 items: both yes 20, first yes / second no 5, first no / second yes 10, both no 15.
    // p_o = 35/50 = 0.7; first says yes 25/50, second 30/50: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5;
    // kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const k = cohensKappa(
      pairs([
        ["yes", "yes", 20],
        ["yes", "no", 5],
        ["no", "yes", 10],
        ["no", "no", 15],
      ]),
    );
    expect(k.n).toBe(50);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
  });

  it("matches a 3-class example worked by hand", () => {
    // Rows first, columns second: A [6 1 1], B [1 5 0], C [0 1 5]; n = 20, 16 on the diagonal.
    // Totals: first 8, 6, 6; second 7, 7, 6. p_e = (8*7 + 6*7 + 6*6) / 400 = 134/400.
    // kappa = (16/20 - 134/400) / (1 - 134/400) = (320 - 134) / (400 - 134) = 186/266 = 93/133.
    const k = cohensKappa(
      pairs([
        ["A", "A", 6],
        ["A", "B", 1],
        ["A", "C", 1],
        ["B", "A", 1],
        ["B", "B", 5],
        ["C", "B", 1],
        ["C", "C", 5],
      ]),
    );
    expect(k.expected).toBeCloseTo(134 / 400, 12);
    expect(k.kappa).toBeCloseTo(93 / 133, 12);
  });

  it("is 1 for perfect agreement, and NaN when undefined", () => {
    expect(
      cohensKappa(
        pairs([
          ["a", "a", 3],
          ["b", "b", 2],
        ]),
      ).kappa,
    ).toBeCloseTo(1, 12);
    expect(cohensKappa([]).kappa).toBeNaN();
    // Both gave one and the same class throughout: p_e = 1.
    const k = cohensKappa(pairs([["a", "a", 4]]));
    expect(k.observed).toBe(1);
    expect(k.kappa).toBeNaN();
  });
});

const row = (id: number, stratum: string, ref: string | null, labeller: string, extra: Partial<LabelRow> = {}): LabelRow => ({
  sheet: `${labeller}.csv`,
  row: id + 1,
  id,
  lon: 1,
  lat: 2,
  x: 100 + id,
  y: 200,
  stratum,
  referenceClass: ref,
  labeller,
  confidence: "high",
  note: "",
  stratumShown: false,
  ...extra,
});

describe("two sheets of one sample", () => {
  const first = [row(1, "a", "a", "ana"), row(2, "a", "b", "ana"), row(3, "b", "b", "ana"), row(4, "b", null, "ana")];
  const second = [
    row(1, "a", "a", "bo", { confidence: "low" }),
    row(2, "a", "a", "bo"),
    row(3, "b", "b", "bo", { stratumShown: true }),
    row(4, "b", "b", "bo"),
    row(5, "b", "a", "bo"),
  ];

  it("lists disagreements and points labelled in one sheet only", () => {
    const a = compareLabels(first, second);
    expect(a.sheets).toEqual(["ana.csv", "bo.csv"]);
    expect(a.n).toBe(3);
    expect(a.agreed).toBe(2);
    expect(a.disagreements).toEqual([{ id: 2, first: "b", second: "a" }]);
    expect(a.onlyFirst).toEqual([]);
    expect(a.onlySecond).toEqual([4, 5]);
  });

  it("keeps agreed labels only under the default rule, counting the rest as unlabelled", () => {
    const rows = labelsByRule(first, second, "agreed");
    expect(rows.map((r) => [r.id, r.referenceClass])).toEqual([
      [1, "a"],
      [2, null],
      [3, "b"],
      [4, null],
      [5, null],
    ]);
    expect(rows[0]).toMatchObject({ labeller: "ana + bo", confidence: "low", stratumShown: false });
    expect(rows[2]!.stratumShown).toBe(true);
    expect(labelsByRule(first, second, "first")).toBe(first);
    expect(labelsByRule(first, second, "second")).toBe(second);
  });

  it("refuses sheets whose points differ", () => {
    expect(() => compareLabels(first, [row(2, "b", "a", "bo")])).toThrow(/bo.csv row 3: id 2 .* not of the same sample/);
    expect(() => compareLabels(first, [row(2, "a", "a", "bo", { x: 150 })])).toThrow(/not of the same sample/);
  });
});
