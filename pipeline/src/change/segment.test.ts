import { describe, expect, it } from "vitest";
import { greatestDisturbance, segment } from "./segment.ts";

const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

describe("LandTrendr-style segmentation", () => {
  it("finds an abrupt loss in 2019 followed by linear recovery (loss positive)", () => {
    // -NBR: stable at -0.6 until 2018, jumps to -0.05 in 2019, recovers 0.1/yr from 2020.
    const v = [-0.6, -0.6, -0.6, -0.05, -0.15, -0.25, -0.35, -0.45, -0.55];
    const s = segment(years, v)!;
    const d = greatestDisturbance(s, 0.1)!;
    expect(d.year).toBe(2019);
    expect(d.magnitude).toBeCloseTo(0.55, 6);
    expect(d.duration).toBe(1);
    expect(d.preValue).toBeCloseTo(-0.6, 6);
    expect(d.recoveryRate).toBeCloseTo(0.1, 6);
    expect(s.rmse).toBeLessThan(1e-9);
  });

  it("reports no disturbance on a flat, slightly noisy series", () => {
    const v = [-0.6, -0.61, -0.59, -0.6, -0.605, -0.598, -0.6, -0.602, -0.6];
    const s = segment(years, v)!;
    expect(greatestDisturbance(s, 0.1)).toBeNull();
  });

  it("removes a one-year spike instead of calling it a disturbance", () => {
    const v = [-0.6, -0.6, -0.6, -0.6, 0.2, -0.6, -0.6, -0.6, -0.6];
    const s = segment(years, v)!;
    expect(greatestDisturbance(s, 0.1)).toBeNull();
  });

  it("needs minObservationsNeeded observations", () => {
    expect(segment([2016, 2017, 2018], [0, 1, 0])).toBeNull();
  });
});
