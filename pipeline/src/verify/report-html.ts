/**
 * The self-contained report.html of a claim: no external files or scripts; maps are inline PNGs
 * and the chart is inline SVG, so the report can be mailed, archived or opened offline.
 */
import type { Measured, Verdict } from "./verdict.ts";

export interface ReportSeries {
  years: number[];
  zone: (number | null)[];
  control: (number | null)[];
  label: string;
}

export interface ReportView {
  title: string;
  simulated: boolean;
  claimText: string;
  claimJson: unknown;
  verdict: Verdict;
  reason: string;
  measured: Measured;
  definition: string;
  maps: { caption: string; png: Uint8Array }[];
  series?: ReportSeries;
  maskedFractionByYear: Record<string, number>;
  provenance: Record<string, unknown>;
  notes: string[];
}

const VERDICT_STYLE: Record<Verdict, [string, string]> = {
  supported: ["#1b7837", "Supported"],
  not_supported: ["#b2182b", "Not supported"],
  inconclusive: ["#8c6d1f", "Inconclusive"],
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const num = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3)) : "n/a");

export function renderReportHtml(r: ReportView): string {
  const [color, word] = VERDICT_STYLE[r.verdict];
  const banner = r.simulated
    ? `<div class="sim">SIMULATED DATA: this report is computed on simulated scenes, not satellite observations. 模拟数据：本报告基于模拟影像，并非真实卫星观测。</div>`
    : "";
  const maps = r.maps
    .map(
      (m) =>
        `<figure><img alt="${escapeHtml(m.caption)}" src="data:image/png;base64,${Buffer.from(m.png).toString("base64")}"><figcaption>${escapeHtml(m.caption)}</figcaption></figure>`,
    )
    .join("");
  const masked = Object.entries(r.maskedFractionByYear)
    .map(([y, f]) => `<tr><td>${escapeHtml(y)}</td><td>${(100 * f).toFixed(1)} %</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#222}
.sim{background:#ffcc00;color:#000;font-weight:700;padding:.6rem 1rem;border:3px solid #000;margin-bottom:1rem}
.verdict{display:inline-block;color:#fff;background:${color};padding:.3rem .8rem;border-radius:4px;font-weight:700;font-size:1.2rem}
figure{display:inline-block;margin:.5rem}figure img{width:280px;image-rendering:pixelated;border:1px solid #999}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:12px}
</style></head><body>
${banner}
<h1>${escapeHtml(r.title)}</h1>
<p class="claim">Claim: <q>${escapeHtml(r.claimText)}</q></p>
<p><span class="verdict" id="verdict">${word}</span> ${escapeHtml(r.reason)}</p>
<h2>Measured</h2>
<p id="measured"><b>${num(r.measured.value)} ${escapeHtml(r.measured.unit)}</b>, 95 % CI [${num(r.measured.ci95[0])}, ${num(r.measured.ci95[1])}]</p>
<h2>Operational definition</h2><p>${escapeHtml(r.definition)}</p>
<h2>Maps</h2>${maps || "<p>No maps.</p>"}
${r.series ? `<h2>${escapeHtml(r.series.label)} over time, zone against control</h2>${seriesSvg(r.series)}` : ""}
<h2>Masked fraction per year</h2><table><tr><th>year</th><th>masked</th></tr>${masked}</table>
${r.notes.length ? `<h2>Notes and limits</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : ""}
<h2>Provenance</h2>${provenanceSummary(r.provenance)}
<details><summary>Full provenance (inputs with SHA-256, parameters)</summary><pre>${escapeHtml(JSON.stringify(r.provenance, null, 2))}</pre></details>
<h2>Claim as submitted</h2><pre>${escapeHtml(JSON.stringify(r.claimJson, null, 2))}</pre>
</body></html>
`;
}

/** The lines a reader needs to reproduce the report; the full record follows, collapsed. */
function provenanceSummary(p: Record<string, unknown>): string {
  const inputs = Array.isArray(p.inputs) ? p.inputs.length : 0;
  const rows: [string, unknown][] = [
    ["software", JSON.stringify(p.software)],
    ["run", p.run],
    ["run.json SHA-256", p.run_json_sha256],
    ["claim SHA-256", p.claim_sha256],
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
