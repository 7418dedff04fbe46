/**
 * Claim verification: a claim and a run directory in, report.json and a self-contained
 * report.html out, with the measured value, its 95 % CI, the verdict, maps, the zone's series
 * against the control, the masked fraction per year and the provenance to reproduce it.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { BadParameter } from "../errors.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256Text } from "../write/checksum.ts";
import type { Claim } from "./claim.ts";
import { measure, measurePair } from "./metrics.ts";
import { quicklookPng, trueColorPng } from "./quicklook.ts";
import { type ReportSeries, renderReportHtml } from "./report-html.ts";
import { loadRun, type RunData } from "./run-data.ts";
import { decideVerdict, type Verdict } from "./verdict.ts";
import { claimZone } from "./zone.ts";

export interface Report {
  reewatch_report: 1;
  claim: Claim;
  simulated: boolean;
  site: string;
  zone: string;
  period: { years: [number, number]; requested: [string, string] };
  verdict: Verdict;
  reason: string;
  measured: { value: number | null; ci95: [number | null, number | null]; unit: string };
  mapped_value: number | null;
  definition: string;
  masked_fraction_by_year: Record<string, number>;
  notes: string[];
  provenance: Record<string, unknown>;
}

const fin = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);

export async function verifyClaim(claim: Claim, claimText: string, runDir: string, outDir: string, seed = 1): Promise<Report> {
  const run = await loadRun(runDir);
  if (claim.site !== run.site.key) throw new BadParameter(`claim ${claim.id}: site "${claim.site}" but the run is for "${run.site.key}"`);
  const [y0, y1] = [Number(claim.period[0].slice(0, 4)), Number(claim.period[1].slice(0, 4))];
  const zone = claimZone(claim, run);
  const provenance = {
    software: { reewatch: SOFTWARE_VERSION },
    run: runDir,
    run_json_sha256: sha256Text(await readFile(join(runDir, "run.json"))),
    claim_sha256: sha256Text(claimText),
    inputs: run.runJson.inputs,
    parameters: run.runJson.parameters,
    seed,
    command: `reewatch verify <claim.json> --run ${runDir}`,
  };
  const base = {
    reewatch_report: 1 as const,
    claim,
    simulated: run.site.simulated,
    site: run.site.key,
    zone: zone.name,
    period: { years: [y0, y1] as [number, number], requested: claim.period },
    masked_fraction_by_year: run.maskedFraction,
    provenance,
  };
  let report: Report;
  let view: Parameters<typeof renderReportHtml>[0]["maps"] = [];
  let series: ReportSeries | undefined;
  const pair = run.site.mode === "pair";
  const missingYear = pair ? undefined : [y0, y1].find((y) => !run.years.includes(y));
  if ("outside" in zone || missingYear !== undefined) {
    const reason = "outside" in zone ? zone.outside : `the run has no composite for ${missingYear} (years ${run.years[0]}-${run.years.at(-1)})`;
    report = {
      ...base,
      verdict: "inconclusive",
      reason,
      measured: { value: null, ci95: [null, null], unit: "" },
      mapped_value: null,
      definition: "not measured",
      notes: [reason],
    };
  } else {
    const m = pair ? await measurePair(claim, run, zone.mask) : await measure(claim, run, zone.mask, y0, y1, seed);
    const v = decideVerdict({
      measured: m.measured,
      comparator: claim.comparator,
      threshold: claim.value,
      validCount: m.validCount,
      minValid: m.minValid,
    });
    report = {
      ...base,
      verdict: v.verdict,
      reason: v.reason,
      measured: {
        value: fin(m.measured.value),
        ci95: [fin(m.measured.ci95[0]), fin(m.measured.ci95[1])],
        unit: m.measured.unit,
      },
      mapped_value: fin(m.mappedValue),
      definition: m.definition,
      notes: m.notes,
    };
    view = pair ? await pairMaps(run, zone.mask) : await maps(run, zone.mask, y0, y1);
    series = pair ? undefined : zoneSeries(run, zone.name, claim.index);
  }
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, "report.json"), `${JSON.stringify(report, null, 1)}\n`);
  const html = renderReportHtml({
    title: `${run.site.simulated ? "SIMULATED - " : ""}Claim ${claim.id}: ${run.site.name.en}`,
    simulated: run.site.simulated,
    claimText: claim.text ?? `${claim.metric} ${claim.comparator} ${claim.value} in ${zone.name}, ${claim.period[0]} to ${claim.period[1]}`,
    claimJson: claim,
    verdict: report.verdict,
    reason: report.reason,
    measured: {
      value: report.measured.value ?? Number.NaN,
      ci95: [report.measured.ci95[0] ?? Number.NaN, report.measured.ci95[1] ?? Number.NaN],
      unit: report.measured.unit,
    },
    definition: report.definition,
    maps: view,
    ...(series ? { series } : {}),
    maskedFractionByYear: run.maskedFraction,
    provenance,
    notes: report.notes,
  });
  await writeFileAtomic(join(outDir, "report.html"), html);
  return report;
}

async function maps(run: RunData, mask: Uint8Array, y0: number, y1: number) {
  const { width, height } = run.grid;
  const rgb = async (y: number) => (await run.bands(`composites/${y}/truecolor.tif`)) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const out = [
    { caption: `${y0} true colour (composite)`, png: await trueColorPng(await rgb(y0), mask, width, height) },
    { caption: `${y1} true colour (composite)`, png: await trueColorPng(await rgb(y1), mask, width, height) },
  ];
  const a = await run.raster(`composites/${y0}/ndvi.tif`);
  const b = await run.raster(`composites/${y1}/ndvi.tif`);
  out.push({
    caption: `NDVI change ${y0} to ${y1} (red loss, blue gain, +-0.5)`,
    png: await quicklookPng(
      b.map((v, i) => v - a[i]!),
      "change",
      [-0.5, 0.5],
      mask,
      width,
      height,
    ),
  });
  const cls = await run.raster(`change/class_${y1}.tif`).catch(() => null);
  if (cls)
    out.push({
      caption: `Change classes ${y1} (grey stable, red disturbed, orange recovering, green restored)`,
      png: await quicklookPng(cls, "classes", [0, 4], mask, width, height),
    });
  return out;
}

async function pairMaps(run: RunData, mask: Uint8Array) {
  const { width, height } = run.grid;
  const [a, b] = [run.dates[0]!, run.dates.at(-1)!];
  const rgb = async (d: string) => (await run.bands(`composites/${d}/truecolor.tif`)) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  return [
    { caption: `${a} true colour (before)`, png: await trueColorPng(await rgb(a), mask, width, height) },
    { caption: `${b} true colour (after)`, png: await trueColorPng(await rgb(b), mask, width, height) },
    {
      caption: "NDVI change (red loss, blue gain, +-0.6)",
      png: await quicklookPng(await run.raster("change/dndvi.tif"), "change", [-0.6, 0.6], mask, width, height),
    },
    {
      caption: "Mapped as disturbed (red)",
      png: await quicklookPng(await run.raster("change/disturbed.tif"), "classes", [0, 4], mask, width, height),
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
