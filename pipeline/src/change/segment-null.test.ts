import { describe, expect, it } from "vitest";
import { LANDTRENDR_DEFAULTS, PIPELINE_VARIANT } from "./segment.ts";
import { adjustedP, NULL_SERIES, nullPValues } from "./segment-null.ts";

describe("selection-adjusted p-value", () => {
  it("is the Monte Carlo p-value (1 + #{null <= p}) / (N + 1)", () => {
    const nul = Float64Array.from([0.001, 0.01, 0.01, 0.2, 0.5]);
    expect(adjustedP(0.0001, nul)).toBeCloseTo(1 / 6, 12);
    expect(adjustedP(0.01, nul)).toBeCloseTo(4 / 6, 12);
    expect(adjustedP(1, nul)).toBe(1);
  });

  it("simulates the same sorted null for the same length, parameters and variant", () => {
    const a = nullPValues(7, LANDTRENDR_DEFAULTS, PIPELINE_VARIANT);
    expect(a).toHaveLength(NULL_SERIES);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[i - 1]!);
    expect(nullPValues(7, { ...LANDTRENDR_DEFAULTS }, { ...PIPELINE_VARIANT })).toBe(a);
    // The F-test p of LandTrendr's best model is far below 0.05 on 5 % of pure-noise series.
    expect(a[Math.floor(0.05 * NULL_SERIES)]!).toBeLessThan(0.02);
  });
});
