/**
 * Peak memory of a site run does not follow its pixel count: SIMULATED Ganzhou at 10 m (1024 x 792
 * px) has 4x the pixels of 20 m (512 x 396) and must peak within MARGIN_MB of it: 2019-2024 (six
 * season years, so the change step runs too), 4 scenes a year, read in strips of 32 rows, one
 * thread. The peak is the run's own `peakRssMB` (--json; worker threads included).
 *
 * Why this can fail: the whole-AOI design (before strips, commit 9abb029's parent) held every scene
 * of a year, and then every year's products, for the whole grid. On these two simulations it
 * peaked at 277 MB and 448 MB (+171 MB; with 6 scenes a year +182 MB). This code peaked at 246 MB
 * and 286 MB (+40 MB; with 6 scenes a year +36 MB). What still grows is in docs/scale.md: the
 * AOI-sized masks, the bare level's sample, and a row of blocks per open COG in the change step.
 *
 * Why MALLOC_MMAP_THRESHOLD_: glibc raises its mmap threshold each time a large block is freed,
 * after which freed buffers stay in the heap and RSS records the allocator's history, not what
 * the run holds: with the default, the same runs gave +52 MB, and repeated runs varied by up
 * to 20 MB. A fixed threshold returns large freed buffers to the system.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonResult, reewatch } from "./helpers/cli.ts";

const MARGIN_MB = 75;
const ALLOCATOR = { MALLOC_MMAP_THRESHOLD_: "131072" };
const root = mkdtempSync(join(tmpdir(), "reewatch-memory-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Simulates Ganzhou at `metres` and runs it; the run's peak RSS in MB. */
function peakOfRun(metres: number): number {
  const sim = join(root, `sim-${metres}`);
  const s = reewatch(["simulate", "--site", "ganzhou", "--years", "2019-2024", "--scenes-per-year", "4", "--resolution", String(metres), "-o", sim, "-q"]);
  if (s.code) throw new Error(s.stderr);
  const args = ["run", "ganzhou", "--scenes", sim, "--out", join(root, `run-${metres}`), "-j", "1", "--block-rows", "32", "--json", "-q"];
  const r = reewatch(args, 300_000, ALLOCATOR);
  expect(r.code, r.stderr).toBe(0);
  expect(jsonResult(r).simulated).toBe(true);
  return JSON.parse(r.stdout).peakRssMB as number;
}

describe("site run memory", () => {
  it(`4x the pixels peaks within ${MARGIN_MB} MB of 1x`, () => {
    const small = peakOfRun(20);
    const large = peakOfRun(10);
    console.log(`SIMULATED Ganzhou peak RSS: 20 m ${small} MB, 10 m (4x pixels) ${large} MB`);
    expect(large - small).toBeLessThanOrEqual(MARGIN_MB);
  }, 400_000);
});
