/**
 * Planted truth for SIMULATED sites: each zone's event turns a pixel's base vegetation fraction
 * into a trajectory over the years. Codes: event_type 0 stable, 1 mining expansion,
 * 2 abandonment, 3 restoration; recovery_state 0 n/a, 1 not recovered, 2 partial, 3 complete.
 */
export interface ZoneEvent {
  event: "mining" | "abandonment" | "restoration";
  year: number;
  magnitude: number;
  core?: number;
  restorationStart?: number;
  rate?: number;
  targetFraction?: number;
}

export const EVENT_CODES = { stable: 0, mining: 1, abandonment: 2, restoration: 3 } as const;

/** Vegetation fraction in `year` of a pixel with `base` cover under event `e` (inCore: an existing pit). */
export function vegFraction(base: number, e: ZoneEvent | undefined, year: number, inCore: boolean): number {
  if (!e) return base;
  if (inCore) return 0.02;
  if (year < e.year) return base;
  const low = base * (1 - e.magnitude);
  if (e.event !== "restoration" || e.restorationStart === undefined || year <= e.restorationStart) return low;
  const target = base * (e.targetFraction ?? 1);
  return Math.min(target, low + (e.rate ?? 0) * (year - e.restorationStart));
}

/** Recovery state from the fraction of the pre-disturbance cover regained (>= 0.8 complete, >= 0.5 partial). */
export function recoveryState(base: number, now: number, disturbed: boolean): number {
  if (!disturbed) return 0;
  const r = now / base;
  return r >= 0.8 ? 3 : r >= 0.5 ? 2 : 1;
}
