import { describe, expect, it } from "vitest";
import { trueColorInto } from "./truecolor.ts";

describe("trueColorInto", () => {
  it("maps reflectance through the fixed stretch and marks no-data as 0", () => {
    const out: [Uint8Array, Uint8Array, Uint8Array] = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
    const r = new Float32Array([0, 0.3, 0.6, Number.NaN]);
    trueColorInto(r, r, new Float32Array([0.075, 0.075, 0.075, 0.075]), out, { max: 0.3, gamma: 1 });
    // 0 -> 1 ; 0.3 -> 255 ; 0.6 clipped -> 255 ; NaN -> 0 ; blue 0.075/0.3 = 0.25 -> 1 + round(63.5) = 65
    expect(Array.from(out[0])).toEqual([1, 255, 255, 0]);
    expect(Array.from(out[2])).toEqual([65, 65, 65, 0]);
  });
});
