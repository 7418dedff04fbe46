/**
 * Planted events of SIMULATED sites: how a pixel's vegetation cover evolves over the years.
 * - mining expansion: from the pixel's disturbance year (the front moves from `year` at the core
 *   to `yearEnd` at the zone edge) cover drops by `magnitude` and stays down;
 * - abandonment: cover drops in `year` and stays bare;
 * - restoration: cover drops in `year`; after `restorationStart` it regains `rate` (absolute cover
 *   per year, times the pixel's rate factor) up to `targetFraction` of the pre-event cover;
 * - stable zones (a tailings pond) and existing cores are bare all along; everything else is
 *   undisturbed (the controls).
 * A site-wide yearly factor (wet and dry years) multiplies every cover.
 * Codes: event_type 0 stable, 1 mining expansion, 2 abandonment, 3 restoration;
 * recovery_state 0 n/a, 1 not recovered (< 50 % of the pre-event cover), 2 partial (>= 50 %),
 * 3 complete (>= 80 %, the R80P threshold of docs/science.md, Compositing and time series).
 */
import type { ZoneSimulationSpec } from "../site/schema.ts";
import { gaussian, hashSeed } from "./field.ts";
import type { Landscape } from "./landscape.ts";

export const EVENT_CODES = { stable: 0, mining: 1, abandonment: 2, restoration: 3 } as const;
export const RECOVERY = { na: 0, not: 1, partial: 2, complete: 3 } as const;
export const PARTIAL_SHARE = 0.5;
export const COMPLETE_SHARE = 0.8;

/** The year a pixel is disturbed: `year` for fronts that do not move, else by its place in the front. */
export function pixelEventYear(sim: ZoneSimulationSpec, front: number): number {
  const y0 = sim.year!;
  const y1 = sim.yearEnd ?? y0;
  return Math.min(y1, y0 + Math.floor(front * (y1 - y0 + 1)));
}

/** Cover before the yearly factor: `base` under the zone's event in `year` (core pixels are bare). */
export function coverAt(base: number, sim: ZoneSimulationSpec | undefined, eventYear: number, rateFactor: number, inCore: boolean, year: number): number {
  if (!sim) return base;
  if (inCore || sim.event === "stable") return 0;
  if (year < eventYear) return base;
  const low = base * (1 - sim.magnitude);
  if (sim.event !== "restoration" || year <= sim.restorationStart!) return low;
  const regrown = low + sim.rate! * rateFactor * (year - sim.restorationStart!);
  return Math.max(low, Math.min(base * (sim.targetFraction ?? 1), regrown));
}

/** A pond pixel holds water while its zone's disturbance is active (until restoration starts). */
export function pondActive(sim: ZoneSimulationSpec | undefined, eventYear: number, year: number): boolean {
  if (!sim || sim.event === "stable" || year < eventYear) return false;
  return sim.event !== "restoration" || year <= sim.restorationStart!;
}

/**
 * Site-wide cover factor of `year`: 1 + sd * z with z standard normal, clamped to +-2 sd so a dry
 * year cannot pass for a disturbance. Seeded by (seed, site, year) alone.
 */
export function yearFactor(seed: number, site: string, year: number, sd: number): number {
  const z = gaussian(hashSeed(seed, site, "year", year))();
  return 1 + sd * Math.max(-2, Math.min(2, z));
}

/** Recovery state from the share of the pre-event cover present now. */
export function recoveryState(pre: number, now: number): number {
  if (!(pre > 0)) return RECOVERY.not;
  const r = now / pre;
  return r >= COMPLETE_SHARE ? RECOVERY.complete : r >= PARTIAL_SHARE ? RECOVERY.partial : RECOVERY.not;
}

/** The event of pixel i (zone spec and disturbance year), or null when it has none. */
export function pixelEvent(l: Landscape, i: number): { sim: ZoneSimulationSpec; year: number } | null {
  const z = l.zone[i]! ? l.zones[l.zone[i]! - 1] : undefined;
  if (!z?.sim || z.sim.event === "stable" || l.core[i]) return null;
  return { sim: z.sim, year: pixelEventYear(z.sim, l.front[i]!) };
}
