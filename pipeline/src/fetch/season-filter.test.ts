import { describe, expect, it } from "vitest";
import { inSeason, parseSeason } from "./season-filter.ts";

describe("season filter", () => {
  it("turns months into month-days, with the last day of the end month", () => {
    expect(parseSeason("06-09")).toEqual({ start: "06-01", end: "09-30" });
    expect(parseSeason("10-02")).toEqual({ start: "10-01", end: "02-28" });
    expect(parseSeason("10-15:02-20")).toEqual({ start: "10-15", end: "02-20" });
    expect(() => parseSeason("6-9")).toThrow(/--season 6-9: expected MM-MM/);
  });

  it("wraps the new year when the season starts after it ends (Ganzhou's dry season)", () => {
    const s = { start: "10-01", end: "02-28" };
    expect(inSeason("2020-12-31T03:00:00Z", s)).toBe(true);
    expect(inSeason("2021-01-15T03:00:00Z", s)).toBe(true);
    expect(inSeason("2021-06-15T03:00:00Z", s)).toBe(false);
    expect(inSeason("2021-06-01T00:00:00Z", { start: "06-01", end: "09-30" })).toBe(true);
    expect(inSeason("2021-10-01T00:00:00Z", { start: "06-01", end: "09-30" })).toBe(false);
  });
});
