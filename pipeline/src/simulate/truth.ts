/** The planted truth of a SIMULATED site on its grid: base cover, zone events, yearly vegetation. */
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { mappedZones } from "../site/site.ts";
import { smoothNoise } from "./atmosphere.ts";
import { EVENT_CODES, recoveryState, vegFraction, type ZoneEvent } from "./events.ts";

export interface SiteTruth {
  grid: Grid;
  years: number[];
  base: Float32Array;
  /** Index into `events` + 1 per pixel, 0 for none. */
  zoneOf: Uint8Array;
  inCore: Uint8Array;
  events: (ZoneEvent | undefined)[];
  /** Pit and dump zones are rock-floored; others bare soil. */
  rocky: Uint8Array;
  veg: Map<number, Float32Array>;
}

export function buildTruth(site: Site, grid: Grid, years: number[], seed: number): SiteTruth {
  const n = grid.width * grid.height;
  const noise = smoothNoise(grid.width, grid.height, 25, seed);
  const [lo, hi] = site.key === "ganzhou" ? [0.8, 0.95] : [0.55, 0.8];
  const base = Float32Array.from(noise, (v) => lo + (hi - lo) * v);
  const zoneOf = new Uint8Array(n);
  const inCore = new Uint8Array(n);
  const rocky = new Uint8Array(n);
  const zones = mappedZones(site);
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  zones.forEach((z, k) => {
    const m = rasterizeRings(projectAoi(parseAoi(z.geometry), grid.crs), grid, all);
    const core = z.simulation?.core ?? 0;
    const { cx, cy, r } = extent(m, grid.width);
    for (let i = 0; i < n; i++) {
      if (!m[i]) continue;
      zoneOf[i] = k + 1;
      if (z.kind === "pit" || z.kind === "dump") rocky[i] = 1;
      const dx = (i % grid.width) - cx;
      const dy = Math.floor(i / grid.width) - cy;
      if (core > 0 && Math.hypot(dx, dy) / r < Math.sqrt(core)) inCore[i] = 1;
    }
  });
  const events = zones.map((z) => z.simulation as ZoneEvent | undefined);
  const veg = new Map<number, Float32Array>();
  for (const y of years) {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = vegFraction(base[i]!, zoneOf[i] ? events[zoneOf[i]! - 1] : undefined, y, inCore[i] === 1);
    veg.set(y, v);
  }
  return { grid, years, base, zoneOf, inCore, events, rocky, veg };
}

function extent(m: Uint8Array, width: number): { cx: number; cy: number; r: number } {
  let sx = 0;
  let sy = 0;
  let c = 0;
  for (let i = 0; i < m.length; i++)
    if (m[i]) {
      sx += i % width;
      sy += Math.floor(i / width);
      c++;
    }
  const cx = sx / (c || 1);
  const cy = sy / (c || 1);
  let r = 1;
  for (let i = 0; i < m.length; i++) if (m[i]) r = Math.max(r, Math.hypot((i % width) - cx, Math.floor(i / width) - cy));
  return { cx, cy, r };
}

/** Truth rasters: event year, event type, magnitude, final recovery state. */
export function truthRasters(t: SiteTruth): {
  eventYear: Int16Array;
  eventType: Uint8Array;
  magnitude: Float32Array;
  recovery: Uint8Array;
} {
  const n = t.base.length;
  const last = t.years[t.years.length - 1]!;
  const eventYear = new Int16Array(n);
  const eventType = new Uint8Array(n);
  const magnitude = new Float32Array(n);
  const recovery = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = t.zoneOf[i] ? t.events[t.zoneOf[i]! - 1] : undefined;
    if (!e || t.inCore[i] || e.year < t.years[0]! || e.year > last) continue;
    eventYear[i] = e.year;
    eventType[i] = EVENT_CODES[e.event];
    magnitude[i] = t.base[i]! * e.magnitude;
    recovery[i] = recoveryState(t.base[i]!, t.veg.get(last)![i]!, true);
  }
  return { eventYear, eventType, magnitude, recovery };
}
