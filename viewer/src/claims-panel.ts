/** The site's example claims, each with its verdict (colour, symbol and words), the measured value and a link to its report. */
import { type Claim, url } from "./api.ts";
import { fill, h } from "./dom.ts";
import { getLang, t } from "./i18n.ts";

const VERDICT: Record<string, { cls: string; mark: string }> = {
  supported: { cls: "v-yes", mark: "✓" },
  not_supported: { cls: "v-no", mark: "✗" },
  inconclusive: { cls: "v-maybe", mark: "?" },
};

/** "63.5 %" for fractions, "1.21 km²" for areas, else the value with its unit; `bare` leaves the unit out. */
export function formatMeasured(v: number | null, unit: string, bare = false): string {
  if (v === null || !Number.isFinite(v)) return "—";
  const [text, u] = unit === "fraction" ? [(v * 100).toFixed(1), "%"] : unit === "km2" ? [v.toFixed(2), "km²"] : [String(Number(v.toFixed(3))), unit];
  return bare || !u ? text : `${text} ${u}`;
}

function measured(c: Claim): string {
  const m = c.measured;
  if (!m || m.value === null) return t("notMeasured");
  const [lo, hi] = m.ci95 ?? [null, null];
  const ci = lo !== null && hi !== null ? ` ${t("ci95", { lo: formatMeasured(lo, m.unit, true), hi: formatMeasured(hi, m.unit, true) })}` : "";
  return `${t("measured")}: ${formatMeasured(m.value, m.unit)}${ci}`;
}

/** Reports come in English (report.html) and Chinese (report.zh.html): the one in the page's language. */
const reportIn = (path: string) => (getLang() === "zh" ? path.replace(/report\.html$/, "report.zh.html") : path);

export function renderClaims(el: HTMLElement, claims: Claim[], simulated: boolean): void {
  if (!claims.length) {
    fill(el, h("p", { class: "muted" }, t("noClaims")));
    return;
  }
  const items = claims.map((c) => {
    const v = VERDICT[c.verdict] ?? { cls: "v-unknown", mark: "•" };
    return h(
      "li",
      { class: "claim" },
      h("span", { class: `verdict ${v.cls}` }, `${v.mark} ${t(`verdict_${c.verdict}`)}`),
      h("p", { class: "claim-text", lang: "en" }, c.text),
      h("p", { class: "claim-measured" }, measured(c)),
      h("a", { href: url(reportIn(c.report)), target: "_blank", rel: "noopener", "data-claim": c.id }, `${t("openReport")} ↗`),
    );
  });
  fill(
    el,
    simulated ? h("p", { class: "sim-note" }, t("claimsSimulated")) : null,
    getLang() === "zh" ? h("p", { class: "muted" }, t("claimsInEnglish")) : null,
    h("ul", { class: "claims" }, ...items),
  );
}
