import { describe, expect, it } from "vitest";
import { estimateFromLabels } from "./labels-estimate.ts";
import type { LabelRow } from "./labels-sheet.ts";
import { olofsson } from "./olofsson.ts";
import type { Strata } from "./sample-sheet.ts";

const strata = (classes: [string, number, number][], pixelAreaKm2 = 0.01): Strata => ({
  type: "reewatch-strata",
  version: 1,
  map: "change/class_2024.tif",
  year: 2024,
  crs: "EPSG:32650",
  pixelAreaKm2,
  seed: 1,
  allocation: "test",
  classes: classes.map(([name, pixels, sampled], i) => ({ code: i + 1, name, pixels, areaKm2: pixels * pixelAreaKm2, sampled })),
});

let nextId = 0;
const row = (stratum: string, ref: string | null, extra: Partial<LabelRow> = {}): LabelRow => {
  nextId++;
  return {
    sheet: "labels.csv",
    row: nextId + 1,
    id: nextId,
    lon: null,
    lat: null,
    x: null,
    y: null,
    stratum,
    referenceClass: ref,
    labeller: "ana",
    confidence: null,
    note: "",
    stratumShown: false,
    ...extra,
  };
};
const rows = (spec: [string, string | null, number][]) => spec.flatMap(([s, r, n]) => Array.from({ length: n }, () => row(s, r)));

describe("estimateFromLabels", () => {
  it("equals olofsson() on the counts of the sheet, with the finite population correction", () => {
    // The 2 x 2 case of olofsson.test.ts: areas 10 and 90 (1000 and 9000 px of 0.01 km2); A: 8 A, 2 B; B: 1 A, 9 B.
    const s = strata([
      ["A", 1000, 10],
      ["B", 9000, 10],
    ]);
    const e = estimateFromLabels(
      rows([
        ["A", "A", 8],
        ["A", "B", 2],
        ["B", "A", 1],
        ["B", "B", 9],
      ]),
      s,
    );
    const want = olofsson({
      classes: ["A", "B"],
      counts: [
        [8, 2],
        [1, 9],
      ],
      mappedAreas: [10, 90],
      stratumSizes: [1000, 9000],
    });
    expect(e.classes[0]!.area).toBeCloseTo(17, 9);
    expect(e.classes[0]!.areaCi95).toEqual(want.classes[0]!.areaCi95);
    expect(e.overallAccuracy).toBeCloseTo(want.overallAccuracy, 12);
    // p_ij = W_i n_ij / n_i: 0.1 * [0.8, 0.2], 0.9 * [0.1, 0.9]
    e.errorMatrix.proportions.flat().forEach((p, k) => {
      expect(p).toBeCloseTo([0.08, 0.02, 0.09, 0.81][k]!, 12);
    });
    expect(e.errorMatrix.counts).toEqual([
      [8, 2],
      [1, 9],
    ]);
    expect(e.classes.map((c) => [c.pixels, c.sampled, c.labelled])).toEqual([
      [1000, 10, 10],
      [9000, 10, 10],
    ]);
    expect(e).toMatchObject({ unit: "km2", labelled: 20, unlabelled: 0, stratumShown: { shown: 0, hidden: 20, unrecorded: 0, blind: true } });
  });

  it("counts empty and missing rows as unlabelled, and lists classes nobody mapped", () => {
    const s = strata([
      ["A", 100, 5],
      ["B", 100, 5],
      ["C", 0, 0],
    ]);
    const e = estimateFromLabels(
      rows([
        ["A", "A", 3],
        ["A", null, 1],
        ["B", "B", 2],
        ["B", "C", 1],
      ]),
      s,
    );
    expect(e.labelled).toBe(6);
    expect(e.unlabelled).toBe(4);
    expect(e.unlabelledIds.length).toBe(1);
    // C has no stratum (W = 0) but true area: 0.5 * 1/3 of 2 km2.
    expect(e.classes[2]!.area).toBeCloseTo(2 / 6, 12);
    expect(e.classes[2]!.mappedArea).toBe(0);
  });

  it("names the row of a class the map does not have", () => {
    const s = strata([
      ["stable", 100, 5],
      ["disturbed", 100, 5],
    ]);
    nextId = 15;
    const r = [row("stable", "forest")];
    expect(() => estimateFromLabels(r, s)).toThrow('labels.csv row 17: reference_class "forest" is not a class of the map (stable, disturbed)');
    expect(() => estimateFromLabels([row("water", "stable")], s)).toThrow(/labels.csv row 18: stratum "water" is not a class of the map \(stable, disturbed\)/);
  });

  it("refuses sheets it cannot estimate from, saying why", () => {
    const s = strata([
      ["A", 100, 2],
      ["B", 100, 2],
    ]);
    expect(() => estimateFromLabels(rows([["A", null, 2]]), s)).toThrow("labels.csv: none of its 2 rows has a reference_class: nothing to estimate yet");
    expect(() => estimateFromLabels(rows([["A", "A", 3]]), s)).toThrow(/3 rows in stratum "A" but the strata file says 2 points were drawn/);
    expect(() =>
      estimateFromLabels(
        rows([
          ["A", "A", 2],
          ["B", "B", 1],
        ]),
        s,
      ),
    ).toThrow(/stratum "B" has 1 labelled point\(s\) of 2 drawn; at least 2 are needed/);
  });

  it("accepts a one-pixel stratum labelled in full (a census adds no variance)", () => {
    const s = strata([
      ["A", 1, 1],
      ["B", 99, 10],
    ]);
    const e = estimateFromLabels(
      rows([
        ["A", "A", 1],
        ["B", "A", 1],
        ["B", "B", 9],
      ]),
      s,
    );
    // olofsson.test.ts: p_.A = 0.01 + 0.99 * 0.1 = 0.109 of 100 px
    expect(e.classes[0]!.area).toBeCloseTo(0.109 * 100 * 0.01, 12);
  });
});
