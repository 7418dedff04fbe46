import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Grid } from "../raster.ts";
import { allocate } from "./sample.ts";
import { drawSample, parseStrata, SAMPLE_COLUMNS, sampleCsv } from "./sample-sheet.ts";

describe("allocate", () => {
  it("gives the area share, at least the minimum, never more than the stratum holds", () => {
    // N = 10000: shares of 100 are 90, 9, 1; the minimum 20 lifts the two rare classes; a 5-pixel class is taken whole.
    expect(allocate([9000, 900, 100], 100, 20)).toEqual([90, 20, 20]);
    expect(allocate([9000, 900, 95, 5], 100, 20)).toEqual([90, 20, 20, 5]);
    expect(allocate([0, 10], 100, 20)).toEqual([0, 10]);
    expect(allocate([500, 500], 1000, 50)).toEqual([500, 500]);
  });
});

// A 10 x 10 grid of 20 m pixels in UTM 50N: class 1 on 80 pixels, 2 on 15, 3 on 4, 0 on 1; class 4 absent.
const grid: Grid = { crs: "EPSG:32650", transform: [20, 0, 500000, 0, -20, 4400000], width: 10, height: 10 };
const values = Uint8Array.from({ length: 100 }, (_, i) => (i < 80 ? 1 : i < 95 ? 2 : i < 99 ? 3 : 0));
const classes = { 1: "stable", 2: "disturbed", 3: "recovering", 4: "restored" };
const map = { values, grid, classes, path: "change/class_2024.tif", year: 2024 };

describe("drawSample", () => {
  it("describes every class of the map and draws the allocated points inside their stratum", () => {
    const d = drawSample(map, { total: 20, minPerClass: 6 }, 1);
    expect(d.strata.classes).toEqual([
      { code: 1, name: "stable", pixels: 80, areaKm2: 0.032, sampled: 16 },
      { code: 2, name: "disturbed", pixels: 15, areaKm2: 0.006, sampled: 6 },
      { code: 3, name: "recovering", pixels: 4, areaKm2: 0.0016, sampled: 4 },
      { code: 4, name: "restored", pixels: 0, areaKm2: 0, sampled: 0 },
    ]);
    expect(d.strata).toMatchObject({
      type: "reewatch-strata",
      version: 1,
      map: "change/class_2024.tif",
      year: 2024,
      crs: "EPSG:32650",
      seed: 1,
      total: 20,
      minPerClass: 6,
    });
    expect(d.strata.pixelAreaKm2).toBeCloseTo(0.0004, 15);
    expect(d.points.map((p) => p.id)).toEqual(Array.from({ length: 26 }, (_, k) => k + 1));
    for (const p of d.points) {
      expect(values[p.pixel]).toBe(p.mapClass);
      // Pixel centre: column 0 -> x = 500010, row 0 -> y = 4399990.
      expect(p.x).toBe(500010 + 20 * (p.pixel % 10));
      expect(p.y).toBe(4399990 - 20 * Math.floor(p.pixel / 10));
    }
    expect(new Set(d.points.map((p) => p.pixel)).size).toBe(26);
  });

  it("is reproducible by seed", () => {
    const a = drawSample(map, { total: 20, minPerClass: 6 }, 3);
    expect(drawSample(map, { total: 20, minPerClass: 6 }, 3)).toEqual(a);
    expect(drawSample(map, { total: 20, minPerClass: 6 }, 4).points).not.toEqual(a.points);
  });

  it("refuses a pixel whose class the map does not name", () => {
    expect(() => drawSample({ ...map, values: Uint8Array.of(1, 7), grid: { ...grid, width: 2, height: 1 } }, { total: 2, minPerClass: 1 }, 1)).toThrow(
      "change/class_2024.tif: pixel 1 holds class 7, which is not a class of the map (1, 2, 3, 4)",
    );
  });
});

describe("sample.csv and strata.json", () => {
  it("writes the agreed columns, 7-decimal lon/lat, 2-decimal x/y, CRLF, empty label columns", () => {
    const d = drawSample(map, { total: 20, minPerClass: 6 }, 1);
    const text = sampleCsv(d.points, classes);
    expect(text.startsWith(`${SAMPLE_COLUMNS.join(",")}\r\n`)).toBe(true);
    const rows: string[][] = parse(text);
    expect(rows.length).toBe(27);
    const p = d.points[0]!;
    expect(rows[1]).toEqual(["1", p.lon.toFixed(7), p.lat.toFixed(7), p.x.toFixed(2), p.y.toFixed(2), "stable", "", "", "", ""]);
  });

  it("validates strata.json, naming the field", () => {
    const good = drawSample(map, { total: 20, minPerClass: 6 }, 1).strata;
    expect(parseStrata(JSON.parse(JSON.stringify(good)), "s.json")).toEqual(good);
    expect(() => parseStrata({ ...good, version: 2 }, "s.json")).toThrow(/s.json: version/);
    expect(() => parseStrata({ ...good, classes: [{ ...good.classes[0]!, areaKm2: 1 }] }, "s.json")).toThrow(
      /class "stable": areaKm2 1 is not pixels x pixelAreaKm2/,
    );
    expect(() => parseStrata({ ...good, classes: [good.classes[0], good.classes[0]] }, "s.json")).toThrow(/class name "stable" appears twice/);
    expect(() => parseStrata({ ...good, classes: [{ ...good.classes[2]!, sampled: 5 }] }, "s.json")).toThrow(/5 points sampled from only 4 pixels/);
  });
});
