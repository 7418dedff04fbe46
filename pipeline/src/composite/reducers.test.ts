import { describe, expect, it } from "vitest";
import { reducerFor } from "./reducers.ts";

// Three observations of one pixel, bands R and N (NDVI 0.2, 0.6, 0.5):
// A: R .3 N .45 ; B: R .1 N .4 ; C: R .15 N .45
const obs = [
  { R: 0.3, N: 0.45, date: "2020-06-15" },
  { R: 0.1, N: 0.4, date: "2020-07-20" },
  { R: 0.15, N: 0.45, date: "2020-08-10" },
];

function run(name: string) {
  const r = reducerFor(name, 1, ["R", "N"]);
  for (const o of obs) r.feed({ R: new Float32Array([o.R]), N: new Float32Array([o.N]) }, new Uint8Array([1]), o.date);
  return r.result();
}

describe("annual reducers", () => {
  it("median takes each band's median (R .15, N .45)", () => {
    const r = run("median");
    expect(r.bands.R![0]).toBeCloseTo(0.15, 6);
    expect(r.bands.N![0]).toBeCloseTo(0.45, 6);
    expect(r.count[0]).toBe(3);
  });

  it("medoid takes the whole observation nearest the band medians (C: distance 0)", () => {
    const r = run("medoid");
    expect(r.bands.R![0]).toBeCloseTo(0.15, 6);
    expect(r.bands.N![0]).toBeCloseTo(0.45, 6);
    expect(r.doy[0]).toBe(223); // 2020-08-10 is day 223 of a leap year
  });

  it("max-NDVI takes the greenest observation (B: NDVI 0.6)", () => {
    const r = run("max-ndvi");
    expect(r.bands.R![0]).toBeCloseTo(0.1, 6);
    expect(r.doy[0]).toBe(202); // 2020-07-20
  });

  it("names an unknown reducer", () => {
    expect(() => reducerFor("mean", 1, ["R"])).toThrow(/--reducer mean: unknown/);
  });
});
