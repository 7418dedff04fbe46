import { describe, expect, it } from "vitest";
import { parseAoi } from "../aoi/aoi.ts";
import { pointInAoi, pointInRing, ringSelfIntersects, ringSignedArea } from "./checks.ts";

const square = [
  [0, 0],
  [2, 0],
  [2, 2],
  [0, 2],
  [0, 0],
];

describe("ring checks", () => {
  it("tests points against a ring, edges and corners counting as inside", () => {
    expect(pointInRing(1, 1, square)).toBe(true);
    expect(pointInRing(3, 1, square)).toBe(false);
    expect(pointInRing(2, 1, square)).toBe(true);
    expect(pointInRing(0, 0, square)).toBe(true);
  });

  it("excludes holes", () => {
    const aoi = parseAoi({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ],
        [
          [1, 1],
          [1, 3],
          [3, 3],
          [3, 1],
          [1, 1],
        ],
      ],
    });
    expect(pointInAoi(0.5, 0.5, aoi)).toBe(true);
    expect(pointInAoi(2, 2, aoi)).toBe(false);
  });

  it("finds a bow-tie and leaves a square alone", () => {
    expect(ringSelfIntersects(square)).toBe(false);
    expect(
      ringSelfIntersects([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
        [0, 0],
      ]),
    ).toBe(true);
  });

  it("signs the shoelace area: +4 counter-clockwise, -4 clockwise", () => {
    expect(ringSignedArea(square)).toBe(4);
    expect(ringSignedArea([...square].reverse())).toBe(-4);
  });
});
