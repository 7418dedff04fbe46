/** The results area of the side panel: a title, a note, a chart, a table and a CSV button (pixel or polygon). */
import { download } from "./csv.ts";
import { $, fill, h } from "./dom.ts";
import { t } from "./i18n.ts";

let csv: { name: string; text: string } | null = null;

export interface Result {
  title: string;
  notes: string[];
  simulated: boolean;
  chart: (el: HTMLElement) => void;
  head: string[];
  rows: (string | Node)[][];
  csv: { name: string; text: string };
}

function open(title: string): void {
  const box = $("results");
  const wasHidden = box.hidden;
  box.hidden = false;
  $("results-title").textContent = title;
  // Bring the results into view when they appear (the panel scrolls, not the page).
  if (wasHidden || box.getBoundingClientRect().top > innerHeight * 0.6) box.scrollIntoView({ block: "start" });
}

export function showLoading(title: string): void {
  open(title);
  fill($("results-notes"), h("p", { class: "muted", role: "status" }, t("loading")));
  clearBody();
}

/** A message instead of a result (static export, point outside the site, server error). */
export function showMessage(title: string, message: string, kind: "info" | "error" = "info"): void {
  open(title);
  fill($("results-notes"), h("p", { class: kind === "error" ? "error" : "notice", role: kind === "error" ? "alert" : "status" }, message));
  clearBody();
}

function clearBody(): void {
  csv = null;
  $("chart").replaceChildren();
  delete $("chart").dataset.points;
  delete $("chart").dataset.years;
  $("stats").replaceChildren();
  $("csv").hidden = true;
}

export function showResult(r: Result): void {
  open(r.title);
  fill($("results-notes"), r.simulated ? h("p", { class: "sim-note" }, t("simulatedShort")) : null, ...r.notes.map((n) => h("p", { class: "muted" }, n)));
  r.chart($("chart"));
  fill(
    $("stats"),
    h("caption", { class: "sr-only" }, r.title),
    h("thead", {}, h("tr", {}, ...r.head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...r.rows.map((row) => h("tr", {}, ...row.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))),
  );
  csv = r.csv;
  $("csv").hidden = false;
}

export function closeResults(): void {
  $("results").hidden = true;
  clearBody();
}

export function bindResults(onClose: () => void): void {
  $("csv").addEventListener("click", () => csv && download(csv.name, csv.text));
  $("results-close").addEventListener("click", () => {
    closeResults();
    onClose();
  });
}
