import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random.ts";
import { fbm, gaussian, hashSeed, quantile, valueNoise } from "./field.ts";

describe("seeds and fields", () => {
  it("hashes names with 32-bit FNV-1a (published test vector: 'a' -> 0xe40c292c)", () => {
    expect(hashSeed("a")).toBe(0xe40c292c);
    expect(hashSeed("")).toBe(0x811c9dc5);
    expect(hashSeed(1, "x")).toBe(hashSeed("1|x"));
    expect(hashSeed(1, "x")).not.toBe(hashSeed(2, "x"));
  });

  it("draws standard normal numbers", () => {
    const g = gaussian(7);
    const v = Array.from({ length: 20000 }, g);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it("value noise passes through its lattice and stays smooth between", () => {
    const n = valueNoise(64, 48, 16, 5);
    expect(n[0]).toBeCloseTo(mulberry32(5)(), 6);
    for (const v of n) expect(v >= 0 && v < 1).toBe(true);
    for (let i = 1; i < 64; i++) expect(Math.abs(n[i]! - n[i - 1]!)).toBeLessThan(0.15);
  });

  it("fractal noise is deterministic per seed and spans [0, 1)", () => {
    const a = fbm(40, 30, 10, 3, 9);
    expect(fbm(40, 30, 10, 3, 9)).toEqual(a);
    expect(fbm(40, 30, 10, 3, 10)).not.toEqual(a);
    for (const v of a) expect(v >= 0 && v < 1).toBe(true);
  });

  it("takes quantiles of all or of masked values", () => {
    const v = Float32Array.from([5, 1, 4, 2, 3]);
    expect(quantile(v, 0.5)).toBe(3);
    expect(quantile(v, 0)).toBe(1);
    expect(quantile(v, 1)).toBe(5);
    expect(quantile(v, 0.5, Uint8Array.from([1, 0, 1, 0, 0]))).toBe(5);
    expect(quantile(v, 0.5, new Uint8Array(5))).toBeNaN();
  });
});
