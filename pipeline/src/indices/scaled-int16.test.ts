import { describe, expect, it } from "vitest";
import { INT16_NODATA, quantizeInto } from "./scaled-int16.ts";

describe("scaled int16: steps of 1e-4", () => {
  it("rounds to the nearest step, keeps NaN as no-data and clamps (and counts) what int16 cannot hold", () => {
    const v = Float32Array.of(0.5, -0.25, 0.73215, Number.NaN, 5, -4, 0, 3.2767);
    const q = new Int16Array(v.length);
    expect(quantizeInto(v, q)).toBe(2);
    // 0.73215 in float32 is 0.732150018...: 7321.50018 rounds up to 7322.
    expect(Array.from(q)).toEqual([5000, -2500, 7322, INT16_NODATA, 32767, -32767, 0, 32767]);
  });
});
