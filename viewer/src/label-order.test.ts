import { describe, expect, it } from "vitest";
import { nextOpen, presentationOrder } from "./label-order.ts";

const points = Array.from({ length: 40 }, (_, i) => ({ id: String(i + 1), stratum: i < 20 ? "stable" : "disturbed" }));

describe("labelling order", () => {
  it("is a permutation that does not follow the sheet's class blocks, and the same every time", () => {
    const a = presentationOrder(points, 1);
    expect(a.map((p) => p.id).sort()).toEqual(points.map((p) => p.id).sort());
    expect(presentationOrder(points, 1)).toEqual(a);
    expect(presentationOrder([...points].reverse(), 1)).toEqual(a);
    // The first half of the order mixes both classes.
    expect(new Set(a.slice(0, 20).map((p) => p.stratum)).size).toBe(2);
    expect(presentationOrder(points, 2)).not.toEqual(a);
  });

  it("resumes at the first point without a saved row, wrapping round, -1 when all are done", () => {
    const saved = new Set(["1", "2", "4"]);
    const ps = points.slice(0, 5);
    expect(nextOpen(ps, saved)).toBe(2);
    expect(nextOpen(ps, saved, 3)).toBe(4);
    expect(nextOpen(ps, new Set(["1", "2", "3", "5"]), 4)).toBe(3);
    expect(nextOpen(ps, new Set(ps.map((p) => p.id)))).toBe(-1);
    expect(nextOpen([], saved)).toBe(-1);
  });
});
