import { describe, expect, it } from "vitest";
import { anchoredTrace, fTest, leastSquaresTrace, weakestVertex } from "./segment-fit.ts";
import { candidateVertices, cullVertices, olsLine } from "./segment-vertices.ts";

const t = [0, 1, 2, 3];
const close = (a: ArrayLike<number>) => Array.from(a).map((x) => +x.toFixed(12));

describe("F-test against the mean", () => {
  it("matches a hand value: y = 1, 3, 2, 4 about 1.5, 2.5, 2.5, 3.5 with k = 1", () => {
    // SST = 5, SSE = 1, F = (5 - 1) / 1 / (1 / 2) = 8; F(1, 2) = t(2)^2: p = 1 - sqrt(8) / sqrt(10).
    const r = fTest([1, 3, 2, 4], [1.5, 2.5, 2.5, 3.5], 1);
    expect(r.f).toBeCloseTo(8, 12);
    expect(r.p).toBeCloseTo(1 - Math.sqrt(8 / 10), 7);
  });

  it("is 1 without residual degrees of freedom, without variance, or with no gain over the mean", () => {
    expect(fTest([1, 3, 2, 4], [1, 3, 2, 4], 3).p).toBe(1);
    expect(fTest([2, 2, 2, 2], [2, 2, 2, 2], 1).p).toBe(1);
    expect(fTest([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 1).p).toBe(1);
  });

  it("is 0 for an exact fit with residual degrees of freedom left", () => {
    expect(fTest([0, 0, 1, 1, 1], [0, 0, 1, 1, 1], 2).p).toBe(0);
  });
});

describe("traces through fixed vertices", () => {
  it("first segment: its least-squares line when that beats the straight line between its end observations", () => {
    // y = 0 1 0 1 over t = 0..3: end-to-end line SSE 8/9; OLS slope 0.2, value 0.2 at t = 0, SSE 0.8.
    const tr = anchoredTrace(t, [0, 1, 0, 1], [0, 3]);
    expect(close(tr.vertexValues)).toEqual([0.2, 0.8]);
    expect(close(tr.slopes)).toEqual([0.2]);
  });

  it("later segments: anchored at the previous end value, least-squares slope when it beats the line to the end observation", () => {
    // Segment 1 from (1, 1): line to y[3] = 1 has SSE 1; anchored slope sum(dt (y - 1)) / sum(dt^2) = -1/5, SSE 0.8.
    const tr = anchoredTrace(t, [0, 1, 0, 1], [0, 1, 3]);
    expect(close(tr.vertexValues)).toEqual([0, 1, 0.6]);
    expect(close(tr.fit)).toEqual([0, 1, 0.8, 0.6]);
  });

  it("least squares over all vertex values: one segment is the OLS line", () => {
    const tr = leastSquaresTrace(t, [0, 1, 0, 1], [0, 3]);
    expect(close(tr.vertexValues)).toEqual([0.2, 0.8]);
    const o = olsLine(t, [0, 1, 0, 1], 0, 3);
    expect([o.at, o.slope, o.sse].map((x) => +x.toFixed(12))).toEqual([0.2, 0.2, 0.8]);
  });

  it("least squares with an interior vertex fits a broken line exactly", () => {
    const tr = leastSquaresTrace([0, 1, 2, 3, 4], [0, 1, 2, 1, 0], [0, 2, 4]);
    expect(close(tr.vertexValues)).toEqual([0, 2, 0]);
  });

  it("the weakest vertex is the one whose removal costs least SSE per year spanned", () => {
    // y = 0 0 1 1 1, vertices 0 1 2 4: dropping vertex 1 (line 0 -> 1 over t 0..2) costs 0.25 / 2 =
    // 0.125 per year; dropping vertex 2 (line 0 -> 1 over t 1..4) costs (4/9 + 1/9) / 3 = 0.185.
    const y = [0, 0, 1, 1, 1];
    const v = [0, 1, 2, 4];
    expect(weakestVertex([0, 1, 2, 3, 4], y, v, [0, 0, 1, 1])).toBe(1);
  });
});

describe("candidate vertices", () => {
  it("split a clean step at its two corners and stop when every segment is straight", () => {
    const y = [-0.6, -0.6, -0.6, -0.3, -0.3, -0.3, -0.3, -0.3, -0.3];
    const yrs = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    expect(candidateVertices(yrs, y, 10, true)).toEqual([0, 2, 3, 8]);
  });

  it("are culled by max(|angle in|, |angle out|) x (1 + 2 rise out / range) on the square-scaled plot", () => {
    // y 0 0 0 1 2 2 scaled to 0 0 0 2.5 5 5 (range = 5 years). Vertex 2: max(0, 68.2 deg) x 2;
    // vertex 3 (inside the rise): 68.2 x 2; vertex 4 (top corner): 68.2 x 1, so it goes first:
    // the reference favours vertices before a loss over the corner that ends it.
    expect(cullVertices([0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 2, 2], [0, 2, 3, 4, 5], 4)).toEqual([0, 2, 3, 5]);
  });

  it("break ties by the smaller change of angle, so a vertex inside a straight run goes first", () => {
    // y 1 1 0.5 0 0 0 scaled to 5 5 2.5 0 0 0: vertices 1, 2 and 3 all score 68.2 deg x 1; vertex 2 turns by 0.
    expect(cullVertices([0, 1, 2, 3, 4, 5], [1, 1, 0.5, 0, 0, 0], [0, 1, 2, 3, 5], 4)).toEqual([0, 1, 3, 5]);
  });
});
