import { describe, expect, it } from "vitest";
import { decideVerdict } from "./verdict.ts";

const m = (lo: number, hi: number) => ({
  value: (lo + hi) / 2,
  ci95: [lo, hi] as [number, number],
  unit: "km2",
});

describe("decideVerdict", () => {
  it("supports a >= claim only when the lower CI bound clears the threshold", () => {
    expect(
      decideVerdict({
        measured: m(0.16, 0.2),
        comparator: ">=",
        threshold: 0.15,
        validCount: 100,
        minValid: 30,
      }).verdict,
    ).toBe("supported");
    expect(
      decideVerdict({
        measured: m(0.15, 0.2),
        comparator: ">=",
        threshold: 0.15,
        validCount: 100,
        minValid: 30,
      }).verdict,
    ).toBe("supported");
    expect(
      decideVerdict({
        measured: m(0.1, 0.2),
        comparator: ">=",
        threshold: 0.15,
        validCount: 100,
        minValid: 30,
      }).verdict,
    ).toBe("inconclusive");
    expect(
      decideVerdict({
        measured: m(0.05, 0.149),
        comparator: ">=",
        threshold: 0.15,
        validCount: 100,
        minValid: 30,
      }).verdict,
    ).toBe("not_supported");
  });

  it("mirrors the rule for <= claims", () => {
    expect(decideVerdict({ measured: m(3, 4.9), comparator: "<=", threshold: 5, validCount: 50, minValid: 30 }).verdict).toBe("supported");
    expect(decideVerdict({ measured: m(5.1, 6), comparator: "<=", threshold: 5, validCount: 50, minValid: 30 }).verdict).toBe("not_supported");
    expect(decideVerdict({ measured: m(4, 6), comparator: "<=", threshold: 5, validCount: 50, minValid: 30 }).verdict).toBe("inconclusive");
  });

  it("is inconclusive with too few observations or a non-finite interval", () => {
    expect(decideVerdict({ measured: m(0.5, 0.6), comparator: ">=", threshold: 0.1, validCount: 3, minValid: 30 }).reason).toMatch(
      /too few valid observations \(3 < 30\)/,
    );
    expect(
      decideVerdict({
        measured: m(Number.NaN, 1),
        comparator: ">=",
        threshold: 0.1,
        validCount: 99,
        minValid: 30,
      }).verdict,
    ).toBe("inconclusive");
  });
});
