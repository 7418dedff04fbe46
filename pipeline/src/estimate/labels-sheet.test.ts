import { describe, expect, it } from "vitest";
import { alignToSample, labelsCsv, parseLabelSheet } from "./labels-sheet.ts";
import type { SamplePoint } from "./sample.ts";

const HEADER = "id,lon,lat,x,y,stratum,reference_class,labeller,confidence,note,stratum_shown";

describe("parseLabelSheet", () => {
  it("reads labels.csv rows: empty label = unlabelled, quoted notes, any column order", () => {
    const text = `${HEADER}\r\n1,110.5,40.25,500010.00,4400010.00,stable,disturbed,ana,High,"bare, fresh ""cut""\r\nsecond line",false\r\n2,110.5,40.25,500030.00,4400010.00,stable,,,,,\r\n`;
    const s = parseLabelSheet(text, "labels.csv");
    expect(s.format).toBe("labels");
    expect(s.rows[0]).toEqual({
      sheet: "labels.csv",
      row: 2,
      id: 1,
      lon: 110.5,
      lat: 40.25,
      x: 500010,
      y: 4400010,
      stratum: "stable",
      referenceClass: "disturbed",
      labeller: "ana",
      confidence: "high",
      note: 'bare, fresh "cut"\r\nsecond line',
      stratumShown: false,
    });
    expect(s.rows[1]).toMatchObject({ row: 3, referenceClass: null, labeller: null, confidence: null, stratumShown: null });
    const shuffled = parseLabelSheet("stratum_shown,reference_class,stratum,id,lon,lat,x,y,labeller,confidence,note\ntrue,a,b,7,,,,,,,\n", "l.csv");
    expect(shuffled.rows[0]).toMatchObject({ id: 7, stratum: "b", referenceClass: "a", stratumShown: true, x: null });
  });

  it("round-trips through labelsCsv", () => {
    const text = `${HEADER}\r\n1,110.5000000,40.2500000,500010.00,4400010.00,stable,disturbed,ana,high,"a, ""b""",true\r\n2,,,,,stable,,,,,\r\n`;
    const s = parseLabelSheet(text, "labels.csv");
    expect(labelsCsv(s.rows)).toBe(text);
  });

  it("accepts sample.csv filled by hand and the legacy sheet, whose rows show the stratum", () => {
    const sample = parseLabelSheet("\uFEFFid,lon,lat,x,y,stratum,reference_class,labeller,confidence,note\n1,1,2,3,4,stable,stable,,,\n", "sample.csv");
    expect(sample.format).toBe("sample");
    expect(sample.rows[0]).toMatchObject({ referenceClass: "stable", stratumShown: true });
    const legacy = parseLabelSheet(
      "# made by hand\n# on a Tuesday\nid,x,y,lon,lat,map_class,reference_class\n1,3,4,1,2,disturbed,undisturbed\n\n2,5,6,1,2,disturbed,\n",
      "old.csv",
    );
    expect(legacy.format).toBe("legacy");
    expect(legacy.comments).toEqual(["made by hand", "on a Tuesday"]);
    expect(legacy.rows.map((r) => [r.row, r.id, r.x, r.stratum, r.referenceClass, r.stratumShown])).toEqual([
      [4, 1, 3, "disturbed", "undisturbed", true],
      [6, 2, 5, "disturbed", null, true],
    ]);
  });

  it("names the row and the value of every malformed cell", () => {
    const bad = (line: string) => () => parseLabelSheet(`${HEADER}\n1,,,,,stable,,,,,\n${line}\n`, "labels.csv");
    expect(bad("x,,,,,stable,,,,,")).toThrow('labels.csv row 3: id "x" is not a positive integer');
    expect(bad("1,,,,,stable,,,,,")).toThrow("labels.csv row 3: id 1 is already on row 2");
    expect(bad("2,,,,,,,,,,")).toThrow("labels.csv row 3: stratum is empty");
    expect(bad("2,,east,,,stable,,,,,")).toThrow('labels.csv row 3: lat "east" is not a number');
    expect(bad("2,,,,,stable,stable,,sure,,")).toThrow('labels.csv row 3: confidence "sure" is not one of high, medium, low');
    expect(bad("2,,,,,stable,stable,,,,yes")).toThrow('labels.csv row 3: stratum_shown "yes" is not true or false');
    expect(bad("2,,,,,stable")).toThrow(/labels.csv: not a valid CSV/);
    expect(() => parseLabelSheet("id,class\n1,a\n", "x.csv")).toThrow(/x.csv: header lacks lon, lat, x, y, stratum, reference_class/);
    expect(() => parseLabelSheet("", "x.csv")).toThrow(/x.csv: empty/);
  });
});

describe("alignToSample", () => {
  const points: SamplePoint[] = [
    { id: 1, pixel: 0, x: 10, y: 20, lon: 1, lat: 2, mapClass: 1 },
    { id: 2, pixel: 1, x: 40, y: 20, lon: 1.1, lat: 2, mapClass: 2 },
  ];
  const names = { 1: "undisturbed", 2: "disturbed" };
  const legacy = (rows: string) => parseLabelSheet(`id,x,y,lon,lat,map_class,reference_class\n${rows}`, "old.csv");

  it("gives every point of the sample once, labelled where the sheet labels it", () => {
    const r = alignToSample(legacy("2,40.00,20.00,1.1,2,disturbed,disturbed\n"), points, names);
    expect("rows" in r && r.rows.map((x) => [x.sheet, x.row, x.id, x.stratum, x.referenceClass, x.stratumShown])).toEqual([
      ["labels.csv", 2, 1, "undisturbed", null, null],
      ["labels.csv", 3, 2, "disturbed", "disturbed", true],
    ]);
  });

  it("says why a sheet of another sample does not fit", () => {
    expect(alignToSample(legacy("3,40,20,1,2,disturbed,disturbed\n"), points, names)).toEqual({
      mismatch: "old.csv row 2: id 3 is not a point of the sample (2 points)",
    });
    expect(alignToSample(legacy("2,70,20,1,2,disturbed,disturbed\n"), points, names)).toEqual({
      mismatch: "old.csv row 2: id 2 is (70, 20) disturbed but the sample has (40.00, 20.00) disturbed",
    });
    expect(alignToSample(legacy("1,10,20,1,2,disturbed,disturbed\n"), points, names)).toHaveProperty("mismatch");
  });
});
