/**
 * The labelling panel's elements: a fixed skeleton (texts through data-i18n, so a language switch
 * re-translates it with applyStatic) and the parts drawn per point: chips, class buttons, stratum.
 */
import type { Site } from "./api.ts";
import { $, fill, h } from "./dom.ts";
import { t } from "./i18n.ts";
import type { Strata } from "./label-api.ts";
import { categories } from "./legend.ts";

/** Chips are CHIP x CHIP data pixels, each drawn as ZOOM x ZOOM screen pixels (nearest neighbour). */
export const CHIP = 31;
export const ZOOM = 5;

export interface ClassChoice {
  /** The class name of strata.json (what the sheet stores). */
  name: string;
  /** The class in the interface language. */
  label: string;
  color?: string;
  /** The keyboard shortcut: "1".."9". */
  key: string;
}

/** The classes of strata.json in their order, with the map product's colours and labels. */
export function classChoices(site: Site, strata: Strata): ClassChoice[] {
  const map = strata.map ?? "";
  const key = /class_\d{4}\.tif$/.test(map) ? "classes" : (map.split("/").pop() ?? "").replace(/\.tif$/, "");
  const p = site.products.find((q) => q.key === key);
  const cats = p ? categories(p) : [];
  return strata.classes.map((c, i) => {
    const cat = cats.find((k) => k.value === c.code);
    return { name: c.name, label: cat?.label ?? c.name, ...(cat ? { color: cat.color } : {}), key: String(i + 1) };
  });
}

export function notice(text: string, kind: "notice" | "error" = "notice"): HTMLElement {
  return h("p", { class: kind, role: kind === "error" ? "alert" : "status" }, text);
}

/** Counts, position and key help; the panel's data-* attributes say the same for tests. */
export function renderProgress(v: { labelled: number; skipped: number; total: number; index: number; saved: number; classes: number }): void {
  $<HTMLProgressElement>("label-bar").max = Math.max(1, v.total);
  $<HTMLProgressElement>("label-bar").value = v.labelled + v.skipped;
  $("label-progress").textContent = t("labelProgress", { done: v.labelled, total: v.total });
  $("label-position").textContent = v.index < 0 ? t("labelFinished") : t("labelPosition", { n: v.index + 1, total: v.total });
  $("label-skipped").textContent = v.skipped ? ` · ${t("labelSkippedCount", { n: v.skipped })}` : "";
  $<HTMLButtonElement>("label-export").disabled = !v.saved;
  $("label-keys").textContent = t("labelKeys", { digits: v.classes > 1 ? `1–${v.classes}` : "1" });
  const panel = $("label-panel");
  panel.dataset.labelled = String(v.labelled);
  panel.dataset.position = String(v.index + 1);
}

const i18n = (key: string, tag: "span" | "legend" | "h2" | "p" = "span", attrs: Record<string, string> = {}) => h(tag, { "data-i18n": key, ...attrs }, t(key));

export function skeleton(): HTMLElement[] {
  return [header(), h("div", { id: "label-notice" }), topCard(), workArea()];
}

/** A confidence choice: one radio of the label-confidence group. */
function confidenceRadio(v: string): HTMLElement {
  return h("label", { class: "conf" }, h("input", { type: "radio", name: "label-confidence", value: v, id: `label-conf-${v}` }), i18n(`confidence_${v}`));
}

/** An action button with its keyboard shortcut shown (none when `shortcut` is ""). */
function actionButton(id: string, key: string, shortcut: string, cls = ""): HTMLElement {
  return h("button", { id, type: "button", class: cls, "data-i18n-title": key }, shortcut ? h("kbd", {}, shortcut) : null, " ", i18n(key));
}

/** Title, site name, language and exit buttons. */
function header(): HTMLElement {
  return h(
    "header",
    { class: "brand label-head" },
    h("div", {}, i18n("labelTitle", "h2"), h("p", { id: "label-site", class: "tagline" })),
    h(
      "div",
      { class: "label-head-buttons" },
      h("button", { id: "label-lang", type: "button", class: "lang" }),
      h("button", { id: "label-exit", type: "button", class: "lang", "data-i18n": "labelExit" }, t("labelExit")),
    ),
  );
}

/** Who labels (or the form asking their name), progress and export, status line. */
function topCard(): HTMLElement {
  return h(
    "section",
    { class: "card label-top" },
    h("div", { id: "label-who-line" }),
    nameForm(),
    progressBox(),
    h("p", { id: "label-status", class: "label-status", role: "status", "aria-live": "polite" }),
  );
}

/** Asks the labeller's name before the first point. */
function nameForm(): HTMLElement {
  return h(
    "form",
    { id: "label-name-form", class: "label-name-form", hidden: true },
    h("label", { for: "label-name", class: "field-label", "data-i18n": "labelNameAsk" }, t("labelNameAsk")),
    h("input", { id: "label-name", type: "text", maxlength: 80, autocomplete: "name", required: true }),
    h("button", { type: "submit", class: "primary", "data-i18n": "labelStart" }, t("labelStart")),
  );
}

/** Progress bar, counts and position, and the export button. */
function progressBox(): HTMLElement {
  return h(
    "div",
    { id: "label-progress-box", hidden: true },
    h("progress", { id: "label-bar", max: 1, value: 0 }),
    h(
      "div",
      { class: "progress-line" },
      h("p", {}, h("b", { id: "label-progress" }), " · ", h("span", { id: "label-position" }), h("span", { id: "label-skipped" })),
      actionButton("label-export", "labelExport", ""),
    ),
  );
}

/** The labelling itself, shown once a name is given: point, form, series, and the all-done card. */
function workArea(): HTMLElement {
  return h(
    "div",
    { id: "label-work", hidden: true },
    pointCard(),
    formCard(),
    seriesCard(),
    h("section", { class: "card", id: "label-done", hidden: true }, i18n("labelAllDone", "p")),
  );
}

/** The point: title, map stratum, chip years and the chips. */
function pointCard(): HTMLElement {
  return h(
    "section",
    { class: "card", id: "label-point" },
    h("h2", { id: "label-point-title" }),
    h("p", { id: "label-stratum", class: "label-stratum" }),
    h(
      "div",
      { class: "point-options" },
      h("label", { class: "check small" }, h("input", { id: "label-show-stratum", type: "checkbox" }), i18n("labelShowStratum")),
      h(
        "div",
        { class: "chip-years" },
        h("label", {}, i18n("labelBefore"), " ", h("select", { id: "label-before" })),
        h("label", {}, i18n("labelAfter"), " ", h("select", { id: "label-after" })),
      ),
    ),
    h("div", { id: "label-chips", class: "chips" }),
    i18n("labelChipNote", "p", { class: "muted small" }),
  );
}

/** Class buttons, confidence and note, navigation buttons and key help. */
function formCard(): HTMLElement {
  return h(
    "section",
    { class: "card label-form", id: "label-form" },
    h("div", { id: "label-classes", class: "class-buttons", role: "group", "data-i18n-aria": "labelClass" }),
    h(
      "div",
      { class: "conf-note" },
      h("fieldset", { class: "confidence" }, i18n("labelConfidence", "legend"), confidenceRadio("high"), confidenceRadio("medium"), confidenceRadio("low")),
      h("label", { class: "note" }, i18n("labelNote"), " ", h("kbd", {}, "n"), " ", h("input", { id: "label-note", type: "text", maxlength: 2000 })),
    ),
    h(
      "div",
      { class: "buttons" },
      actionButton("label-prev", "labelPrev", "←"),
      actionButton("label-skip", "labelSkip", "s"),
      actionButton("label-undo", "labelUndo", "u"),
      actionButton("label-next", "labelNext", "→"),
    ),
    h("p", { id: "label-keys", class: "muted small" }),
  );
}

/** The chart of the point's time series. */
function seriesCard(): HTMLElement {
  return h(
    "section",
    { class: "card", id: "label-series" },
    h("p", { id: "label-chart-title", class: "muted small" }),
    h("div", { id: "label-chart", class: "chart" }),
  );
}

/** One figure: the chip scaled up pixel for pixel, the sampled (centre) pixel outlined. */
export function chip(src: string, caption: string, key: string): HTMLElement {
  const cell = `${(100 / CHIP).toFixed(4)}%`;
  const at = `${((100 * (CHIP - 1)) / 2 / CHIP).toFixed(4)}%`;
  return h(
    "figure",
    { class: "chip" },
    h(
      "div",
      { class: "chip-img", style: `width:${CHIP * ZOOM}px;height:${CHIP * ZOOM}px` },
      h("img", { src, alt: t("labelChipAlt", { what: caption, size: CHIP }), width: CHIP * ZOOM, height: CHIP * ZOOM, draggable: "false", "data-chip": key }),
      h("span", { class: "chip-pixel", style: `left:${at};top:${at};width:${cell};height:${cell}`, "aria-hidden": "true" }),
    ),
    h("figcaption", {}, caption),
  );
}

export function renderClasses(el: HTMLElement, choices: ClassChoice[], current: string | undefined, disabled: boolean, pick: (name: string) => void): void {
  fill(
    el,
    ...choices.map((c) => {
      const b = h(
        "button",
        { type: "button", class: "class-button", "data-class": c.name, "aria-pressed": String(current === c.name), disabled, title: c.name },
        h("kbd", {}, c.key),
        c.color ? h("i", { class: "swatch", style: `background:${c.color}` }) : null,
        c.label,
        c.label.startsWith(c.name) ? null : h("small", {}, ` (${c.name})`),
      );
      b.addEventListener("click", () => pick(c.name));
      return b;
    }),
  );
}

/** The map class at the point, or the note that it is hidden. */
export function renderStratum(el: HTMLElement, shown: boolean, c: ClassChoice | undefined, name: string): void {
  if (!shown) fill(el, t("labelStratumHidden"));
  else fill(el, c?.color ? h("i", { class: "swatch", style: `background:${c.color}` }) : null, t("labelStratum", { name: c?.label ?? name }));
  el.classList.toggle("revealed", shown);
}
