import { describe, expect, it } from "vitest";
import { harmonizeToOli } from "./harmonize.ts";

describe("harmonizeToOli", () => {
  it("applies Roy et al. 2016 to ETM+ (NIR 0.30 -> 0.8462 * 0.30 + 0.0412 = 0.29506)", () => {
    const bands = { N: new Float32Array([0.3]), R: new Float32Array([0.1]) };
    expect(harmonizeToOli("landsat-7", bands)).toMatch(/Roy et al. 2016/);
    expect(bands.N[0]).toBeCloseTo(0.29506, 6);
    expect(bands.R[0]).toBeCloseTo(0.9047 * 0.1 + 0.0061, 6);
  });

  it("leaves OLI and Sentinel-2 unchanged and says so", () => {
    const bands = { N: new Float32Array([0.3]) };
    expect(harmonizeToOli("landsat-8", bands)).toMatch(/unchanged/);
    expect(harmonizeToOli("sentinel-2", bands)).toMatch(/no bandpass adjustment/);
    expect(bands.N[0]).toBeCloseTo(0.3, 7);
  });
});
