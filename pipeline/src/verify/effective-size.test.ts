import { describe, expect, it } from "vitest";
import { denominatorEffectiveSize } from "./metrics.ts";

describe("effective size of a ratio's denominator under stratified sampling", () => {
  it("is the pooled count under proportional allocation", () => {
    // Strata 2 and 3 weigh 300 and 100 pixels; 30 and 10 units drawn, all in the denominator.
    const by = new Map([
      [2, Array(30).fill(2)],
      [3, Array(10).fill(3)],
    ]);
    expect(
      denominatorEffectiveSize(
        by,
        new Map([
          [2, 300],
          [3, 100],
        ]),
      ),
    ).toBeCloseTo(40, 9);
  });

  it("is smaller when the heavy stratum was sampled thinly (by hand)", () => {
    // a_2 = 900 * 10 / 10 = 900, a_3 = 100 * 50 / 50 = 100; n_eff = 1000^2 / (900^2/10 + 100^2/50) = 12.315...
    const by = new Map([
      [2, Array(10).fill(2)],
      [3, Array(50).fill(4)],
    ]);
    expect(
      denominatorEffectiveSize(
        by,
        new Map([
          [2, 900],
          [3, 100],
        ]),
      ),
    ).toBeCloseTo(1e6 / (81000 + 200), 9);
  });

  it("ignores units outside the denominator", () => {
    const by = new Map([[1, [1, 1, 2, 2]]]);
    expect(denominatorEffectiveSize(by, new Map([[1, 10]]))).toBeCloseTo(2, 9);
  });
});
