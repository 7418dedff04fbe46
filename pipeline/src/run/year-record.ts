/**
 * A season year's job record, `<run>/.reewatch/years/<year>.json`: the job's key (its inputs and
 * parameters), the files it wrote with their SHA-256, and what the site-wide steps need from it
 * (its STAC items, the outlier count, the RSEI baseline). Written last and atomically, so a
 * record exists only for a finished year; a rerun whose key matches and whose files still hash
 * the same skips the year. Nothing in it depends on time, so reruns rewrite it byte for byte.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RseiModel } from "../indices/rsei.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256File, sha256Text } from "../write/checksum.ts";
import type { RunPlan } from "./run-plan.ts";
import type { PendingItem } from "./site-composites.ts";

export interface YearRecord {
  key: string;
  year: number;
  /** Paths relative to the run directory, sorted. */
  files: { path: string; sha256: string }[];
  /** The year's STAC items, written by the catalog stage (which also rewrites their links). */
  items: PendingItem[];
  observationsRemoved: number;
  /** The RSEI loadings every later year reuses: set on the first year's record. */
  rseiBaseline?: { year: number; model: RseiModel };
}

export const recordPath = (out: string, year: number) => join(out, ".reewatch", "years", `${year}.json`);

/**
 * The year job's key: software version, the site definition (not its path), the mask and sensor
 * handling, the year's scenes by checksum, the scene that sets the grid, and the key of the year
 * whose RSEI loadings it reuses.
 */
export function yearKey(plan: RunPlan, year: number, baselineKey: string | null): string {
  const { path: _where, ...site } = plan.site;
  const scenes = plan.years.find((y) => y.year === year)?.scenes ?? [];
  const checksums = (s: RunPlan["scenes"][number]) => s.inputs.map((i) => [i.id, i.sha256]);
  return sha256Text(
    JSON.stringify([
      SOFTWARE_VERSION,
      "run-year",
      site,
      plan.maskSpec,
      plan.harmonize,
      plan.stackSensor,
      year,
      scenes.map(checksums),
      checksums(plan.scenes[0]!),
      baselineKey,
    ]),
  );
}

export async function readRecord(out: string, year: number): Promise<YearRecord | null> {
  const text = await readFile(recordPath(out, year), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as YearRecord;
  } catch {
    return null; // never half-written (atomic), but a hand-edited record is simply recomputed
  }
}

/** True when every file of the record is there with its recorded SHA-256. */
export async function recordIntact(out: string, r: YearRecord): Promise<boolean> {
  for (const f of r.files) {
    const sha = await sha256File(join(out, f.path)).catch(() => null);
    if (sha !== f.sha256) return false;
  }
  return true;
}

/** The files now in the year's folders (not temporaries, not the items the catalog stage writes), hashed. */
export async function yearFiles(out: string, year: number): Promise<YearRecord["files"]> {
  const files: YearRecord["files"] = [];
  for (const folder of ["composites", "observations"]) {
    const dir = `${folder}/${year}`;
    const names = await readdir(join(out, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (name.startsWith(".") || name === `${year}.json`) continue;
      files.push({ path: `${dir}/${name}`, sha256: await sha256File(join(out, dir, name)) });
    }
  }
  return files;
}

export async function writeRecord(out: string, r: YearRecord): Promise<void> {
  const path = recordPath(out, r.year);
  await mkdir(join(out, ".reewatch", "years"), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(r, null, 1)}\n`);
}
