import { describe, expect, it } from "vitest";
import { dayOfYear, overpassUtc, shadowOffset, sunPosition } from "./sun.ts";

describe("sun at the overpass", () => {
  it("counts days of the year", () => {
    expect(dayOfYear("2021-01-01")).toBe(1);
    expect(dayOfYear("2021-03-22")).toBe(81);
    expect(dayOfYear("2020-12-31")).toBe(366);
  });

  it("stands at 90 - lat + 23.44 at solar noon of the June solstice, due south", () => {
    const p = sunPosition("2021-06-21", 41.8, 12);
    expect(p.elevation).toBeCloseTo(90 - 41.8 + 23.44, 1);
    expect(p.azimuth).toBeCloseTo(180, 3);
  });

  it("at the equinox, 10:30 solar time, 41.8 N: elevation asin(cos 41.8 cos 22.5) = 43.53, azimuth 148.1 (south-east)", () => {
    const p = sunPosition("2021-03-22", 41.8);
    expect(p.elevation).toBeCloseTo((Math.asin(Math.cos((41.8 * Math.PI) / 180) * Math.cos((22.5 * Math.PI) / 180)) * 180) / Math.PI, 1);
    expect(p.azimuth).toBeCloseTo(148.14, 1);
  });

  it("casts shadows of a 2 km cloud to the north-west: 2000 / tan(43.53) m = 105 px at 20 m", () => {
    expect(shadowOffset("2021-03-22", 41.8, 2000, 20)).toEqual({ dx: -56, dy: -89 });
    const summer = shadowOffset("2021-06-21", 41.8, 2000, 20);
    expect(summer.dx).toBeLessThan(0);
    expect(summer.dy).toBeLessThan(0);
    expect(Math.hypot(summer.dx, summer.dy)).toBeLessThan(60);
  });

  it("passes at 10:30 local solar time: 03:10:07 UTC at Bayan Obo (109.97 E), 13:26:34 UTC at Brumadinho (44.14 W)", () => {
    expect(overpassUtc(109.97)).toBe("03:10:07");
    expect(overpassUtc(-44.14)).toBe("13:26:34");
  });
});
