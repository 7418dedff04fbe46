/**
 * One season year of a site run as a job of its own: read and mask the year's scenes, screen
 * outliers, composite, write the year's COGs and observation stacks, then its record. A job whose
 * record matches (same key, files hashing the same) is skipped: that is how a killed run resumes,
 * and why the same job run twice (a queue's retry, a stalled job taken over) ends the same.
 * Everything it needs is in the plan, so it runs in any thread, process or machine.
 */
import { join } from "node:path";
import { screenBrightOutliers } from "../composite/outlier-screen.ts";
import { strips, wholeWindow } from "../grid.ts";
import type { Grid } from "../raster.ts";
import type { StacDoc } from "../write/stac-doc.ts";
import { withRelativeHrefs } from "../write/stac-tree.ts";
import { StageLog, type StageTiming } from "./manifest.ts";
import type { RunPlan } from "./run-plan.ts";
import { type PendingItem, type RseiBaseline, YearCompositeWriter } from "./site-composites.ts";
import { siteContext } from "./site-context.ts";
import { ObservationStackWriter } from "./site-observation-stack.ts";
import { maskedFractionOf, ObservationSource } from "./site-observations.ts";
import { readRecord, recordIntact, writeRecord, type YearRecord, yearFiles, yearKey } from "./year-record.ts";

export interface YearJobResult {
  record: YearRecord;
  stages: StageTiming[];
}

export async function yearJob(plan: RunPlan, year: number, onStage?: (name: string) => void): Promise<YearJobResult> {
  const t0 = performance.now();
  const baseline = await baselineFor(plan, year);
  const key = yearKey(plan, year, baseline.key);
  const prior = await readRecord(plan.out, year);
  if (prior?.key === key && (await recordIntact(plan.out, prior))) {
    onStage?.(`resume ${year}`);
    const seconds = Math.round(performance.now() - t0) / 1000;
    return { record: prior, stages: [{ name: `resume ${year}: outputs verified by SHA-256`, seconds, resumed: true }] };
  }
  const log = new StageLog();
  if (onStage) log.onStage = onStage;
  const record = await computeYear(plan, year, key, baseline.rsei, log);
  await writeRecord(plan.out, record);
  return { record, stages: log.stages };
}

/** The RSEI loadings to reuse (the first year's record), and that record's key; the first year has none. */
async function baselineFor(plan: RunPlan, year: number): Promise<{ key: string | null; rsei: RseiBaseline }> {
  const first = plan.years[0]!.year;
  if (year === first) return { key: null, rsei: {} };
  const r = await readRecord(plan.out, first);
  if (!r?.rseiBaseline) throw new Error(`${plan.out}: season year ${year} needs the first year (${first}) done first: its record holds the RSEI baseline`);
  return { key: r.key, rsei: { ...r.rseiBaseline } };
}

async function computeYear(plan: RunPlan, year: number, key: string, rsei: RseiBaseline, log: StageLog): Promise<YearRecord> {
  const { out } = plan;
  const ctx = await siteContext(plan);
  const scenes = plan.years.find((y) => y.year === year)!.scenes;
  const opts = { grid: ctx.grid, aoiMask: ctx.aoi, maskSpec: plan.maskSpec, harmonize: plan.harmonize, ...(ctx.override ? { override: ctx.override } : {}) };
  const rows = plan.blockRows ?? DEFAULT_BLOCK_ROWS;
  // one stage: reading, masking, screening, compositing and the stacks go strip by strip together
  const { items, removed } = await log.stage(`composite ${year}`, async () => {
    const sources: ObservationSource[] = [];
    try {
      for (const s of scenes) sources.push(await ObservationSource.open(s.path, opts));
      return await compositeStrips({ plan, year, grid: ctx.grid, sources, rsei, rows });
    } finally {
      for (const src of sources) await src.close();
    }
  });
  const isFirst = year === plan.years[0]!.year;
  return {
    key,
    year,
    files: await yearFiles(out, year),
    items: items.map((i) => ({ ...i, doc: withRelativeHrefs(i.doc as StacDoc, join(out, i.path)) })),
    observationsRemoved: removed,
    ...(isFirst && rsei.model ? { rseiBaseline: { year: rsei.year ?? year, model: rsei.model } } : {}),
  };
}

/** Strip rows of a site run when the plan names none: one COG tile row. */
export const DEFAULT_BLOCK_ROWS = 512;

/** The year's scenes, opened, and how to cut them. */
interface StripRun {
  plan: RunPlan;
  year: number;
  grid: Grid;
  sources: ObservationSource[];
  rsei: RseiBaseline;
  rows: number;
}

/**
 * Reads the year strip by strip (every scene's strip, then outliers screened, composited and
 * stacked), so memory is one strip of each scene whatever the AOI's size; the COG writers stitch
 * the strips, and RSEI is fitted over the whole AOI at the end (site-composites.ts).
 */
async function compositeStrips(r: StripRun): Promise<{ items: PendingItem[]; removed: number }> {
  const { plan, year, grid, sources } = r;
  const facts = sources.map((s) => s.facts);
  const comp = await YearCompositeWriter.open({
    site: plan.site,
    grid,
    year,
    outDir: plan.out,
    extraIndices: ["ndvi", plan.site.changeIndex],
    rsei: r.rsei,
    sensor: plan.stackSensor,
    simulated: facts.some((f) => f.simulated),
    observations: sources.length,
  });
  const stacks = await ObservationStackWriter.open(plan.site, grid, year, facts, chartedIndices(plan), plan.out);
  const tally = sources.map(() => ({ inAoi: 0, ok: 0, harmonization: "" }));
  let removed = 0;
  try {
    for (const { y: y0, height: h } of strips(wholeWindow(grid), r.rows)) {
      const strips = await Promise.all(sources.map((s) => s.read(y0, h)));
      // clouds the QA band missed, removed per pixel before compositing (composite/outlier-screen.ts)
      removed += screenBrightOutliers(strips).removed.reduce((a, b) => a + b, 0);
      await comp.addStrip(
        y0,
        h,
        strips.map((s, k) => ({ ...s, datetime: facts[k]!.datetime })),
      );
      await stacks?.addStrip(
        y0,
        strips.map((s, k) => ({ ...s, sensor: facts[k]!.sensor })),
      );
      strips.forEach((s, k) => {
        const t = tally[k]!;
        t.inAoi += s.inAoi;
        t.ok += s.ok;
        t.harmonization = s.harmonization;
      });
    }
    const scenes = facts.map((f, k) => ({ ...f, harmonization: tally[k]!.harmonization, maskedFraction: maskedFractionOf(tally[k]!.inAoi, tally[k]!.ok) }));
    const { item } = await comp.finish(scenes);
    // the year's per-scene index values, so a pixel's chart can show the raw observations
    const stackItem = await stacks?.finish();
    return { items: stackItem ? [item, stackItem] : [item], removed };
  } catch (err) {
    await comp.abort();
    await stacks?.abort();
    throw err;
  }
}

/** The indices whose per-scene values are kept: the site's own, NDVI and the change index. */
function chartedIndices(plan: RunPlan): string[] {
  const { site } = plan;
  return [...new Set([...site.indices, "ndvi", site.changeIndex])];
}
