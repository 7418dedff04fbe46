/**
 * Season windows for annual composites: {"start": "MM-DD", "end": "MM-DD"}. A window whose end
 * comes before its start spans the new year (Ganzhou's dry season, October to February) and its
 * composite is labelled with the year in which the window starts.
 */
import { BadParameter } from "../errors.ts";

export interface Season {
  start: string;
  end: string;
}

const MMDD = /^(\d{2})-(\d{2})$/;

export function validateSeason(s: Season, label = "season"): void {
  for (const v of [s.start, s.end]) {
    const m = MMDD.exec(v);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 12 || Number(m[2]) < 1 || Number(m[2]) > 31) throw new BadParameter(`${label}: "${v}" is not MM-DD`);
  }
}

/** The composite year an acquisition date belongs to, or null when it falls outside the window. */
export function seasonYear(isoDate: string, s: Season): number | null {
  const year = Number(isoDate.slice(0, 4));
  const md = isoDate.slice(5, 10);
  if (s.start <= s.end) return md >= s.start && md <= s.end ? year : null;
  if (md >= s.start) return year;
  if (md <= s.end) return year - 1;
  return null;
}
