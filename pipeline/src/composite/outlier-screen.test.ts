import { describe, expect, it } from "vitest";
import { screenBrightOutliers } from "./outlier-screen.ts";

const ob = (blue: number[], valid = blue.map(() => 1)) => ({ bands: { B: Float32Array.from(blue) }, valid: Uint8Array.from(valid) });

describe("temporal screen of bright outliers", () => {
  it("removes an observation 0.1 brighter in blue than the season's median, per pixel", () => {
    // Pixel 0: blues 0.05, 0.06, 0.55 (a missed cloud), 0.04 -> median 0.055, limit 0.155.
    // Pixel 1: blues 0.10, 0.12, 0.19, 0.11 -> median 0.115, limit 0.215: all kept.
    const obs = [ob([0.05, 0.1]), ob([0.06, 0.12]), ob([0.55, 0.19]), ob([0.04, 0.11])];
    const r = screenBrightOutliers(obs);
    expect(r.removed).toEqual([0, 0, 1, 0]);
    expect(Array.from(obs[2]!.valid)).toEqual([0, 1]);
  });

  it("leaves pixels with fewer than three valid observations alone", () => {
    const obs = [ob([0.05], [1]), ob([0.6], [1]), ob([0.05], [0])];
    expect(screenBrightOutliers(obs).removed).toEqual([0, 0, 0]);
    expect(obs[1]!.valid[0]).toBe(1);
  });
});
