/**
 * `reewatch recovery` on annual composites users bring (or a run's): per pixel of the restoration
 * polygons, the recovery metrics of docs/science.md, Compositing and time series against a recovery target, one COG per
 * metric with one band per index, and a summary per polygon. One commented line per stage.
 */
import { join } from "node:path";
import { NEVER_RECOVERED, RECOVERY_METRICS, type RecoveryParams, recoveryMetrics } from "../change/recovery-metrics.ts";
import { historicPolygonTarget, medianOverYears, referenceTarget } from "../change/recovery-target.ts";
import { BadParameter } from "../errors.ts";
import { type AnnualComposites, readAnnualComposites } from "../read/annual-composites.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { stacCatalog, stacItem } from "../write/stac.ts";
import { finishCatalogAt } from "../write/stac-tree.ts";
import { RunManifest } from "./manifest.ts";
import { ensureOutDir } from "./out-dir.ts";
import { loadPolygonMasks, type PolygonMask } from "./polygon-masks.ts";
import { writeProducts } from "./product-table.ts";
import { METRIC_TABLE, type Metric, polygonSummaries, targetText } from "./recovery-summary.ts";

export type TargetSpec =
  | { kind: "historic"; years: [number, number]; scale: "pixel" | "polygon" }
  | { kind: "reference"; file: string; years: [number, number] | null };

export interface CompositesRecoveryOptions {
  composites: string;
  polygon: string;
  disturbanceYear: number;
  restorationYear: number;
  target: TargetSpec;
  indices: string[];
  timestep: number;
  percent: number;
  out: string;
}

/** Per index: the target each pixel was measured against, for the summary. */
export interface IndexTargets {
  index: string;
  /** One value for every polygon (reference), one per polygon (historic, polygon scale), or per pixel. */
  kind: "reference" | "polygon" | "pixel";
  values: number[] | Float32Array;
}

export interface RecoveryResult {
  /** metric -> one array per index (order of `indices`). */
  maps: Record<Metric, Float32Array[]>;
  /** Pixel -> 0-based polygon that owns it (the first one listing it), -1 outside every polygon. */
  owner: Int32Array;
  targets: IndexTargets[];
}

export async function runCompositesRecovery(o: CompositesRecoveryOptions): Promise<RunManifest> {
  await ensureOutDir(o.out);
  // 1. the composites, one stack per index; the years the metrics need must be in the series
  const c = await readAnnualComposites(o.composites, o.indices);
  const target = resolveTarget(o.target, c.years, o.disturbanceYear);
  checkYears(o, c.years, target);
  const m = new RunManifest("recovery", { ...o, target, years: c.years, layout: c.layout });
  await m.addInputFiles("composites", c.files, "composite");
  // 2. the restoration polygons, and the reference polygons, as masks on the composites' grid
  const sites = await loadPolygonMasks(o.polygon, c.grid, "--polygon");
  const refs = target.kind === "reference" ? await loadPolygonMasks(target.file, c.grid, "--reference") : null;
  await m.addInputFiles("polygons", [o.polygon, ...(refs ? [refs.path] : [])], "polygon");
  for (const p of [...sites.polygons, ...(refs?.polygons ?? [])])
    if (p.pixelsOffGrid)
      m.warn(`polygon ${p.id}: ${p.pixelsOffGrid} of ${p.pixels + p.pixelsOffGrid} pixel centres fall off the raster; only the ${p.pixels} on it are used`);
  // 3. the recovery target and the five metrics per pixel, per index
  const params: RecoveryParams = { disturbanceYear: o.disturbanceYear, restorationYear: o.restorationYear, timestep: o.timestep, percent: o.percent };
  const r = await m.stage("recovery", () => recoveryOfPolygons(c, o.indices, sites.polygons, refs?.polygons ?? [], target, params));
  // 4. one COG per metric (a band per index), summary.json, the STAC item and catalog, run.json
  await m.stage("write", () => writeRecovery(o, c, r, sites.polygons, target, params));
  m.outputs.push(...RECOVERY_METRICS.map((k) => `${k}.tif`), "summary.json", "recovery.json", "catalog.json");
  await m.write(join(o.out, "run.json"));
  return m;
}

/** A reference target without --reference-years uses the years up to the disturbance. */
function resolveTarget(t: TargetSpec, years: number[], d: number): TargetSpec & { years: [number, number] } {
  return t.kind === "reference" && !t.years ? { ...t, years: [years[0]!, d] } : (t as TargetSpec & { years: [number, number] });
}

function checkYears(o: CompositesRecoveryOptions, years: number[], target: { kind: string; years: [number, number] }): void {
  const span = `${years[0]}-${years.at(-1)}`;
  const has = (y: number) => years.includes(y);
  const { disturbanceYear: d, restorationYear: r, timestep: t, percent } = o;
  if (!has(d)) throw new BadParameter(`--disturbance-year ${d}: not in the composites (${span})`);
  if (!has(r)) throw new BadParameter(`--restoration-year ${r}: not in the composites (${span})`);
  if (r <= d) throw new BadParameter(`--restoration-year ${r}: must be after --disturbance-year ${d}`);
  if (!Number.isInteger(t) || t < 1) throw new BadParameter(`--timestep ${t}: expected a whole number of years >= 1`);
  if (!has(r + t)) throw new BadParameter(`--timestep ${t}: restoration year ${r} + ${t} = ${r + t} is not in the composites (${span})`);
  if (!(percent > 0 && percent <= 100)) throw new BadParameter(`--percent ${percent}: expected a number in (0, 100]`);
  const flag = target.kind === "historic" ? "--historic" : "--reference-years";
  const [y0, y1] = target.years;
  if (!(y0 <= y1) || !has(y0) || !has(y1)) throw new BadParameter(`${flag} ${y0}-${y1}: expected first <= last, both in the composites (${span})`);
  if (target.kind === "historic" && y1 > d) throw new BadParameter(`--historic ${y0}-${y1}: the historic window must end by the disturbance year ${d}`);
}

/** The metrics of every pixel of the polygons (pure: composites and masks in, maps out). */
export function recoveryOfPolygons(
  c: Pick<AnnualComposites, "years" | "index">,
  indices: string[],
  polygons: Pick<PolygonMask, "mask">[],
  references: Pick<PolygonMask, "mask">[],
  target: TargetSpec & { years: [number, number] },
  params: RecoveryParams,
): RecoveryResult {
  const n = polygons[0]!.mask.length;
  const owner = new Int32Array(n).fill(-1);
  for (const [p, poly] of polygons.entries()) for (let i = 0; i < n; i++) if (poly.mask[i] && owner[i] === -1) owner[i] = p;
  const maps = Object.fromEntries(RECOVERY_METRICS.map((k) => [k, indices.map(() => new Float32Array(n).fill(Number.NaN))])) as Record<Metric, Float32Array[]>;
  const targets: IndexTargets[] = [];
  const x = new Float64Array(c.years.length);
  indices.forEach((name, b) => {
    const stack = c.index[name]!;
    const t = targetOf(stack, c.years, polygons, references, target, owner);
    targets.push({ index: name, ...t.summary });
    for (let i = 0; i < n; i++) {
      if (owner[i] === -1) continue;
      for (let k = 0; k < c.years.length; k++) x[k] = stack[k]![i]!;
      const v = recoveryMetrics(x, c.years, t.at(i, owner[i]!), params);
      for (const k of RECOVERY_METRICS) maps[k][b]![i] = v[k];
    }
  });
  return { maps, owner, targets };
}

function targetOf(
  stack: Float32Array[],
  years: number[],
  polygons: Pick<PolygonMask, "mask">[],
  references: Pick<PolygonMask, "mask">[],
  spec: TargetSpec & { years: [number, number] },
  owner: Int32Array,
): { at: (i: number, p: number) => number; summary: Omit<IndexTargets, "index"> } {
  if (spec.kind === "reference") {
    const v = referenceTarget(
      stack,
      years,
      spec.years,
      references.map((r) => r.mask),
    );
    return { at: () => v, summary: { kind: "reference", values: [v] } };
  }
  if (spec.scale === "polygon") {
    const per = polygons.map((p) => historicPolygonTarget(stack, years, spec.years, p.mask));
    return { at: (_, p) => per[p]!, summary: { kind: "polygon", values: per } };
  }
  const inside = Uint8Array.from(owner, (p) => (p >= 0 ? 1 : 0));
  const px = medianOverYears(stack, years, spec.years, inside);
  return { at: (i) => px[i]!, summary: { kind: "pixel", values: px } };
}

async function writeRecovery(
  o: CompositesRecoveryOptions,
  c: AnnualComposites,
  r: RecoveryResult,
  polygons: PolygonMask[],
  target: TargetSpec & { years: [number, number] },
  p: RecoveryParams,
): Promise<void> {
  const how = `d = ${p.disturbanceYear}, r = ${p.restorationYear}, t = ${p.timestep}, P = ${p.percent}; target: ${targetText(target)}`;
  const rows = RECOVERY_METRICS.map((k) => ({ ...METRIC_TABLE[k], name: k, bands: r.maps[k], bandDescriptions: o.indices }));
  const assets = await writeProducts(o.out, c.grid, rows, { REEWATCH_RECOVERY: how });
  const summary = {
    software: SOFTWARE_VERSION,
    composites: o.composites,
    layout: c.layout,
    years: c.years,
    indices: o.indices,
    parameters: { ...p, target: { ...target, description: targetText(target) } },
    metrics: Object.fromEntries(RECOVERY_METRICS.map((k) => [k, METRIC_TABLE[k].description])),
    never_recovered: NEVER_RECOVERED,
    polygons: polygonSummaries(c, r, polygons, o.indices),
  };
  await writeFileAtomic(join(o.out, "summary.json"), `${JSON.stringify(summary, null, 1)}\n`);
  const item = stacItem({
    id: "recovery",
    grid: c.grid,
    start: `${c.years[0]}-01-01T00:00:00Z`,
    end: `${c.years.at(-1)}-12-31T23:59:59Z`,
    title: `Recovery metrics (${o.indices.join(", ")}) of ${o.polygon}`,
    assets,
    software: SOFTWARE_VERSION,
    properties: { "reewatch:recovery": how, "reewatch:indices": o.indices, "reewatch:never_recovered": NEVER_RECOVERED },
  });
  await writeFileAtomic(join(o.out, "recovery.json"), `${JSON.stringify(item, null, 1)}\n`);
  const cat = stacCatalog({ id: "reewatch-recovery", description: `reewatch recovery of ${o.polygon}`, items: ["./recovery.json"] });
  await writeFileAtomic(join(o.out, "catalog.json"), `${JSON.stringify(cat, null, 1)}\n`);
  await finishCatalogAt(o.out, "Derived from the annual composites named in run.json; their sources' terms apply.");
}
