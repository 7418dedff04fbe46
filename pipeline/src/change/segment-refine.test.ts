import { describe, expect, it } from "vitest";
import { leastSquaresTrace } from "./segment-fit.ts";
import { refineVertices } from "./segment-refine.ts";

describe("breakpoint refinement", () => {
  const t = Array.from({ length: 10 }, (_, i) => 2000 + i);
  const lsFit = (y: number[]) => (v: number[]) => leastSquaresTrace(t, y, v);

  it("moves a vertex placed a year early onto the step, where the broken line fits exactly", () => {
    // Flat at 0 to index 4, a one-year loss to 1 at index 5, flat after: vertices 4 and 5 fit with SSE 0.
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    expect(refineVertices(y, [0, 3, 5, 9], lsFit(y))).toEqual([0, 4, 5, 9]);
  });

  it("leaves vertices alone when no other position fits better", () => {
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    expect(refineVertices(y, [0, 4, 5, 9], lsFit(y))).toEqual([0, 4, 5, 9]);
    const line = t.map((x) => 0.1 * (x - 2000));
    // On a straight line every interior position fits exactly (SSE 0): no move is an improvement.
    expect(refineVertices(line, [0, 2, 9], lsFit(line))).toEqual([0, 2, 9]);
  });
});
