import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random.ts";
import { desawtooth, type SpikeCorrection } from "./desawtooth.ts";
import { disturbanceSegments, greatestDisturbance, LANDTRENDR_DEFAULTS, segment } from "./segment.ts";
import { traceFrom } from "./segment-fit.ts";
import { chooseModel, fastestRecovery, recoveryAllowed } from "./segment-select.ts";

const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
const span = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("LandTrendr segmentation", () => {
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

  it("gives a clean step its onset year and magnitude", () => {
    const s = segment(years, [-0.6, -0.6, -0.6, -0.3, -0.3, -0.3, -0.3, -0.3, -0.3])!;
    expect(s.significant).toBe(true);
    expect(s.vertexYears).toEqual([2016, 2018, 2019, 2024]);
    expect(disturbanceSegments(s, 0.08)).toEqual([
      { year: 2019, magnitude: expect.closeTo(0.3, 9), duration: 1, preValue: -0.6, recoveryRate: 0, recoveryStart: 2019 },
    ]);
  });

  it("reports no disturbance on a flat, slightly noisy series", () => {
    const v = [-0.6, -0.61, -0.59, -0.6, -0.605, -0.598, -0.6, -0.602, -0.6];
    const s = segment(years, v)!;
    expect(greatestDisturbance(s, 0.1)).toBeNull();
  });

  it("removes a one-year spike instead of calling it a disturbance", () => {
    const v = [-0.6, -0.6, -0.6, -0.6, 0.2, -0.6, -0.6, -0.6, -0.6];
    const s = segment(years, v)!;
    expect(Array.from(s.despiked)).toEqual([-0.6, -0.6, -0.6, -0.6, -0.6, -0.6, -0.6, -0.6, -0.6]);
    expect(greatestDisturbance(s, 0.1)).toBeNull();
  });

  it("needs minObservationsNeeded observations", () => {
    expect(segment([2016, 2017, 2018], [0, 1, 0])).toBeNull();
  });

  it("refuses non-finite values and years that do not increase, naming them", () => {
    expect(() => segment(years, [0, 0, 0, Number.NaN, 0, 0, 0, 0, 0])).toThrow(/values\[3\] = NaN/);
    expect(() => segment([2016, 2017, 2017, 2018, 2019, 2020], [0, 0, 0, 0, 0, 0])).toThrow(/years\[2\] = 2017/);
  });

  it("gives a constant series a flat, non-significant fit", () => {
    const s = segment(
      years,
      years.map(() => -0.4),
    )!;
    expect(s.significant).toBe(false);
    expect(s.vertexYears).toEqual([2016, 2024]);
    for (const f of s.fitted) expect(f).toBeCloseTo(-0.4, 12);
    expect(s.rmse).toBeLessThan(1e-12);
  });
});

describe("no model passes: a flat line at the series mean", () => {
  // A zigzag with a rise from first to last: before issue 8 the first-to-last line was kept and
  // read as a loss of 0.2 starting in 2017. No despiking here, so the mean is the plain mean.
  const v = [-0.1, 0.05, -0.05, 0.04, -0.06, 0.03, -0.04, 0.02, 0.1];
  const s = segment(years, v, { ...LANDTRENDR_DEFAULTS, spikeThreshold: 1 })!;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;

  it("is not significant and has no disturbance", () => {
    expect(s.significant).toBe(false);
    expect(s.p).toBeGreaterThan(0.05);
    expect(greatestDisturbance(s, 0.08)).toBeNull();
  });

  it("fits every year with the mean (-0.01 / 9)", () => {
    expect(mean).toBeCloseTo(-0.01 / 9, 12);
    expect(s.vertexYears).toEqual([2016, 2024]);
    for (const f of s.fitted) expect(f).toBeCloseTo(mean, 12);
  });
});

describe("model choice: the most complex model with p <= (2 - bestModelProportion) * p_min", () => {
  const all = () => true;

  it("skips a more complex model whose p is outside 1.25 p_min, which the old rule kept", () => {
    // p_min = 0.010, limit 0.0125: the 0.04 model is out, 0.011 is the most complex inside.
    expect(chooseModel([0.04, 0.011, 0.01, 0.3], all, 0.75)).toEqual({ index: 1, p: 0.011 });
  });

  it("takes the most complex model when several are inside the limit", () => {
    expect(chooseModel([0.012, 0.011, 0.01], all, 0.75)).toEqual({ index: 0, p: 0.012 });
  });

  it("sets a recovery-rule violator's p to 1 and chooses again", () => {
    expect(chooseModel([0.011, 0.01, 0.2], (k) => k !== 0, 0.75)).toEqual({ index: 1, p: 0.01 });
  });

  it("keeps an unchosen violator's p in p_min, as the reference does", () => {
    // Model 2 (p_min 0.01) violates but is never chosen: the limit stays 0.0125, so model 1
    // (0.0124) wins over model 0 (0.014), which filtering violators out first would pick.
    expect(chooseModel([0.014, 0.0124, 0.01], (k) => k !== 2, 0.75)).toEqual({ index: 1, p: 0.0124 });
  });

  it("returns p = 1 when every model breaks a rule", () => {
    expect(chooseModel([0.01, 0.02], () => false, 0.75).p).toBe(1);
  });
});

describe("desawtooth: largest spike proportion first, corrected by its own proportion", () => {
  // Spike A at index 2: neighbours 0 and 0.05, s = 1 - 0.05 / max(1, 0.95) = 0.95.
  // Spike B at index 6: neighbours 0 and 0, s = 1 - 0 / 0.5 = 1. B goes first, in full (-0.5);
  // then A: c = 0.95 * (0.025 - 1) = -0.92625, leaving 0.07375, whose new s is
  // 1 - 0.05 / 0.07375 = 0.322 <= 0.9: done.
  const v = [0, 0, 1, 0.05, 0, 0, 0.5, 0, 0];

  it("corrects B then A, partially, and stops below the threshold", () => {
    const log: SpikeCorrection[] = [];
    const y = desawtooth(v, 0.9, log);
    expect(log.map((c) => c.index)).toEqual([6, 2]);
    expect(log[0]!.proportion).toBeCloseTo(1, 12);
    expect(log[0]!.correction).toBeCloseTo(-0.5, 12);
    expect(log[1]!.proportion).toBeCloseTo(0.95, 12);
    expect(log[1]!.correction).toBeCloseTo(-0.92625, 12);
    expect(Array.from(y).map((x) => +x.toFixed(12))).toEqual([0, 0, 0.07375, 0.05, 0, 0, 0, 0, 0]);
  });

  it("makes one more, sub-threshold correction when asked to behave as the IDL loop", () => {
    const log: SpikeCorrection[] = [];
    const y = desawtooth(v, 0.9, log, true);
    const s = 1 - 0.05 / 0.07375;
    expect(log).toHaveLength(3);
    expect(log[2]!.proportion).toBeCloseTo(s, 12);
    expect(y[2]).toBeCloseTo(0.07375 + s * (0.025 - 0.07375), 12);
  });

  it("leaves the series alone at threshold 1, and never touches the end points", () => {
    expect(Array.from(desawtooth(v, 1))).toEqual(v);
    expect(Array.from(desawtooth([1, 0, 0, 0, 1], 0.5))).toEqual([1, 0, 0, 0, 1]);
  });
});

describe("recovery rule: no recovery of the fitted range in under 1 / recoveryThreshold years", () => {
  // Fitted range 0.55 (-0.6 to -0.05); recoveryThreshold 0.25 allows 0.25 * 0.55 = 0.1375 per year.
  it("allows 0.1/yr and refuses 0.15/yr, at 9 years as at 35", () => {
    for (const n of [9, 35]) {
      const t = span(0, n);
      const ok = traceFrom(t, [0, 2, 3, 7, n - 1], [-0.6, -0.6, -0.05, -0.45, -0.45]);
      expect(fastestRecovery(ok, 0.25)).toBe(-1);
      expect(recoveryAllowed(t, [0, 2, 3, 7, n - 1], ok, LANDTRENDR_DEFAULTS)).toBe(true);
      const fast = traceFrom(t, [0, 2, 3, 6, n - 1], [-0.6, -0.6, -0.05, -0.5, -0.5]);
      expect(fastestRecovery(fast, 0.25)).toBe(2);
      expect(recoveryAllowed(t, [0, 2, 3, 6, n - 1], fast, LANDTRENDR_DEFAULTS)).toBe(false);
    }
  });

  it("keeps a 0.1/yr recovery in a 35-year series (the old limit, range / 0.25 / 35 per year, refused it)", () => {
    const y35 = span(1990, 35);
    const v = y35.map((y) => (y < 2005 ? -0.6 : y <= 2010 ? -0.05 - 0.1 * (y - 2005) : -0.55));
    const d = greatestDisturbance(segment(y35, v)!, 0.08)!;
    expect(d.year).toBe(2005);
    expect(d.magnitude).toBeCloseTo(0.55, 9);
    expect(d.recoveryRate).toBeCloseTo(0.1, 9);
  });
});

describe("every disturbance segment", () => {
  // Loss of 0.4 in 2005, recovery at 0.08/yr to 2010, stable, loss of 0.3 in 2014.
  const y20 = span(2000, 20);
  const v = y20.map((y) => (y < 2005 ? -0.6 : y < 2010 ? -0.2 - 0.08 * (y - 2005) : y < 2014 ? -0.6 : -0.3));
  const s = segment(y20, v)!;

  it("reports both losses in time order with year, magnitude, duration", () => {
    const d = disturbanceSegments(s, 0.08);
    expect(d.map((x) => [x.year, +x.magnitude.toFixed(9), x.duration])).toEqual([
      [2005, 0.4, 1],
      [2014, 0.3, 1],
    ]);
    expect(d[0]!.recoveryRate).toBeCloseTo(0.08, 9);
    expect(greatestDisturbance(s, 0.08)!.year).toBe(2005);
  });

  it("leaves out losses below minMagnitude", () => {
    expect(disturbanceSegments(s, 0.35).map((x) => x.year)).toEqual([2005]);
  });
});

describe("seeded Monte Carlo (loose bounds; bench/segmentation.ts measures properly)", () => {
  const rand = mulberry32(20240801);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  it("calls fewer than 5 % of 500 pure-noise series (sd 0.04, 20 years) disturbed at 0.08", () => {
    const y20 = span(2000, 20);
    let hits = 0;
    for (let r = 0; r < 500; r++)
      if (
        greatestDisturbance(
          segment(
            y20,
            y20.map(() => -0.6 + 0.04 * normal()),
          )!,
          0.08,
        )
      )
        hits++;
    expect(hits / 500).toBeLessThan(0.05);
  });

  it("detects more than 90 % of 200 steps of 0.25 (sd 0.04, 20 years)", () => {
    const y20 = span(2000, 20);
    let hits = 0;
    for (let r = 0; r < 200; r++) {
      const k = 2 + Math.floor(rand() * 16);
      if (
        greatestDisturbance(
          segment(
            y20,
            y20.map((_, i) => -0.6 + (i >= k ? 0.25 : 0) + 0.04 * normal()),
          )!,
          0.08,
        )
      )
        hits++;
    }
    expect(hits / 200).toBeGreaterThan(0.9);
  });
});
