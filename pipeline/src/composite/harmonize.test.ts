import { describe, expect, it } from "vitest";
import { harmonizeToOli, mixesSensorFamilies, s2Platform } from "./harmonize.ts";

describe("harmonizeToOli", () => {
  it("applies Roy et al. 2016 to ETM+ (NIR 0.30 -> 0.8462 * 0.30 + 0.0412 = 0.29506)", () => {
    const bands = { N: new Float32Array([0.3]), R: new Float32Array([0.1]) };
    expect(harmonizeToOli("landsat-7", bands)).toMatch(/Roy et al. 2016/);
    expect(bands.N[0]).toBeCloseTo(0.29506, 6);
    expect(bands.R[0]).toBeCloseTo(0.9047 * 0.1 + 0.0061, 6);
  });

  it("applies the HLS MSI -> OLI rows per platform (red 0.10: 2A 0.9765 * 0.1 + 0.0009 = 0.09855; 2B 0.9761 * 0.1 + 0.001 = 0.09861)", () => {
    const a = { R: new Float32Array([0.1]), S2: new Float32Array([0.2]) };
    expect(harmonizeToOli("sentinel-2", a, "sentinel-2a", "B8A")).toMatch(/Claverie et al. 2018.*Sentinel-2A$/);
    expect(a.R[0]).toBeCloseTo(0.09855, 6);
    expect(a.S2[0]).toBeCloseTo(1.003 * 0.2 - 0.0012, 6);
    const b = { R: new Float32Array([0.1]), N: new Float32Array([0.3]) };
    expect(harmonizeToOli("sentinel-2", b, "sentinel-2b", "B08")).toMatch(/fitted on B8A, applied to B08/);
    expect(b.R[0]).toBeCloseTo(0.09861, 6);
    expect(b.N[0]).toBeCloseTo(0.9966 * 0.3, 6);
  });

  it("leaves OLI and a Sentinel-2 platform without coefficients unchanged, and says so", () => {
    const bands = { N: new Float32Array([0.3]) };
    expect(harmonizeToOli("landsat-8", bands)).toMatch(/unchanged/);
    expect(harmonizeToOli("sentinel-2", bands, "sentinel-2c")).toMatch(/sentinel-2c: no published .* unchanged/);
    expect(bands.N[0]).toBeCloseTo(0.3, 7);
  });
});

describe("sensor families", () => {
  it("harmonises only stacks that mix families (TM with ETM+ is one family)", () => {
    expect(mixesSensorFamilies(["sentinel-2", "sentinel-2"])).toBe(false);
    expect(mixesSensorFamilies(["landsat-5", "landsat-7"])).toBe(false);
    expect(mixesSensorFamilies(["landsat-8", "landsat-9"])).toBe(false);
    expect(mixesSensorFamilies(["landsat-7", "landsat-8"])).toBe(true);
    expect(mixesSensorFamilies(["landsat-8", "sentinel-2"])).toBe(true);
  });

  it("reads the Sentinel-2 platform from STAC, or from the product id", () => {
    expect(s2Platform("Sentinel-2B", "x")).toBe("sentinel-2b");
    expect(s2Platform(undefined, "S2A_29RKH_20200219_0_L2A")).toBe("sentinel-2a");
    expect(s2Platform(null, "odd")).toMatch(/unknown/);
  });
});
