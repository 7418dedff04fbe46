/**
 * Reference labels from the planted truth of a SIMULATED site (truth/ beside the scenes): the
 * class a perfect interpreter would give a pixel in a year, on the same rules as the map
 * (docs/change-rules.md): stable before an event; after it, the share of the pre-event
 * vegetation cover present decides restored (>= 0.8), recovering (>= 0.5) or disturbed.
 */
import { access, readdir } from "node:fs/promises";
import { join } from "node:path";
import { readWhole } from "../read/geotiff.ts";

export interface TruthLabels {
  eventYear: Int16Array;
  veg: Map<number, Float32Array>;
  /** Reference class (1 stable, 2 disturbed, 3 recovering, 4 restored) of pixel i in `year`. */
  classAt(i: number, year: number): number;
}

const band = async (path: string) => (await readWhole(path, [0]))[0]!;

export async function loadTruth(dir: string): Promise<TruthLabels | null> {
  if (
    !(await access(join(dir, "event_year.tif")).then(
      () => true,
      () => false,
    ))
  )
    return null;
  const eventYear = Int16Array.from(await band(join(dir, "event_year.tif")));
  const veg = new Map<number, Float32Array>();
  for (const f of (await readdir(dir)).filter((n) => /^veg_fraction_\d{4}\.tif$/.test(n)))
    veg.set(Number(f.slice(13, 17)), Float32Array.from(await band(join(dir, f))));
  return {
    eventYear,
    veg,
    classAt(i, year) {
      const e = eventYear[i]!;
      if (!e || e > year) return 1;
      const pre = veg.get(e - 1)?.[i];
      const now = veg.get(year)?.[i];
      if (pre === undefined || now === undefined || !(pre > 0)) return 2;
      const r = now / pre;
      return r >= 0.8 ? 4 : r >= 0.5 ? 3 : 2;
    },
  };
}
