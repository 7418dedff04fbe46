/**
 * The planted truth of a SIMULATED site on its grid: the state of every pixel in any year
 * (vegetation cover, bare surface, pond water) and the truth rasters written beside the scenes
 * (event year, event type, magnitude, recovery state at the last year, cover per year).
 */
import type { Grid } from "../raster.ts";
import { SURFACES, type Surface } from "../site/schema.ts";
import type { Site } from "../site/site.ts";
import { COMPLETE_SHARE, coverAt, EVENT_CODES, PARTIAL_SHARE, pixelEvent, pondActive, recoveryState, yearFactor } from "./events.ts";
import { buildLandscape, type Landscape } from "./landscape.ts";

export interface YearState {
  /** Peak-season vegetation fraction (scenes multiply it by the green share of their date). */
  veg: Float32Array;
  /** Index into SURFACES of the bare ground under the vegetation (water = a pond). */
  surface: Uint8Array;
}

export interface SiteTruth {
  site: string;
  grid: Grid;
  years: number[];
  seed: number;
  landscape: Landscape;
  /** Yearly cover factor (wet and dry years). */
  factor(year: number): number;
  /** State of every pixel in `year` (any year, cached). */
  state(year: number): YearState;
}

export const SURFACE_CODE = Object.fromEntries(SURFACES.map((s, i) => [s, i])) as Record<Surface, number>;

export function buildTruth(site: Site, grid: Grid, years: number[], seed: number): SiteTruth {
  const landscape = buildLandscape(site, grid, seed);
  const sd = site.simulation!.interannual;
  const soil = SURFACE_CODE[site.simulation!.soil];
  const eventYears = Int16Array.from(landscape.base, (_, i) => pixelEvent(landscape, i)?.year ?? 0);
  const cache = new Map<number, YearState>();
  const factor = (year: number) => yearFactor(seed, site.key, year, sd);
  const state = (year: number): YearState => {
    const hit = cache.get(year);
    if (hit) return hit;
    const s = yearState(landscape, eventYears, year, factor(year), soil);
    cache.set(year, s);
    return s;
  };
  return { site: site.key, grid, years, seed, landscape, factor, state };
}

function yearState(l: Landscape, eventYears: Int16Array, year: number, f: number, soil: number): YearState {
  const n = l.base.length;
  const veg = new Float32Array(n);
  const surface = new Uint8Array(n).fill(soil);
  const water = SURFACE_CODE.water;
  for (let i = 0; i < n; i++) {
    if (l.zone[i] === 0) {
      veg[i] = Math.min(1, l.base[i]! * f);
      continue;
    }
    const z = l.zones[l.zone[i]! - 1]!;
    const sim = z.sim;
    const eventYear = eventYears[i] || Number.POSITIVE_INFINITY;
    const cover = coverAt(l.base[i]!, sim, eventYear, l.rateFactor[i]!, l.core[i] === 1, year);
    if (sim && (l.core[i] || sim.event === "stable")) surface[i] = SURFACE_CODE[l.core[i] ? z.coreSurface : z.surface];
    else if (year >= eventYear) surface[i] = SURFACE_CODE[z.surface];
    if (l.pond[i] === 1 && pondActive(sim, eventYear, year)) surface[i] = water;
    veg[i] = surface[i] === water ? 0 : Math.min(1, cover * f);
  }
  return { veg, surface };
}

export interface TruthRasters {
  eventYear: Int16Array;
  eventType: Uint8Array;
  magnitude: Float32Array;
  recovery: Uint8Array;
}

/**
 * Truth rasters over the simulated years: events whose disturbance year falls inside them
 * (earlier events are not recorded: the period cannot see their start); magnitude = cover in
 * the year before minus cover in the event year; recovery at the last year from the share of
 * the pre-event cover present (< 50 % not, >= 50 % partial, >= 80 % complete).
 */
export function truthRasters(t: SiteTruth): TruthRasters {
  const l = t.landscape;
  const n = l.base.length;
  const [first, last] = [t.years[0]!, t.years.at(-1)!];
  const out: TruthRasters = { eventYear: new Int16Array(n), eventType: new Uint8Array(n), magnitude: new Float32Array(n), recovery: new Uint8Array(n) };
  const end = t.state(last).veg;
  for (let i = 0; i < n; i++) {
    const e = pixelEvent(l, i);
    if (!e || e.year < first || e.year > last) continue;
    const pre = t.state(e.year - 1).veg[i]!;
    out.eventYear[i] = e.year;
    out.eventType[i] = EVENT_CODES[e.sim.event as keyof typeof EVENT_CODES];
    out.magnitude[i] = pre - t.state(e.year).veg[i]!;
    out.recovery[i] = recoveryState(pre, end[i]!);
  }
  return out;
}

export const RECOVERY_RULE = `share of the pre-event cover present at the last year: < ${PARTIAL_SHARE} not recovered, >= ${PARTIAL_SHARE} partial, >= ${COMPLETE_SHARE} complete`;
