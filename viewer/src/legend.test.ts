import { describe, expect, it } from "vitest";
import type { Product } from "./api.ts";
import { categories, formatTick, ticks } from "./legend.ts";

const product = (p: Partial<Product>): Product => ({
  key: "x",
  label: { en: "X", zh: "X" },
  unit: "",
  kind: "continuous",
  range: [0, 1],
  colormap: "ndvi",
  dates: [],
  files: {},
  ...p,
});

describe("legend", () => {
  it("puts round ticks between the ends of the declared range, none crowding an end", () => {
    // span 1.1 -> raw step 0.22 -> 0.25; 0.75 is 0.15 from the end (> 12 % of the span)
    expect(ticks([-0.2, 0.9])).toEqual([-0.2, 0, 0.25, 0.5, 0.75, 0.9]);
    expect(ticks([2016, 2024])).toEqual([2016, 2018, 2020, 2022, 2024]);
    expect(ticks([0, 1])).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks([-0.05, 0.05])).toEqual([-0.05, -0.02, 0, 0.02, 0.05]);
  });

  it("formats years as whole numbers and fractions without trailing zeros", () => {
    expect(formatTick(2018, [2016, 2024])).toBe("2018");
    expect(formatTick(0.25, [-0.2, 0.9])).toBe("0.25");
    expect(formatTick(-0.02, [-0.05, 0.05])).toBe("-0.02");
  });

  it("shows only the classes inside the product's range, with product-specific labels", () => {
    const pair = categories(product({ key: "disturbed", kind: "categorical", range: [0, 2], colormap: "classes" }));
    expect(pair.map((c) => [c.value, c.label])).toEqual([
      [1, "undisturbed"],
      [2, "disturbed"],
    ]);
    const classes = categories(product({ key: "classes", kind: "categorical", range: [0, 4], colormap: "classes" }));
    expect(classes.map((c) => c.value)).toEqual([1, 2, 3, 4]);
  });

  it("prefers a legend sent by the server", () => {
    const p = product({ kind: "categorical", legend: [[7, "#123456", { en: "seven", zh: "七" }]] });
    expect(categories(p)).toEqual([{ value: 7, color: "#123456", label: "seven" }]);
  });
});
