import { describe, expect, it } from "vitest";
import type { ZoneSimulationSpec } from "../site/schema.ts";
import { coverAt, pixelEventYear, pondActive, recoveryState, yearFactor } from "./events.ts";

const restoration: ZoneSimulationSpec = { event: "restoration", year: 2017, magnitude: 0.8, restorationStart: 2019, rate: 0.1, targetFraction: 0.9 };

describe("planted trajectories", () => {
  it("restoration: 0.6 cover drops to 0.12 in 2017, regrows 0.1 a year after 2019 up to 0.9 x 0.6", () => {
    const at = (y: number, rf = 1) => coverAt(0.6, restoration, 2017, rf, false, y);
    expect(at(2016)).toBeCloseTo(0.6, 12);
    expect(at(2017)).toBeCloseTo(0.12, 12);
    expect(at(2019)).toBeCloseTo(0.12, 12);
    expect(at(2020)).toBeCloseTo(0.22, 12);
    expect(at(2022)).toBeCloseTo(0.42, 12);
    expect(at(2024)).toBeCloseTo(0.54, 12);
    expect(at(2020, 1.2)).toBeCloseTo(0.24, 12);
  });

  it("a failed restoration never drops below its post-event cover", () => {
    const failed = { ...restoration, targetFraction: 0.1 };
    expect(coverAt(0.6, failed, 2017, 1, false, 2024)).toBeCloseTo(0.12, 12);
  });

  it("mining and abandonment stay down; cores and stable zones are bare; no event keeps the base", () => {
    const mining: ZoneSimulationSpec = { event: "mining", year: 2018, magnitude: 0.9 };
    expect(coverAt(0.5, mining, 2018, 1, false, 2017)).toBeCloseTo(0.5, 12);
    expect(coverAt(0.5, mining, 2018, 1, false, 2024)).toBeCloseTo(0.05, 12);
    expect(coverAt(0.5, { event: "abandonment", year: 2017, magnitude: 0.75 }, 2017, 1, false, 2024)).toBeCloseTo(0.125, 12);
    expect(coverAt(0.5, mining, 2018, 1, true, 2016)).toBe(0);
    expect(coverAt(0.5, { event: "stable", magnitude: 0 }, Number.POSITIVE_INFINITY, 1, false, 2020)).toBe(0);
    expect(coverAt(0.5, undefined, Number.POSITIVE_INFINITY, 1, false, 2020)).toBe(0.5);
  });

  it("moves a mining front from year (core side) to yearEnd (edge)", () => {
    const s: ZoneSimulationSpec = { event: "mining", year: 2018, yearEnd: 2020, magnitude: 0.9 };
    expect([0, 0.33, 0.34, 0.67, 0.99, 1].map((f) => pixelEventYear(s, f))).toEqual([2018, 2018, 2019, 2020, 2020, 2020]);
    expect(pixelEventYear({ event: "mining", year: 2021, magnitude: 1 }, 0.8)).toBe(2021);
  });

  it("keeps leaching ponds wet from the event until restoration starts", () => {
    expect([2016, 2017, 2019, 2020].map((y) => pondActive(restoration, 2017, y))).toEqual([false, true, true, false]);
    expect(pondActive({ event: "abandonment", year: 2017, magnitude: 0.8 }, 2017, 2024)).toBe(true);
  });

  it("grades recovery by the share of the pre-event cover: >= 0.8 complete, >= 0.5 partial", () => {
    expect(recoveryState(0.5, 0.4)).toBe(3);
    expect(recoveryState(0.5, 0.39)).toBe(2);
    expect(recoveryState(0.5, 0.25)).toBe(2);
    expect(recoveryState(0.5, 0.2499)).toBe(1);
    expect(recoveryState(0, 0.3)).toBe(1);
  });

  it("varies cover by year within +-2 sd, the same for a given seed", () => {
    const f = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024].map((y) => yearFactor(1, "bayan-obo", y, 0.03));
    for (const v of f) expect(v >= 0.94 - 1e-12 && v <= 1.06 + 1e-12).toBe(true);
    expect(new Set(f).size).toBeGreaterThan(5);
    expect(yearFactor(1, "bayan-obo", 2019, 0.03)).toBe(f[3]);
    expect(yearFactor(1, "bayan-obo", 2019, 0)).toBe(1);
  });
});
