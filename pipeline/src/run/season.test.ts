import { describe, expect, it } from "vitest";
import { seasonYear, validateSeason } from "./season.ts";

describe("seasonYear", () => {
  it("keeps dates inside a summer window (Bayan Obo, June-September)", () => {
    const s = { start: "06-01", end: "09-30" };
    expect(seasonYear("2019-06-01T03:00:00Z", s)).toBe(2019);
    expect(seasonYear("2019-09-30", s)).toBe(2019);
    expect(seasonYear("2019-10-01", s)).toBeNull();
    expect(seasonYear("2019-05-31", s)).toBeNull();
  });

  it("labels a window across the new year with its starting year (Ganzhou, October-February)", () => {
    const s = { start: "10-01", end: "02-28" };
    expect(seasonYear("2019-11-15", s)).toBe(2019);
    expect(seasonYear("2020-01-20", s)).toBe(2019);
    expect(seasonYear("2020-03-01", s)).toBeNull();
  });

  it("rejects malformed windows", () => {
    expect(() => validateSeason({ start: "6-1", end: "09-30" }, "sites/x.json season")).toThrow(/sites\/x.json season: "6-1" is not MM-DD/);
    expect(() => validateSeason({ start: "13-01", end: "09-30" })).toThrow(/not MM-DD/);
  });
});
