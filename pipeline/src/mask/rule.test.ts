import { describe, expect, it } from "vitest";
import { dilateMasked } from "./dilate.ts";
import { qaFractions } from "./fraction.ts";
import { maskRuleFor } from "./rule.ts";

describe("Sentinel-2 SCL rule", () => {
  it("masks classes 0, 1, 3, 8, 9, 10 by default and keeps 2, 4-7, 11", () => {
    const scl = Uint16Array.from({ length: 12 }, (_, i) => i);
    const valid = new Uint8Array(12).fill(1);
    maskRuleFor("s2-scl").apply(scl, valid);
    expect(Array.from(valid)).toEqual([0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1]);
  });

  it("takes a custom class list (snow masked too)", () => {
    const valid = new Uint8Array(3).fill(1);
    maskRuleFor("s2-scl", "scl:11").apply(new Uint16Array([11, 4, 9]), valid);
    expect(Array.from(valid)).toEqual([0, 1, 1]);
  });
});

describe("Landsat QA_PIXEL rule", () => {
  it("decodes real Landsat 8 C2 values", () => {
    // 21824 = 0b101010101000000: bits 6 (clear), 8, 10, 12, 14 (low confidences) -> valid.
    // 22280 = 16384+4096+1024+512+256+8: bits 3 (cloud), 8, 9, 10, 12, 14 -> invalid.
    // 1 = fill. 23888 = 16384+4096+2048+1024+256+64+16: bits 4 (shadow), 6, 8, 10, 11, 12, 14 -> invalid.
    // 30048 = 16384+8192+4096+1024+256+64+32: bits 5 (snow), 6, 8, 10, 12, 13, 14 -> valid unless snow is masked.
    const qa = new Uint16Array([21824, 22280, 1, 23888, 30048]);
    const valid = new Uint8Array(5).fill(1);
    maskRuleFor("landsat-qa-pixel").apply(qa, valid);
    expect(Array.from(valid)).toEqual([1, 0, 0, 0, 1]);
    const withSnow = new Uint8Array(5).fill(1);
    maskRuleFor("landsat-qa-pixel", "qa:0,1,2,3,4,5").apply(qa, withSnow);
    expect(withSnow[4]).toBe(0);
  });

  it("rejects a malformed or mismatched spec", () => {
    expect(() => maskRuleFor("landsat-qa-pixel", "qa:16")).toThrow(/integers 0..15/);
    expect(() => maskRuleFor("landsat-qa-pixel", "scl:3")).toThrow(/landsat-qa-pixel/);
    expect(() => maskRuleFor("s2-scl", "clouds")).toThrow(/--mask clouds: expected/);
  });
});

describe("dilation and fractions", () => {
  it("grows a masked pixel into its 3x3 neighbourhood with radius 1", () => {
    const v = new Uint8Array(25).fill(1);
    v[12] = 0;
    const d = dilateMasked(v, 5, 5, 1);
    expect(d.reduce((s, x) => s + x, 0)).toBe(25 - 9);
    expect(d[6]).toBe(0);
    expect(d[0]).toBe(1);
  });

  it("counts SCL classes", () => {
    const f = qaFractions("s2-scl", new Uint16Array([0, 8, 9, 3, 4, 4, 10, 11]));
    expect(f.fill).toBe(1 / 8);
    expect(f.cloud).toBe(2 / 8);
    expect(f.cloudOrShadowOfData).toBe(4 / 7);
  });
});
