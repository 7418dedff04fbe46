/** Seasons as month-day windows ("06-01" to "09-30"), wrapping the new year when start > end (Ganzhou's dry season). */
import { BadParameter } from "../errors.ts";

export interface Season {
  start: string;
  end: string;
}

/** "06-09" (months) or "06-01:09-30" (month-days) to a Season. */
export function parseSeason(spec: string): Season {
  const months = /^(\d{2})-(\d{2})$/.exec(spec);
  if (months) {
    const [a, b] = [Number(months[1]), Number(months[2])];
    if (a < 1 || a > 12 || b < 1 || b > 12) throw new BadParameter(`--season ${spec}: months must be 01..12`);
    const last = new Date(Date.UTC(2001, b, 0)).getUTCDate();
    return { start: `${months[1]}-01`, end: `${months[2]}-${String(last).padStart(2, "0")}` };
  }
  const days = /^(\d{2}-\d{2}):(\d{2}-\d{2})$/.exec(spec);
  if (days) return { start: days[1]!, end: days[2]! };
  throw new BadParameter(`--season ${spec}: expected MM-MM (e.g. 06-09) or MM-DD:MM-DD (e.g. 10-15:02-28)`);
}

/** True when the datetime's month-day falls in the season (UTC). */
export function inSeason(datetime: string, s: Season): boolean {
  const md = datetime.slice(5, 10);
  return s.start <= s.end ? md >= s.start && md <= s.end : md >= s.start || md <= s.end;
}
