import { describe, expect, it } from "vitest";
import { loadSite, siteGrid } from "../site/site.ts";
import { coarseGridOf, greenShare, halve, halveNearest, NOISE_SD, surfaceReflectance, synthesize } from "./scene.ts";
import type { SceneSpec } from "./schedule.ts";
import { ENDMEMBERS } from "./spectra.ts";
import { shadowOffset } from "./sun.ts";
import { buildTruth } from "./truth.ts";

const spec = (o: Partial<SceneSpec>): SceneSpec => ({
  id: "S2A_SIM_TEST_20200715_L2A",
  date: "2020-07-15",
  stateYear: 2020,
  inSeason: true,
  cloudCover: 0,
  cirrus: 0,
  snow: 0,
  falseCloud: false,
  swathCut: 0,
  seed: 42,
  processingBaseline: "02.14",
  ...o,
});

describe("resampling to the 20 m-band grid", () => {
  it("averages 2x2 blocks, repeating the last row of an odd grid; nearest takes the top-left sample", () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect([...halve(a, 4, 3)]).toEqual([3.5, 5.5, 9.5, 11.5]);
    expect([...halveNearest(Uint8Array.from(a), 4, 3)]).toEqual([1, 3, 9, 11]);
    expect(coarseGridOf({ crs: "EPSG:32649", transform: [20, 0, 410220, 0, -20, 4632040], width: 505, height: 396 })).toEqual({
      crs: "EPSG:32649",
      transform: [40, 0, 410220, 0, -40, 4632040],
      width: 253,
      height: 198,
    });
  });
});

describe("phenology", () => {
  it("is 1 on the peak day and the minimum half a year away (raised cosine)", () => {
    const p = { peakDoy: 200, minGreen: 0.1 };
    expect(greenShare(p, "2019-07-19")).toBeCloseTo(1, 12);
    expect(greenShare(p, "2019-01-17")).toBeCloseTo(0.1, 3);
    // 91 days from the peak: cos(2 pi 91 / 365) = 0.00430; 0.1 + 0.9 (0.5 + 0.5 * 0.00430).
    expect(greenShare(p, "2019-10-18")).toBeCloseTo(0.1 + 0.9 * (0.5 + 0.5 * Math.cos((2 * Math.PI * 91) / 365)), 12);
  });
});

describe("a simulated Bayan Obo scene", async () => {
  const site = await loadSite("bayan-obo");
  const grid = siteGrid(site);
  const truth = buildTruth(site, grid, [2019, 2020], 1);

  it("mixes green steppe, dry grass and bare soil by hand at an undisturbed pixel", () => {
    const s = spec({});
    const surface = surfaceReflectance(site, truth, s);
    const i = 40 * grid.width + 40;
    expect(truth.landscape.zone[i]).toBe(0);
    const v = truth.state(2020).veg[i]!;
    const g = greenShare(site.simulation!.phenology, s.date);
    for (let k = 0; k < 7; k++) {
      const hand = (v * g * ENDMEMBERS.steppe[k]! + v * (1 - g) * ENDMEMBERS.npv[k]! + (1 - v) * ENDMEMBERS.soilSteppe[k]!) * truth.landscape.illum[i]!;
      expect(surface[k]![i]).toBeCloseTo(hand, 6);
    }
  });

  it("adds sensor noise of the declared SD on a clear scene", () => {
    const a = synthesize(site, truth, spec({}), 41.8);
    const d = a.fine[2]!.map((v, i) => v - a.surface[2]![i]!);
    const mean = d.reduce((x, y) => x + y, 0) / d.length;
    const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(Math.abs(sd / NOISE_SD - 1)).toBeLessThan(0.02);
    expect([...a.scl].every((c) => c === 4 || c === 5 || c === 6)).toBe(true);
  });

  it("flags cloud in SCL exactly where the planted opacity (2x2 mean) is >= 0.03, and shadows lie north-west of clouds", () => {
    const s = spec({ cloudCover: 0.3, seed: 7 });
    const a = synthesize(site, truth, s, 41.8);
    const cloud = halve(a.atmosphere.cloud, grid.width, grid.height);
    let flagged = 0;
    let wrong = 0;
    for (let i = 0; i < a.scl.length; i++) {
      const isCloud = a.scl[i] === 8 || a.scl[i] === 9;
      if (isCloud !== cloud[i]! >= 0.03 || (cloud[i]! >= 0.5 && a.scl[i] !== 9)) wrong++;
      flagged += isCloud ? 1 : 0;
    }
    expect(wrong).toBe(0);
    expect(Math.abs(flagged / a.scl.length - 0.3)).toBeLessThan(0.03);
    const w = a.coarseGrid.width;
    const centroid = (c: number) => {
      let [x, y, n] = [0, 0, 0];
      for (let i = 0; i < a.scl.length; i++) if (a.scl[i] === c) [x, y, n] = [x + (i % w), y + Math.floor(i / w), n + 1];
      return [x / n, y / n] as const;
    };
    const [sx, sy] = centroid(3);
    const [cx, cy] = centroid(9);
    const { dx, dy } = shadowOffset(s.date, 41.8, 2000, 40);
    expect(dx).toBeLessThan(0);
    expect(dy).toBeLessThan(0);
    expect(sx - cx).toBeLessThan(0);
    expect(sy - cy).toBeLessThan(0);
  });

  it("leaves no data beyond a cut swath: NaN reflectance and SCL 0 on the same 2x2 blocks", () => {
    const a = synthesize(site, truth, spec({ swathCut: 0.25 }), 41.8);
    const nan = a.fine[0]!.filter((v) => Number.isNaN(v)).length / a.fine[0]!.length;
    expect(Math.abs(nan - 0.25)).toBeLessThan(0.01);
    const w2 = a.coarseGrid.width;
    let wrong = 0;
    for (let i = 0; i < a.scl.length; i++) {
      const fi = 2 * Math.floor(i / w2) * grid.width + 2 * (i % w2);
      if ((a.scl[i] === 0) !== Number.isNaN(a.fine[0]![fi]!) || (a.scl[i] === 0) !== Number.isNaN(a.coarse[1]![i]!)) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
