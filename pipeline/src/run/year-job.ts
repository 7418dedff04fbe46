/**
 * One season year of a site run as a job of its own: read and mask the year's scenes, screen
 * outliers, composite, write the year's COGs and observation stacks, then its record. A job whose
 * record matches (same key, files hashing the same) is skipped: that is how a killed run resumes,
 * and why the same job run twice (a queue's retry, a stalled job taken over) ends the same.
 * Everything it needs is in the plan, so it runs in any thread, process or machine.
 */
import { join } from "node:path";
import { screenBrightOutliers } from "../composite/outlier-screen.ts";
import type { StacDoc } from "../write/stac-doc.ts";
import { withRelativeHrefs } from "../write/stac-tree.ts";
import { StageLog, type StageTiming } from "./manifest.ts";
import type { RunPlan } from "./run-plan.ts";
import { compositeYear, type RseiBaseline } from "./site-composites.ts";
import { siteContext } from "./site-context.ts";
import { writeObservationStacks } from "./site-observation-stack.ts";
import { readObservation } from "./site-observations.ts";
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
  const { site, out } = plan;
  const ctx = await siteContext(plan);
  const scenes = plan.years.find((y) => y.year === year)!.scenes;
  const opts = { grid: ctx.grid, aoiMask: ctx.aoi, maskSpec: plan.maskSpec, harmonize: plan.harmonize, ...(ctx.override ? { override: ctx.override } : {}) };
  const obs = await log.stage(`read ${year}`, () => Promise.all(scenes.map((s) => readObservation(s.path, opts))));
  // clouds the QA band missed, removed per pixel before compositing (composite/outlier-screen.ts)
  const removed = screenBrightOutliers(obs).removed.reduce((a, b) => a + b, 0);
  const { item } = await log.stage(`composite ${year}`, () =>
    compositeYear({ site, grid: ctx.grid, year, obs, outDir: out, extraIndices: ["ndvi", site.changeIndex], rsei, sensor: plan.stackSensor }),
  );
  // the year's per-scene index values, so a pixel's chart can show the raw observations
  const stackItem = await log.stage(`observations ${year}`, () => writeObservationStacks(site, ctx.grid, year, obs, chartedIndices(plan), out));
  const isFirst = year === plan.years[0]!.year;
  const items = (stackItem ? [item, stackItem] : [item]).map((i) => ({ ...i, doc: withRelativeHrefs(i.doc as StacDoc, join(out, i.path)) }));
  return {
    key,
    year,
    files: await yearFiles(out, year),
    items,
    observationsRemoved: removed,
    ...(isFirst && rsei.model ? { rseiBaseline: { year: rsei.year ?? year, model: rsei.model } } : {}),
  };
}

/** The indices whose per-scene values are kept: the site's own, NDVI and the change index. */
function chartedIndices(plan: RunPlan): string[] {
  const { site } = plan;
  return [...new Set([...site.indices, "ndvi", site.changeIndex])];
}
