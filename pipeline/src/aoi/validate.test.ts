import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAoi } from "./parse.ts";

const ring = (...xy: number[][]) => [...xy, xy[0]!];
const poly = (...rings: number[][][]) => ({ type: "Polygon", coordinates: rings });
const BOW_TIE = new URL("../../../samples/aoi/bow-tie.geojson", import.meta.url);

describe("validatePolygons (through parseAoi)", () => {
  it("reports where a bow tie crosses itself, one line naming the file", () => {
    const json = JSON.parse(readFileSync(BOW_TIE, "utf8"));
    expect(() => parseAoi(json, "bow-tie.geojson")).toThrow("bow-tie.geojson: ring 1 of polygon 1 crosses itself near [110.01234, 41.78234]");
  });

  it("names the ring and polygon: a crossing hole of the second polygon", () => {
    const ok = poly(ring([0, 0], [1, 0], [1, 1], [0, 1]));
    const bad = poly(ring([10, 0], [11, 0], [11, 1], [10, 1]), ring([10.2, 0.2], [10.4, 0.8], [10.4, 0.2], [10.2, 0.8]));
    const mp = { type: "MultiPolygon", coordinates: [ok.coordinates, bad.coordinates] };
    expect(() => parseAoi(mp, "two.json")).toThrow("two.json: ring 2 of polygon 2 crosses itself near [10.3, 0.5]");
  });

  it("rejects a hole that crosses its outer ring", () => {
    const p = poly(ring([0, 0], [1, 0], [1, 1], [0, 1]), ring([0.5, 0.5], [1.5, 0.5], [1.5, 0.6], [0.5, 0.6]));
    expect(() => parseAoi(p, "h.json")).toThrow(/^h.json: rings of polygon 1 cross each other near \[1, 0.[56]\] \(and 1 more\)$/);
  });

  it("counts further crossings of a zigzag", () => {
    const zigzag = ring([0, 0], [4, 0], [4, 1], [3, -1], [2, 1], [1, -1], [0, 1]);
    expect(() => parseAoi(poly(zigzag), "z.json")).toThrow(/crosses itself near \[[\d.]+, [\d.]+\] \(and \d+ more\)/);
  });

  it("accepts a repeated vertex and a hole that stays inside", () => {
    const outer = ring([0, 0], [1, 0], [1, 0], [1, 1], [0, 1]);
    const hole = ring([0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2]);
    expect(parseAoi(poly(outer, hole)).polygons[0]).toHaveLength(2);
  });

  it("keeps the structural checks, now naming the ring", () => {
    expect(() =>
      parseAoi(
        poly([
          [0, 0],
          [1, 0],
          [0, 0],
        ]),
        "s.json",
      ),
    ).toThrow("s.json: ring 1 of polygon 1: a ring needs at least 4 positions");
    expect(() =>
      parseAoi(
        poly([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
        "o.json",
      ),
    ).toThrow(/o.json: ring 1 of polygon 1: ring is not closed/);
    expect(() => parseAoi(poly(ring([0, 0], [1, 0], [1, Number.NaN])), "n.json")).toThrow(/n.json: .*position \[1,null\] is not \[lon, lat\]/);
    expect(() => parseAoi(poly(ring([0, 0], [181, 0], [1, 1])), "r.json")).toThrow(/r.json: .*\[181, 0\] is outside lon\/lat range/);
  });
});
