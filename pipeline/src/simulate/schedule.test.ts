import { describe, expect, it } from "vitest";
import { seasonYear } from "../run/season.ts";
import { loadSite } from "../site/site.ts";
import { planScenes, processingBaseline, sceneId } from "./schedule.ts";

describe("acquisition plan", () => {
  it("names scenes S2A_SIM_<SITE>_<YYYYMMDD>_L2A", () => {
    expect(sceneId("bayan-obo", "2019-07-14")).toBe("S2A_SIM_BAYANOBO_20190714_L2A");
  });

  it("switches to processing baseline 04.00 on 2022-01-25 (the -1000 DN offset)", () => {
    expect(processingBaseline("2022-01-24")).toBe("03.00");
    expect(processingBaseline("2022-01-25")).toBe("04.00");
    expect(processingBaseline("2016-06-15")).toBe("02.04");
    expect(processingBaseline("2024-08-01")).toBe("05.11");
  });

  it("Bayan Obo: 6 scenes a year, 4 in June-September, the rest outside, sorted, unique, deterministic", async () => {
    const site = await loadSite("bayan-obo");
    const plan = planScenes(site, [2016, 2024], 6, 1);
    expect(plan).toHaveLength(54);
    expect(new Set(plan.map((p) => p.id)).size).toBe(54);
    expect(plan.map((p) => p.date)).toEqual([...plan.map((p) => p.date)].sort());
    for (let y = 2016; y <= 2024; y++) {
      const inYear = plan.filter((p) => p.date.startsWith(`${y}`));
      expect(inYear.filter((p) => p.inSeason)).toHaveLength(4);
      for (const p of inYear) expect(p.inSeason).toBe(seasonYear(p.date, site.season) !== null);
    }
    expect(planScenes(site, [2016, 2024], 6, 1)).toEqual(plan);
    expect(planScenes(site, [2016, 2024], 6, 2)).not.toEqual(plan);
    for (const p of plan) expect(Number(p.processingBaseline) >= 4).toBe(p.date >= "2022-01-25");
    // Some clear, some cloudy; snow only in the snow months.
    expect(plan.some((p) => p.cloudCover === 0)).toBe(true);
    expect(plan.some((p) => p.cloudCover > 0.2)).toBe(true);
    for (const p of plan.filter((p) => p.snow > 0)) expect([11, 12, 1, 2, 3]).toContain(Number(p.date.slice(5, 7)));
    expect(plan.some((p) => p.falseCloud)).toBe(true);
  });

  it("Ganzhou: the October-February season belongs to the year it starts; off-season scenes show the last season's state", async () => {
    const site = await loadSite("ganzhou");
    const plan = planScenes(site, [2019, 2020], 3, 1);
    expect(plan).toHaveLength(6);
    for (const p of plan) {
      const y = Number(p.date.slice(0, 4));
      const md = p.date.slice(5);
      if (md >= "10-01") expect(p.stateYear).toBe(y);
      else expect(p.stateYear).toBe(y - 1);
      expect(p.inSeason).toBe(md >= "10-01" || md <= "02-28");
    }
    expect(plan.some((p) => p.date.startsWith("2021-0"))).toBe(true);
    expect(plan.every((p) => p.snow === 0)).toBe(true);
  });
});
