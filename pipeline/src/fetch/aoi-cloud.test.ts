import { describe, expect, it } from "vitest";
import { aoiCloud } from "./aoi-cloud.ts";

describe("AOI cloud fraction from the quality band", () => {
  it("counts SCL 3/8/9/10 as cloud among AOI pixels with data", () => {
    // AOI pixels: 4 (vegetation), 8, 9, 0 (no data), 10, 5; outside: 9, 9.
    const scl = [4, 8, 9, 0, 10, 5, 9, 9];
    const inside = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(aoiCloud("s2-scl", scl, inside)).toEqual({ valid: 5, cloudy: 3, percent: 60 });
  });

  it("counts QA_PIXEL bits 1-4 as cloud and skips fill (bit 0)", () => {
    // 21824 clear land (bits 6, 8, 10, 12, 14), 22280 cloud (bit 3 set), 1 fill, 23888 shadow (bit 4 set).
    const qa = [21824, 22280, 1, 23888];
    expect(aoiCloud("landsat-qa-pixel", qa, Uint8Array.from([1, 1, 1, 1]))).toEqual({ valid: 3, cloudy: 2, percent: 200 / 3 });
  });

  it("says NaN when no AOI pixel has data", () => {
    expect(aoiCloud("s2-scl", [0, 0], Uint8Array.from([1, 1])).percent).toBeNaN();
  });
});
