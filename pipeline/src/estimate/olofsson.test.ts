import { describe, expect, it } from "vitest";
import { olofsson } from "./olofsson.ts";

describe("Olofsson et al. 2014 stratified estimator", () => {
  // The worked example of Olofsson et al. (2014), Remote Sensing of Environment 148, section 5
  // (Tables 8-9): mapped areas in 30 m pixels (0.09 ha), sample counts per map class (rows) and
  // reference class (columns). Published: deforestation 21,158 +- 6,158 ha, forest gain
  // 11,686 +- 3,756 ha, stable forest 285,770 +- 15,510 ha, stable non-forest 581,386 +- 16,282 ha;
  // user's accuracy 0.88, 0.73, 0.93, 0.96; overall 0.95. Producer's accuracies are checked
  // against p_jj / p_.j worked out by hand below.
  const r = olofsson({
    classes: ["deforestation", "forest gain", "stable forest", "stable non-forest"],
    counts: [
      [66, 0, 5, 4],
      [0, 55, 8, 12],
      [1, 0, 153, 11],
      [2, 1, 9, 313],
    ],
    mappedAreas: [200000, 150000, 3200000, 6450000].map((px) => px * 0.09),
  });
  const published = [
    // p_.j by hand: deforestation 0.02*66/75 + 0.32*1/165 + 0.645*2/325 = 0.023509 -> P = 0.0176 / 0.023509
    [21158, 6158, 0.88, 0.0176 / 0.023509],
    // forest gain: 0.015*55/75 + 0.645*1/325 = 0.0129846 -> P = 0.011 / 0.0129846
    [11686, 3756, 0.73, 0.011 / 0.0129846],
    // stable forest: 0.0013333 + 0.0016 + 0.2967273 + 0.0178615 = 0.3175221 -> P = 0.2967273 / 0.3175221
    [285770, 15510, 0.93, 0.2967273 / 0.3175221],
    // stable non-forest: 0.0010667 + 0.0024 + 0.0213333 + 0.6211846 = 0.6459846 -> P = 0.6211846 / 0.6459846
    [581386, 16282, 0.96, 0.6211846 / 0.6459846],
  ];
  it("reproduces the published areas and 95 % half-widths (ha)", () => {
    published.forEach(([area, half], i) => {
      const c = r.classes[i]!;
      expect(Math.abs(c.area - area!)).toBeLessThan(1);
      expect(Math.abs((c.areaCi95[1] - c.areaCi95[0]) / 2 - half!)).toBeLessThan(1.5);
    });
  });

  it("reproduces the published user's, producer's and overall accuracy", () => {
    published.forEach(([, , u, p], i) => {
      expect(r.classes[i]!.usersAccuracy).toBeCloseTo(u!, 2);
      expect(r.classes[i]!.producersAccuracy).toBeCloseTo(p!, 4);
    });
    expect(r.overallAccuracy).toBeCloseTo(0.95, 2);
  });

  it("handles a tiny 2x2 case by hand", () => {
    // Areas 10 and 90 (total 100). Stratum A: 8 A, 2 B; stratum B: 1 A, 9 B.
    // p_.A = 0.1*0.8 + 0.9*0.1 = 0.17 -> area 17; SE = sqrt(0.01*0.16/9 + 0.81*0.09/9) = sqrt(0.0074778) = 0.086474
    const t = olofsson({
      classes: ["A", "B"],
      counts: [
        [8, 2],
        [1, 9],
      ],
      mappedAreas: [10, 90],
    });
    expect(t.classes[0]!.area).toBeCloseTo(17, 9);
    expect(t.classes[0]!.areaSe).toBeCloseTo(100 * Math.sqrt((0.01 * 0.16) / 9 + (0.81 * 0.09) / 9), 9);
    expect(t.overallAccuracy).toBeCloseTo(0.1 * 0.8 + 0.9 * 0.9, 9);
  });

  it("refuses strata with fewer than two samples and malformed tables", () => {
    expect(() =>
      olofsson({
        classes: ["A", "B"],
        counts: [
          [1, 0],
          [1, 9],
        ],
        mappedAreas: [10, 90],
      }),
    ).toThrow(/stratum "A" has 1 sample/);
    expect(() => olofsson({ classes: ["A", "B"], counts: [[1, 0]], mappedAreas: [10, 90] })).toThrow(/2 x 2/);
    expect(() => olofsson({ classes: ["A"], counts: [[-1]], mappedAreas: [1] })).toThrow(/non-negative/);
  });

  it("applies the finite population correction when stratum sizes are given (a 1-pixel census stratum)", () => {
    // Stratum A: 1 pixel, sampled in full, labelled A. Stratum B: 99 pixels, 10 sampled: 1 A, 9 B.
    // W = 0.01, 0.99. p_.A = 0.01 * 1/1 + 0.99 * 1/10 = 0.109 -> area 10.9 pixels.
    // Var: stratum A is a census (1 - 1/1 = 0); stratum B: (1 - 10/99) * 0.99^2 * 0.1 * 0.9 / 9.
    const t = olofsson({
      classes: ["A", "B"],
      counts: [
        [1, 0],
        [1, 9],
      ],
      mappedAreas: [1, 99],
      stratumSizes: [1, 99],
    });
    expect(t.classes[0]!.area).toBeCloseTo(10.9, 9);
    expect(t.classes[0]!.areaSe).toBeCloseTo(100 * Math.sqrt(((1 - 10 / 99) * 0.99 ** 2 * 0.1 * 0.9) / 9), 9);
    // User's accuracy of the census stratum is known exactly: 1 with no variance.
    expect(t.classes[0]!.usersAccuracy).toBe(1);
    expect(t.classes[0]!.usersCi95).toEqual([1, 1]);
    // Overall: 0.01 * 1 + 0.99 * 0.9 = 0.901; V = (1 - 10/99) * 0.99^2 * 0.9 * 0.1 / 9.
    expect(t.overallAccuracy).toBeCloseTo(0.901, 9);
    const half = (t.overallCi95[1] - t.overallCi95[0]) / 2;
    expect(half).toBeCloseTo(1.96 * Math.sqrt(((1 - 10 / 99) * 0.99 ** 2 * 0.9 * 0.1) / 9), 9);
  });

  it("gives a full census no sampling variance, and refuses more samples than units", () => {
    const t = olofsson({
      classes: ["A", "B"],
      counts: [
        [3, 1],
        [2, 6],
      ],
      mappedAreas: [4, 8],
      stratumSizes: [4, 8],
    });
    // p_.A = (4/12) * 3/4 + (8/12) * 2/8 = 0.25 + 0.1667 -> 5 of 12 units, exactly.
    expect(t.classes[0]!.area).toBeCloseTo(5, 9);
    expect(t.classes[0]!.areaSe).toBe(0);
    expect(() =>
      olofsson({
        classes: ["A", "B"],
        counts: [
          [3, 1],
          [2, 6],
        ],
        mappedAreas: [3, 8],
        stratumSizes: [3, 8],
      }),
    ).toThrow(/stratum "A": 4 sample units but a population of only 3/);
  });
});
