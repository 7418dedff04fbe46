/**
 * Acquisition plan of a SIMULATED stack: which dates, and what each scene holds (cloud cover,
 * cirrus, snow, false clouds on bright ground, a cut swath). Per year about two thirds of the
 * scenes fall inside the site's season window and the rest outside it, spread evenly with a few
 * days of seeded jitter, as a real archive has. Every draw is seeded by (seed, site, date), so a
 * scene does not change when other scenes are added.
 */
import { mulberry32 } from "../random.ts";
import { seasonYear } from "../run/season.ts";
import type { Site } from "../site/site.ts";
import { hashSeed } from "./field.ts";

export interface SceneSpec {
  id: string;
  date: string;
  /** Season year whose vegetation state the scene shows (the last season that started on or before it). */
  stateYear: number;
  inSeason: boolean;
  /** Share of the scene under cloud (0 = clear). */
  cloudCover: number;
  /** Strength (0..1) of a thin cirrus veil, 0 for none. */
  cirrus: number;
  /** Share of the ground under snow, 0 for none. */
  snow: number;
  /** Bright bare ground and turbid ponds flagged as cloud in SCL (a known L2A false cloud). */
  falseCloud: boolean;
  /** Share of the grid beyond the swath edge (DN 0, SCL 0), 0 for a full scene. */
  swathCut: number;
  seed: number;
  processingBaseline: string;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${a}T00:00:00Z`); t <= Date.parse(`${b}T00:00:00Z`); t += DAY) out.push(iso(t));
  return out;
};

/** Evenly spaced picks (k + 0.5) / n through `days`, each moved by up to +-4 days of seeded jitter. */
function spread(days: string[], n: number, rand: () => number): string[] {
  if (n <= 0 || days.length === 0) return [];
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const at = Math.floor(((k + 0.5) / n) * days.length) + Math.round((rand() - 0.5) * 8);
    out.push(days[Math.max(0, Math.min(days.length - 1, at))]!);
  }
  return [...new Set(out)];
}

/** Sentinel-2 processing baseline in force on a date (APPROXIMATE history; exact at the 04.00 switch, 2022-01-25). */
export function processingBaseline(date: string): string {
  const table: [string, string][] = [
    ["2024-07-23", "05.11"],
    ["2023-12-13", "05.10"],
    ["2022-12-06", "05.09"],
    ["2022-01-25", "04.00"],
    ["2021-06-30", "03.00"],
    ["2019-11-26", "02.14"],
    ["2018-11-06", "02.11"],
    ["2018-05-23", "02.07"],
    ["2017-10-23", "02.06"],
    ["2017-05-02", "02.05"],
  ];
  return table.find(([from]) => date >= from)?.[1] ?? "02.04";
}

export function sceneId(site: string, date: string): string {
  return `S2A_SIM_${site.toUpperCase().replace(/[^A-Z0-9]/g, "")}_${date.replace(/-/g, "")}_L2A`;
}

/** The scenes of `years`, sorted by date. */
export function planScenes(site: Site, years: [number, number], perYear: number, seed: number): SceneSpec[] {
  const { season } = site;
  const nIn = Math.max(1, Math.round((perYear * 2) / 3));
  const out: SceneSpec[] = [];
  for (let y = years[0]; y <= years[1]; y++) {
    const rand = mulberry32(hashSeed(seed, site.key, "dates", y));
    const end = season.start <= season.end ? `${y}-${season.end}` : `${y + 1}-${season.end}`;
    const inside = daysBetween(`${y}-${season.start}`, end).filter((d) => seasonYear(d, season) === y);
    const outside = daysBetween(`${y}-01-01`, `${y}-12-31`).filter((d) => seasonYear(d, season) === null);
    for (const date of [...spread(inside, nIn, rand), ...spread(outside, perYear - nIn, rand)]) out.push(sceneSpec(site, date, seed));
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

function sceneSpec(site: Site, date: string, seed: number): SceneSpec {
  const sim = site.simulation!;
  const rand = mulberry32(hashSeed(seed, site.key, "scene", date));
  const sy = seasonYear(date, site.season);
  const inSeason = sy !== null;
  const mean = inSeason ? sim.cloudiness.season : sim.cloudiness.offSeason;
  const clear = rand() < 0.4;
  const cover = clear ? 0 : Math.min(0.95, 0.05 + (2 * mean - 0.05) * rand());
  const month = Number(date.slice(5, 7));
  const snowy = sim.snowMonths.includes(month) && rand() < 0.6;
  return {
    id: sceneId(site.key, date),
    date,
    stateYear: sy ?? lastSeasonYear(date, site.season.start),
    inSeason,
    cloudCover: cover,
    cirrus: rand() < 0.15 ? 0.3 + 0.7 * rand() : 0,
    snow: snowy ? 0.3 + 0.65 * rand() : 0,
    falseCloud: rand() < 0.35,
    swathCut: rand() < 0.08 ? 0.15 + 0.3 * rand() : 0,
    seed: hashSeed(seed, site.key, "pixels", date),
    processingBaseline: processingBaseline(date),
  };
}

/** Outside the window: the year of the last season start on or before the date. */
function lastSeasonYear(date: string, start: string): number {
  const y = Number(date.slice(0, 4));
  return date.slice(5) >= start ? y : y - 1;
}
