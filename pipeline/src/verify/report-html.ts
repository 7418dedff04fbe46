/**
 * The self-contained report.html of a claim: no external files or scripts; maps are inline PNGs
 * and the chart is inline SVG, so the report can be mailed, archived or opened offline.
 */
import type { LabelsRecord } from "./labelled-metrics.ts";
import type { QuicklookFigure } from "./quicklook.ts";
import { type Lang, REPORT_TEXT, type ReportText } from "./report-i18n.ts";
import type { Measured, Verdict } from "./verdict.ts";

export interface ReportSeries {
  years: number[];
  zone: (number | null)[];
  control: (number | null)[];
  label: string;
}

/** A point of the sample map: where it is on the grid and whether its label agrees with the map. */
export interface SamplePointView {
  col: number;
  row: number;
  agrees: boolean | null;
}

export interface LabelsView {
  record: LabelsRecord;
  /** The classified map cropped to the zone, with the labelled points inside it. */
  map: QuicklookFigure;
  points: SamplePointView[];
}

export interface ReportView {
  title: string;
  simulated: boolean;
  claimText: string;
  claimJson: unknown;
  verdict: Verdict;
  reason: string;
  reasonZh: string;
  measured: Measured;
  mappedValue: number;
  definition: string;
  maps: { caption: string; captionZh: string; png: Uint8Array }[];
  labels?: LabelsView;
  series?: ReportSeries;
  maskedFractionByYear: Record<string, number>;
  provenance: Record<string, unknown>;
  notes: string[];
}

const VERDICT_COLOR: Record<Verdict, string> = { supported: "#1b7837", not_supported: "#b2182b", inconclusive: "#8c6d1f" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const num = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3)) : "n/a");

export function renderReportHtml(r: ReportView, lang: Lang = "en"): string {
  const t = REPORT_TEXT[lang];
  const color = VERDICT_COLOR[r.verdict];
  const banner = r.simulated
    ? `<div class="sim">${escapeHtml(t.simulatedBanner)} ${escapeHtml(REPORT_TEXT[lang === "en" ? "zh" : "en"].simulatedBanner)}</div>`
    : "";
  const maps = r.maps
    .map((m) => {
      const caption = escapeHtml(lang === "zh" ? m.captionZh : m.caption);
      return `<figure><img alt="${caption}" src="${pngData(m.png)}"><figcaption>${caption}</figcaption></figure>`;
    })
    .join("");
  const masked = Object.entries(r.maskedFractionByYear)
    .map(([y, f]) => `<tr><td>${escapeHtml(y)}</td><td>${(100 * f).toFixed(1)} %</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="${t.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}</title>
<style>
body{font:15px/1.5 system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#222}
.sim{background:#ffcc00;color:#000;font-weight:700;padding:.6rem 1rem;border:3px solid #000;margin-bottom:1rem}
.verdict{display:inline-block;color:#fff;background:${color};padding:.3rem .8rem;border-radius:4px;font-weight:700;font-size:1.2rem}
figure{display:inline-block;margin:.5rem}figure img{width:280px;image-rendering:pixelated;border:1px solid #999}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right}.lang{float:right}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:12px}
</style></head><body>
<a class="lang" href="${t.other.file}" hreflang="${REPORT_TEXT[lang === "en" ? "zh" : "en"].htmlLang}">${t.other.label}</a>
${banner}
<h1>${escapeHtml(r.title)}</h1>
<p class="claim">${t.claim}: <q>${escapeHtml(r.claimText)}</q></p>
<p><span class="verdict" id="verdict">${t.verdict[r.verdict]}</span> ${escapeHtml(lang === "zh" ? r.reasonZh : r.reason)}</p>
<h2>${t.measured}</h2>
<p id="measured"><b>${num(r.measured.value)} ${escapeHtml(r.measured.unit)}</b>, 95 % CI [${num(r.measured.ci95[0])}, ${num(r.measured.ci95[1])}]</p>
<p id="mapped">${escapeHtml(t.mapped(num(r.mappedValue), r.measured.unit))}</p>
<h2>${t.definition}</h2>${t.englishOnly ? `<p><i>${t.englishOnly}</i></p>` : ""}<p>${escapeHtml(r.definition)}</p>
${r.labels ? labelsSection(r.labels, t) : ""}
<h2>${t.maps}</h2>${maps || `<p>${t.noMaps}</p>`}
${r.series ? `<h2>${escapeHtml(t.overTime(r.series.label))}</h2>${seriesSvg(r.series)}` : ""}
<h2>${t.maskedHeading}</h2><table><tr><th>${t.year}</th><th>${t.masked}</th></tr>${masked}</table>
${r.notes.length ? `<h2>${t.notes}</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : ""}
<h2>${t.provenance}</h2>${provenanceSummary(r.provenance)}
<details><summary>${t.provenanceFull}</summary><pre>${escapeHtml(JSON.stringify(r.provenance, null, 2))}</pre></details>
<h2>${t.claimAsSubmitted}</h2><pre>${escapeHtml(JSON.stringify(r.claimJson, null, 2))}</pre>
</body></html>
`;
}

const pngData = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString("base64")}`;

/** Who labelled what, blind or not, the sample map, areas mapped beside estimated, the error matrix. */
function labelsSection(v: LabelsView, t: ReportText): string {
  const L = t.labels;
  const r = v.record;
  const who = r.labellers.map((l) => `${escapeHtml(l.name ?? L.unnamed)} (${l.labelled})`).join(", ");
  const facts = [
    [L.file, escapeHtml(r.file)],
    [L.map, `${escapeHtml(String(r.map))} (${escapeHtml(String(r.mapYear))})`],
    ["", escapeHtml(L.points(r.pointsInZone, r.labelled, r.unlabelled, r.outsideZone))],
    ...(who ? [[L.labellers, who]] : []),
    ["", `<b id="blind">${escapeHtml(L.blind(r.blind))}</b>`],
    ...(r.noEstimate ? [[L.noEstimate, escapeHtml(r.noEstimate)]] : []),
  ];
  const factRows = facts.map(([k, val]) => `<tr><th>${k}</th><td>${val}</td></tr>`).join("");
  return `<h2 id="labels">${L.heading}</h2><table>${factRows}</table>
<h3>${L.sampleMap}</h3>${sampleMapSvg(v, t)}
${r.classes.length ? `<h3>${L.areas}</h3>${classTable(r, t)}` : ""}
${r.errorMatrix ? `<h3>${L.matrix}</h3>${matrixTable(r.errorMatrix, t)}<p>${L.overall}: ${pct(r.overallAccuracy)}</p>` : ""}`;
}

const pct = (v: number | null) => (v !== null && Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : "n/a");

function classTable(r: LabelsRecord, t: ReportText): string {
  const head = t.labels.classHead.map((h) => `<th>${h}</th>`).join("");
  const rows = r.classes
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.class)}</td><td class="n">${num(c.mappedKm2)}</td><td class="n">${num(c.estimatedKm2)}</td><td class="n">[${num(c.ci95[0])}, ${num(c.ci95[1])}]</td><td class="n">${pct(c.usersAccuracy)}</td><td class="n">${pct(c.producersAccuracy)}</td></tr>`,
    )
    .join("");
  return `<table id="class-areas"><tr>${head}</tr>${rows}</table>`;
}

function matrixTable(m: NonNullable<LabelsRecord["errorMatrix"]>, t: ReportText): string {
  const head = `<tr><th>${escapeHtml(t.labels.matrixCorner)}</th>${m.classes.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const rows = m.counts.map((row, i) => `<tr><th>${escapeHtml(m.classes[i]!)}</th>${row.map((n) => `<td class="n">${n}</td>`).join("")}</tr>`).join("");
  return `<table id="error-matrix">${head}${rows}</table>`;
}

const POINT_COLOR = { agree: "#1a9850", disagree: "#d73027", unlabelled: "#ffffff" };

/** The classified map with each sample point in the zone as a circle: green agrees, red differs, white unlabelled. */
function sampleMapSvg(v: LabelsView, t: ReportText): string {
  const { crop, scale } = v.map;
  const [w, h] = [crop.width * scale, crop.height * scale];
  const dots = v.points
    .map((p) => {
      const key = p.agrees === null ? "unlabelled" : p.agrees ? "agree" : "disagree";
      const [cx, cy] = [(p.col - crop.x + 0.5) * scale, (p.row - crop.y + 0.5) * scale];
      return `<circle class="${key}" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${POINT_COLOR[key]}" stroke="#000" stroke-width="1"/>`;
    })
    .join("");
  const legend = (["agree", "disagree", "unlabelled"] as const)
    .map(
      (k) =>
        `<span><svg width="12" height="12"><circle cx="6" cy="6" r="4" fill="${POINT_COLOR[k]}" stroke="#000"/></svg> ${escapeHtml(t.labels.legend[k])}</span>`,
    )
    .join(" &nbsp; ");
  return `<svg id="sample-map" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(t.labels.sampleMap)}"><image href="${pngData(v.map.png)}" width="${w}" height="${h}" style="image-rendering:pixelated"/>${dots}</svg><p>${legend}</p>`;
}

/** The lines a reader needs to reproduce the report; the full record follows, collapsed. */
function provenanceSummary(p: Record<string, unknown>): string {
  const inputs = Array.isArray(p.inputs) ? p.inputs.length : 0;
  const rows: [string, unknown][] = [
    ["software", JSON.stringify(p.software)],
    ["run", p.run],
    ["run key (SHA-256 of version, command, parameters, inputs)", p.runKey],
    ["claim SHA-256", p.claimSha256],
    ["inputs", `${inputs} files with SHA-256 (below)`],
    ["seed", p.seed],
    ["command", p.command],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v ?? ""))}</td></tr>`).join("")}</table>`;
}

/** A small line chart (zone vs control) as inline SVG. */
export function seriesSvg(s: ReportSeries, w = 640, h = 260): string {
  const vals = [...s.zone, ...s.control].filter((v): v is number => v !== null && Number.isFinite(v));
  if (vals.length === 0 || s.years.length === 0) return "<p>No valid values.</p>";
  const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
  const pad = (hi - lo) * 0.1 || 0.05;
  const y0 = lo - pad;
  const y1 = hi + pad;
  const [m, y2, x2] = [40, h - 30, w - 24]; // room for the last year label, centred on its point
  const x = (i: number) => m + (s.years.length === 1 ? 0 : (i * (x2 - m)) / (s.years.length - 1));
  const y = (v: number) => y2 - ((v - y0) / (y1 - y0)) * (y2 - 10);
  const line = (series: (number | null)[], color: string, name: string) => {
    const pts = series.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const dots = pts.map((p) => (p ? `<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${color}"/>` : "")).join("");
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.filter(Boolean).join(" ")}"><title>${name}</title></polyline>${dots}`;
  };
  const ticks = s.years.map((yr, i) => `<text x="${x(i)}" y="${h - 10}" font-size="11" text-anchor="middle">${yr}</text>`).join("");
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(s.label)} zone vs control">
<line x1="${m}" y1="${y2}" x2="${x2}" y2="${y2}" stroke="#888"/><line x1="${m}" y1="10" x2="${m}" y2="${y2}" stroke="#888"/>
<text x="4" y="${y(y1 - pad) + 4}" font-size="11">${num(y1 - pad)}</text><text x="4" y="${y(y0 + pad) + 4}" font-size="11">${num(y0 + pad)}</text>
${ticks}${line(s.control, "#2166ac", "control")}${line(s.zone, "#d6604d", "zone")}
<text x="${x2 - 150}" y="22" font-size="12" fill="#d6604d">— zone</text><text x="${x2 - 80}" y="22" font-size="12" fill="#2166ac">— control</text>
</svg>`;
}
