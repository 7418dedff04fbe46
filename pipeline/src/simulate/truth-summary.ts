/**
 * truth.json of a SIMULATED stack: areas (km2 = pixel count x pixel area) per event type and
 * recovery state, for the whole AOI, each planted zone and the land outside the zones, plus
 * what each zone was planted with.
 */
import { type EVENT_CODES, RECOVERY } from "./events.ts";
import { RECOVERY_RULE, type SiteTruth, type TruthRasters } from "./truth.ts";

export interface RegionAreas {
  pixels: number;
  areaKm2: number;
  /** Bare all along (an existing pit's core, a stable tailings pond): not an event of the period. */
  preExistingBareKm2: number;
  eventTypeKm2: Record<keyof typeof EVENT_CODES, number>;
  recoveryKm2: { notRecovered: number; partial: number; complete: number };
}

export function regionAreas(inRegion: (i: number) => boolean, t: SiteTruth, r: TruthRasters): RegionAreas {
  const px = (t.grid.transform[0] * t.grid.transform[0]) / 1e6;
  const types = [0, 0, 0, 0];
  const rec = [0, 0, 0, 0];
  let pixels = 0;
  let core = 0;
  for (let i = 0; i < r.eventType.length; i++) {
    if (!inRegion(i)) continue;
    pixels++;
    types[r.eventType[i]!]!++;
    rec[r.recovery[i]!]!++;
    const z = t.landscape.zone[i]!;
    core += t.landscape.core[i] || (z && t.landscape.zones[z - 1]!.sim?.event === "stable") ? 1 : 0;
  }
  const km2 = (n: number) => Math.round(n * px * 1e6) / 1e6;
  return {
    pixels,
    areaKm2: km2(pixels),
    preExistingBareKm2: km2(core),
    eventTypeKm2: { stable: km2(types[0]!), mining: km2(types[1]!), abandonment: km2(types[2]!), restoration: km2(types[3]!) },
    recoveryKm2: { notRecovered: km2(rec[RECOVERY.not]!), partial: km2(rec[RECOVERY.partial]!), complete: km2(rec[RECOVERY.complete]!) },
  };
}

export function truthSummary(t: SiteTruth, r: TruthRasters, siteName: string, simulation: Record<string, unknown>): Record<string, unknown> {
  const l = t.landscape;
  const inAoi = (i: number) => l.aoi[i] === 1;
  const [first, last] = [t.years[0]!, t.years.at(-1)!];
  const unrecorded = l.zones.filter((z) => z.sim?.year !== undefined && (z.sim.year < first || z.sim.year > last)).map((z) => z.name);
  return {
    simulated: true,
    title: `SIMULATED planted truth, ${siteName}`,
    note: "SIMULATED by reewatch simulate: planted events, not observations. Areas are pixel counts x pixel area on the simulation grid, inside the AOI.",
    site: t.site,
    seed: t.seed,
    years: t.years,
    grid: t.grid,
    pixelAreaKm2: (t.grid.transform[0] * t.grid.transform[0]) / 1e6,
    codes: {
      event_type: { 0: "stable", 1: "mining expansion", 2: "abandonment", 3: "restoration" },
      recovery_state: { 0: "n/a", 1: "not recovered", 2: "partial", 3: "complete" },
    },
    recoveryRule: RECOVERY_RULE,
    eventsNotRecorded: unrecorded.length ? { zones: unrecorded, why: `their disturbance year is outside ${first}-${last}` } : undefined,
    areas: {
      AOI: regionAreas(inAoi, t, r),
      outsideZones: regionAreas((i) => inAoi(i) && l.zone[i] === 0, t, r),
      zones: Object.fromEntries(l.zones.map((z, k) => [z.name, regionAreas((i) => inAoi(i) && l.zone[i] === k + 1, t, r)])),
    },
    plantedZones: l.zones.map((z) => ({ name: z.name, kind: z.kind, surface: z.surface, ...(z.sim ?? { event: "none" }) })),
    simulation,
  };
}
