/**
 * Claim verification: a claim and a run directory in, report.json and a self-contained
 * report.html out, with the measured value, its 95 % CI, the verdict, maps, the zone's series
 * against the control, the masked fraction per year and the provenance to reproduce it.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BadParameter } from "../errors.ts";
import { runKey } from "../run/manifest.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256Text } from "../write/checksum.ts";
import type { Claim } from "./claim.ts";
import type { ZoneLabels } from "./labelled.ts";
import { type LabelsRecord, measureFromLabels } from "./labelled-metrics.ts";
import { measure, measurePair } from "./metrics.ts";
import { quicklookFigure, quicklookPng, trueColorPng } from "./quicklook.ts";
import { type LabelsView, type ReportSeries, type ReportView, renderReportHtml } from "./report-html.ts";
import { REPORT_TEXT, reasonZh } from "./report-i18n.ts";
import { loadRun, type RunData } from "./run-data.ts";
import { decideVerdict, type Verdict } from "./verdict.ts";
import { claimZone } from "./zone.ts";

export interface Report {
  reewatchReport: 1;
  claim: Claim;
  simulated: boolean;
  site: string;
  zone: string;
  period: { years: [number, number]; requested: [string, string] };
  verdict: Verdict;
  reason: string;
  measured: { value: number | null; ci95: [number | null, number | null]; unit: string };
  mappedValue: number | null;
  definition: string;
  maskedFractionByYear: Record<string, number>;
  notes: string[];
  provenance: Record<string, unknown>;
  /** The reviewer's labels inside the zone, when the claim was judged on them. */
  labels?: LabelsRecord;
}

const fin = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);

export async function verifyClaim(claim: Claim, claimText: string, runDir: string, outDir: string, seed = 1): Promise<Report> {
  const run = await loadRun(runDir);
  if (claim.site !== run.site.key) throw new BadParameter(`claim ${claim.id}: site "${claim.site}" but the run is for "${run.site.key}"`);
  const [y0, y1] = [Number(claim.period[0].slice(0, 4)), Number(claim.period[1].slice(0, 4))];
  const zone = claimZone(claim, run);
  const base = {
    reewatchReport: 1 as const,
    claim,
    simulated: run.site.simulated,
    site: run.site.key,
    zone: zone.name,
    period: { years: [y0, y1] as [number, number], requested: claim.period },
    maskedFractionByYear: run.maskedFraction,
    provenance: await provenanceOf(run, runDir, claimText, seed),
  };
  const missingYear = run.site.mode === "pair" ? undefined : [y0, y1].find((y) => !run.years.includes(y));
  const unmeasurable =
    "outside" in zone
      ? zone.outside
      : missingYear !== undefined
        ? `the run has no composite for ${missingYear} (years ${run.years[0]}-${run.years.at(-1)})`
        : null;
  const { report, view } =
    unmeasurable !== null || "outside" in zone
      ? unmeasured(base, unmeasurable ?? "")
      : await measured({ claim, run, mask: zone.mask, zoneName: zone.name, years: [y0, y1], seed }, base);
  await writeReport(outDir, report, {
    ...view,
    title: `${run.site.simulated ? "SIMULATED - " : ""}Claim ${claim.id}: ${run.site.name.en}`,
    simulated: run.site.simulated,
    claimText: claim.text ?? `${claim.metric} ${claim.comparator} ${claim.value} in ${zone.name}, ${claim.period[0]} to ${claim.period[1]}`,
    claimJson: claim,
    maskedFractionByYear: run.maskedFraction,
    provenance: base.provenance,
  });
  return report;
}

async function provenanceOf(run: RunData, runDir: string, claimText: string, seed: number): Promise<Record<string, unknown>> {
  return {
    software: { reewatch: SOFTWARE_VERSION },
    run: runDir,
    runKey: run.runJson.key ?? runKey(run.runJson),
    claimSha256: sha256Text(claimText),
    inputs: run.runJson.inputs,
    parameters: run.runJson.parameters,
    seed,
    command: `reewatch verify <claim.json> --run ${runDir}`,
  };
}

type ReportBase = Omit<Report, "verdict" | "reason" | "measured" | "mappedValue" | "definition" | "notes" | "labels">;
type PartView = Omit<ReportView, "title" | "simulated" | "claimText" | "claimJson" | "maskedFractionByYear" | "provenance">;

/** A claim that cannot be measured (zone outside the run, a year without a composite): inconclusive, with the reason. */
function unmeasured(base: ReportBase, reason: string): { report: Report; view: PartView } {
  const report: Report = {
    ...base,
    verdict: "inconclusive",
    reason,
    measured: { value: null, ci95: [null, null], unit: "" },
    mappedValue: null,
    definition: "not measured",
    notes: [reason],
  };
  return { report, view: { ...reportLines(report), reasonZh: `无法测量：${reason}`, maps: [] } };
}

interface MeasureInput {
  claim: Claim;
  run: RunData;
  mask: Uint8Array;
  zoneName: string;
  years: [number, number];
  seed: number;
}

/** The claim measured (on the reviewer's labels when they answer it, else as metrics.ts does), its verdict and its report view. */
async function measured(i: MeasureInput, base: ReportBase): Promise<{ report: Report; view: PartView }> {
  const { claim, run, mask, seed } = i;
  const [y0, y1] = i.years;
  const pair = run.site.mode === "pair";
  const labelled = await measureFromLabels(claim, run, mask, y1, seed);
  const m = labelled.kind === "measured" ? labelled.measurement : pair ? await measurePair(claim, run, mask) : await measure(claim, run, mask, y0, y1, seed);
  if (labelled.kind === "not-applicable") m.notes.unshift(labelled.note);
  const input = { measured: m.measured, comparator: claim.comparator, threshold: claim.value, validCount: m.validCount, minValid: m.minValid };
  const v = decideVerdict(input);
  const report: Report = {
    ...base,
    verdict: v.verdict,
    reason: v.reason,
    measured: { value: fin(m.measured.value), ci95: [fin(m.measured.ci95[0]), fin(m.measured.ci95[1])], unit: m.measured.unit },
    mappedValue: fin(m.mappedValue),
    definition: m.definition,
    notes: m.notes,
    ...(labelled.kind === "measured" ? { labels: labelled.record } : {}),
  };
  const series = pair ? undefined : zoneSeries(run, i.zoneName, claim.index);
  const view: PartView = {
    ...reportLines(report),
    reasonZh: reasonZh(v, input),
    maps: pair ? await pairMaps(run, mask) : await maps(run, mask, y0, y1),
    ...(labelled.kind === "measured" ? { labels: await labelsView(run, mask, labelled.labels, labelled.record) } : {}),
    ...(series ? { series } : {}),
  };
  return { report, view };
}

/** The report's verdict, measurement and words as the HTML shows them. */
function reportLines(r: Report) {
  return {
    verdict: r.verdict,
    reason: r.reason,
    measured: {
      value: r.measured.value ?? Number.NaN,
      ci95: [r.measured.ci95[0] ?? Number.NaN, r.measured.ci95[1] ?? Number.NaN] as [number, number],
      unit: r.measured.unit,
    },
    mappedValue: r.mappedValue ?? Number.NaN,
    definition: r.definition,
    notes: r.notes,
  };
}

/** report.json, report.html and report.zh.html, each written atomically. */
async function writeReport(outDir: string, report: Report, view: ReportView): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, "report.json"), `${JSON.stringify(report, null, 1)}\n`);
  for (const lang of ["en", "zh"] as const) await writeFileAtomic(join(outDir, REPORT_TEXT[lang].file), renderReportHtml(view, lang));
}

/** The sample map: the classified map the labels stratify, cropped to the zone, with the zone's points. */
async function labelsView(run: RunData, mask: Uint8Array, z: ZoneLabels, record: LabelsRecord): Promise<LabelsView> {
  const { width, height } = run.grid;
  const map = await quicklookFigure(await run.raster(z.strata.map!), "classes", [0, 4], mask, width, height);
  const points = z.points.map((p) => ({
    col: p.pixel % width,
    row: Math.floor(p.pixel / width),
    agrees: p.reference === null ? null : p.reference === p.stratum,
  }));
  return { record, map, points };
}

async function maps(run: RunData, mask: Uint8Array, y0: number, y1: number) {
  const { width, height } = run.grid;
  const rgb = async (y: number) =>
    (await run.bands(run.file({ composite: String(y), product: "truecolor" }))) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const out = [
    { caption: `${y0} true colour (composite)`, captionZh: `${y0} 年真彩色（合成）`, png: await trueColorPng(await rgb(y0), mask, width, height) },
    { caption: `${y1} true colour (composite)`, captionZh: `${y1} 年真彩色（合成）`, png: await trueColorPng(await rgb(y1), mask, width, height) },
  ];
  const a = await run.raster(run.file({ composite: String(y0), product: "ndvi" }));
  const b = await run.raster(run.file({ composite: String(y1), product: "ndvi" }));
  out.push({
    caption: `NDVI change ${y0} to ${y1} (red loss, blue gain, +-0.5)`,
    captionZh: `${y0} 至 ${y1} 年 NDVI 变化（红色减少，蓝色增加，±0.5）`,
    png: await quicklookPng(
      b.map((v, i) => v - a[i]!),
      "change",
      [-0.5, 0.5],
      mask,
      width,
      height,
    ),
  });
  // A run without change products (too few years) has no class map: the figure is left out.
  const cls = await Promise.resolve()
    .then(() => run.raster(run.file({ change: `class_${y1}` })))
    .catch(() => null);
  if (cls)
    out.push({
      caption: `Change classes ${y1} (grey stable, red disturbed, orange recovering, green restored)`,
      captionZh: `${y1} 年变化类别（灰色稳定，红色受扰动，橙色恢复中，绿色已恢复）`,
      png: await quicklookPng(cls, "classes", [0, 4], mask, width, height),
    });
  return out;
}

async function pairMaps(run: RunData, mask: Uint8Array) {
  const { width, height } = run.grid;
  const [a, b] = [run.dates[0]!, run.dates.at(-1)!];
  const rgb = async (d: string) =>
    (await run.bands(run.file({ composite: d, product: "truecolor" }))) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  return [
    { caption: `${a} true colour (before)`, captionZh: `${a} 真彩色（之前）`, png: await trueColorPng(await rgb(a), mask, width, height) },
    { caption: `${b} true colour (after)`, captionZh: `${b} 真彩色（之后）`, png: await trueColorPng(await rgb(b), mask, width, height) },
    {
      caption: "NDVI change (red loss, blue gain, +-0.6)",
      captionZh: "NDVI 变化（红色减少，蓝色增加，±0.6）",
      png: await quicklookPng(await run.raster(run.file({ change: "dndvi" })), "change", [-0.6, 0.6], mask, width, height),
    },
    {
      caption: "Mapped as disturbed (red)",
      captionZh: "制图为受扰动（红色）",
      png: await quicklookPng(await run.raster(run.file({ change: "disturbed" })), "classes", [0, 4], mask, width, height),
    },
  ];
}

function zoneSeries(run: RunData, zone: string, index: string): ReportSeries | undefined {
  const rows = run.zonal as {
    zone: string;
    kind: string;
    year: number;
    index: string;
    mean: number | null;
  }[];
  const pick = (f: (r: (typeof rows)[number]) => boolean) =>
    run.years.map((y) => {
      const hits = rows.filter((r) => r.year === y && r.index === index && f(r) && r.mean !== null);
      return hits.length ? hits.reduce((s, r) => s + r.mean!, 0) / hits.length : null;
    });
  const z = pick((r) => r.zone === (zone === "claim polygon" ? "AOI" : zone));
  if (z.every((v) => v === null)) return undefined;
  return {
    years: run.years,
    zone: z,
    control: pick((r) => r.kind === "control"),
    label: index.toUpperCase(),
  };
}
