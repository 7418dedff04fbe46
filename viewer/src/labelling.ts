/**
 * Labelling mode: a reviewer gives each point of the run's stratified sample a reference class,
 * one point at a time, from before/after chips at the data's own resolution and the pixel's index
 * series. Each label is saved by the server as it is made (label-api.ts); the page resumes from the
 * server's saved labels. The map class is hidden unless the reviewer shows it, and each saved row
 * says whether it was shown. Entered from the panel's button or the address `#label=<site>`.
 */
import { HttpFailure, isStatic, type Site } from "./api.ts";
import { $, fill } from "./dom.ts";
import { applyStatic, getLang, pick, t } from "./i18n.ts";
import * as api from "./label-api.ts";
import { renderChips, renderSeries } from "./label-evidence.ts";
import { nextOpen } from "./label-order.ts";
import { newSession, type Session } from "./label-session.ts";
import { classChoices, notice, renderClasses, renderProgress, renderStratum, skeleton } from "./label-view.ts";
import "./labelling.css";

const NAME_KEY = "reewatch.labeller";
const HASH = /^#label=([a-z0-9_-]{1,64})$/;

export interface LabellingHost {
  site: () => Site;
  selectSite: (key: string) => void;
  /** Centre the map on the point, showing the true colour of `date`. */
  showPoint: (p: api.SamplePoint, date: string) => void;
  /** The layout changed (panel in or out). */
  layout: () => void;
}

export class Labelling {
  private s: Session | null = null;
  private sampled: Promise<string[]> | null = null;

  constructor(private readonly host: LabellingHost) {
    $("label-open").addEventListener("click", () => void this.enter(this.host.site().key));
    document.addEventListener("keydown", (e) => this.key(e));
  }

  get active(): boolean {
    return !$("label-panel").hidden;
  }

  /** The site key of `#label=<site>` in the address, if any. */
  static requested(): string | undefined {
    return HASH.exec(location.hash)?.[1];
  }

  /** Shows the panel's "Label the sample" button when the site has a sample (and there is a server). */
  async offer(site: Site): Promise<void> {
    if (isStatic()) return;
    this.sampled ??= api.status().then(
      (r) => r.sites,
      () => [],
    );
    const sampled = await this.sampled;
    if (this.host.site().key === site.key) $("label-open").hidden = !sampled.includes(site.key);
  }

  async enter(key: string): Promise<void> {
    this.host.selectSite(key);
    const site = this.host.site();
    const panel = $("label-panel");
    if (!panel.childElementCount) this.build(panel);
    panel.hidden = false;
    document.body.classList.add("labelling");
    history.replaceState(null, "", `${location.pathname}${location.search}#label=${site.key}`);
    this.host.layout();
    this.status("");
    try {
      const [strata, points] = await Promise.all([api.strata(site.key), api.sample(site.key)]);
      this.s = newSession(site, strata, points, localStorage.getItem(NAME_KEY) ?? "");
      $<HTMLInputElement>("label-show-stratum").checked = false;
      await this.resume();
    } catch (e) {
      this.s = null;
      $("label-work").hidden = true;
      fill($("label-notice"), notice(t("labelNoSample", { reason: (e as Error).message }), "error"));
    }
  }

  exit(): void {
    $("label-panel").hidden = true;
    document.body.classList.remove("labelling");
    history.replaceState(null, "", `${location.pathname}${location.search}`);
    this.s = null;
    this.host.layout();
  }

  /** Loads the labeller's saved rows and goes to the first point without one. */
  private async resume(): Promise<void> {
    const s = this.s!;
    $<HTMLInputElement>("label-name").value = s.labeller;
    if (!s.labeller) return this.askName();
    const saved = await api.labels(s.site.key, s.labeller);
    s.rows = new Map(saved.rows.map((r) => [r.id, r]));
    s.counts = saved;
    s.writable = saved.writable;
    s.undo = [];
    s.index = nextOpen(s.points, s.rows);
    const asked = !$("label-name-form").hidden;
    $("label-name-form").hidden = true;
    $("label-work").hidden = false;
    $("label-progress-box").hidden = false;
    this.render();
    // Out of the name field, so that the keys label at once.
    if (asked) $("label-panel").focus();
  }

  private askName(): void {
    $("label-work").hidden = true;
    $("label-progress-box").hidden = true;
    $("label-name-form").hidden = false;
    this.render();
    $("label-name").focus();
  }

  private build(panel: HTMLElement): void {
    panel.append(...skeleton());
    $("label-exit").addEventListener("click", () => this.exit());
    $("label-lang").addEventListener("click", () => $("lang").click());
    $("label-name-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const name = $<HTMLInputElement>("label-name").value.normalize("NFC").trim();
      if (!name || !this.s) return;
      localStorage.setItem(NAME_KEY, name);
      this.s.labeller = name;
      void this.resume().catch((err) => this.status(t("labelSaveFailed", { reason: (err as Error).message }), "error"));
    });
    $<HTMLInputElement>("label-show-stratum").addEventListener("change", (e) => {
      if (!this.s) return;
      this.s.showStratum = (e.target as HTMLInputElement).checked;
      this.s.shownHere ||= this.s.showStratum;
      this.renderPoint();
    });
    for (const [id, which] of [
      ["label-before", "before"],
      ["label-after", "after"],
    ] as const)
      $<HTMLSelectElement>(id).addEventListener("change", (e) => {
        if (!this.s) return;
        this.s[which] = (e.target as HTMLSelectElement).value;
        this.renderPoint();
      });
    $("label-export").addEventListener("click", () => this.exportSheet());
    $("label-prev").addEventListener("click", () => this.step(-1));
    $("label-next").addEventListener("click", () => this.step(1));
    $("label-skip").addEventListener("click", () => void this.save(""));
    $("label-undo").addEventListener("click", () => void this.undoLast());
  }

  /** Keyboard: 1..k class, s skip, u undo, n note, arrows previous/next; Escape leaves a text field. */
  private key(e: KeyboardEvent): void {
    const s = this.s;
    if (!s || !this.active || !s.labeller || $("label-work").hidden || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target as HTMLElement;
    if (el.closest("input[type=text], textarea, select, [contenteditable]")) {
      if (e.key === "Escape" || (e.key === "Enter" && el.id === "label-note")) el.blur();
      return;
    }
    if (el.closest(".maplibregl-canvas") || (el.matches("input[type=radio]") && e.key.startsWith("Arrow"))) return;
    const choice = s.choices.find((c) => c.key === e.key);
    const act: Record<string, () => void> = {
      s: () => void this.save(""),
      u: () => void this.undoLast(),
      n: () => $("label-note").focus(),
      ArrowLeft: () => this.step(-1),
      ArrowRight: () => this.step(1),
    };
    const run = choice ? () => void this.save(choice.name) : act[e.key];
    if (!run || e.repeat) return;
    e.preventDefault();
    run();
  }

  private canWrite(): boolean {
    return !!this.s?.writable && api.hasToken();
  }

  /** Saves the shown point's class (or "" = skipped), then goes to the next point without a row. */
  private async save(cls: string): Promise<void> {
    const s = this.s;
    const p = s && s.index >= 0 ? s.points[s.index] : undefined;
    if (!s || !p || s.busy || !this.canWrite()) return;
    const conf = document.querySelector<HTMLInputElement>("input[name=label-confidence]:checked")?.value ?? "";
    const label = { labeller: s.labeller, reference_class: cls, confidence: conf, note: $<HTMLInputElement>("label-note").value, stratum_shown: s.shownHere };
    const ok = await this.write(p.id, () => api.saveLabel(s.site.key, p.id, label), true);
    if (ok && this.s === s) {
      this.status(cls ? t("labelSaved", { id: p.id, cls: s.choices.find((c) => c.name === cls)?.label ?? cls }) : t("labelSkippedOne", { id: p.id }));
      this.go(nextOpen(s.points, s.rows, s.index + 1));
    }
  }

  /** Takes back the last label of this session (restoring what the point had before), else the last saved point before this one. */
  private async undoLast(): Promise<void> {
    const s = this.s;
    if (!s || s.busy || !this.canWrite()) return;
    let step = s.undo.at(-1);
    if (!step) {
      const from = s.index < 0 ? s.points.length : s.index;
      const prev = s.points.slice(0, from).findLast((q) => s.rows.has(q.id));
      if (!prev) return this.status(t("labelNothingToUndo"));
      step = { id: prev.id, previous: undefined };
    }
    const { id, previous } = step;
    const back = previous ? { ...previous, stratum_shown: previous.stratum_shown === "true" } : null;
    const ok = await this.write(id, () => (back ? api.saveLabel(s.site.key, id, back) : api.clearLabel(s.site.key, id, s.labeller)), false);
    if (!ok || this.s !== s) return;
    s.undo.pop();
    this.status(t("labelUndone", { id }));
    this.go(s.points.findIndex((q) => q.id === id));
  }

  /** One request; on success the row (or its absence) and the counts follow the server's answer. */
  private async write(id: string, request: () => Promise<api.Saved & { row: api.LabelRow | null }>, record: boolean): Promise<boolean> {
    const s = this.s!;
    s.busy = true;
    document.body.dataset.labelBusy = "1";
    try {
      const r = await request();
      if (record) s.undo.push({ id, previous: s.rows.get(id) });
      if (r.row?.labeller) s.rows.set(id, r.row);
      else s.rows.delete(id);
      s.counts = r;
      return true;
    } catch (e) {
      const reason = (e as Error).message;
      this.status(t(e instanceof HttpFailure && e.status === 403 ? "labelRefused" : "labelSaveFailed", { reason }), "error");
      return false;
    } finally {
      s.busy = false;
      delete document.body.dataset.labelBusy;
    }
  }

  private step(d: number): void {
    const s = this.s;
    if (!s?.points.length) return;
    const from = s.index < 0 ? (d < 0 ? s.points.length : -1) : s.index;
    this.go(Math.min(s.points.length - 1, Math.max(0, from + d)));
  }

  private go(index: number): void {
    const s = this.s!;
    if (index !== s.index) s.shownHere = s.showStratum;
    s.index = index;
    this.render();
  }

  private exportSheet(): void {
    if (!this.s?.rows.size) return;
    const a = document.createElement("a");
    a.href = api.sheetUrl(this.s.site.key, this.s.labeller);
    a.download = "";
    document.body.append(a);
    a.click();
    a.remove();
  }

  private status(text: string, kind: "info" | "error" = "info"): void {
    const el = $("label-status");
    el.textContent = text;
    el.classList.toggle("error", kind === "error");
  }

  /** Everything that depends on the session and the language. */
  render(): void {
    if (!this.active) return;
    applyStatic($("label-panel"));
    $("label-lang").textContent = getLang() === "en" ? "中文" : "English";
    const s = this.s;
    if (!s) return;
    s.choices = classChoices(s.site, s.strata);
    $("label-site").textContent = `${pick(s.site.name)}${s.site.simulated ? ` · ${t("simulatedTag")}` : ""}`;
    const notes = [
      s.site.simulated ? notice(t("simulatedShort")) : null,
      s.labeller && !s.writable ? notice(t("labelReadOnly"), "error") : null,
      s.labeller && s.writable && !api.hasToken() ? notice(t("labelNoToken"), "error") : null,
    ];
    fill($("label-notice"), ...notes);
    fill($("label-who-line"), t("labelLabeller"), " ", Object.assign(document.createElement("b"), { textContent: s.labeller || "—" }), " ");
    if (s.labeller) {
      const change = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: t("labelChangeName") });
      change.addEventListener("click", () => this.askName());
      $("label-who-line").append(change, s.counts.file ? ` · ${t("labelFile", { file: s.counts.file })}` : "");
    }
    if (!s.labeller) return;
    renderProgress({ ...s.counts, total: s.points.length, index: s.index, saved: s.rows.size, classes: s.choices.length });
    this.renderPoint();
  }

  /** The shown point: title, map class (or hidden), chips, chart, class buttons, confidence and note. */
  private renderPoint(): void {
    const s = this.s!;
    const p = s.index >= 0 ? s.points[s.index] : undefined;
    $("label-done").hidden = !!p;
    $("label-point").hidden = !p;
    $("label-form").hidden = !p;
    $("label-series").hidden = !p;
    const panel = $("label-panel");
    if (!p) {
      delete panel.dataset.pointId;
      return;
    }
    panel.dataset.pointId = p.id;
    const row = s.rows.get(p.id);
    $("label-point-title").textContent = `${t("labelPointTitle", { id: p.id })} · ${p.lon.toFixed(5)}, ${p.lat.toFixed(5)}${
      row
        ? ` · ${row.reference_class ? t("labelCurrent", { cls: s.choices.find((c) => c.name === row.reference_class)?.label ?? row.reference_class }) : t("labelIsSkipped")}`
        : ""
    }`;
    renderStratum(
      $("label-stratum"),
      s.showStratum,
      s.choices.find((c) => c.name === p.stratum),
      p.stratum,
    );
    for (const [id, value] of [
      ["label-before", s.before],
      ["label-after", s.after],
    ] as const) {
      const sel = $<HTMLSelectElement>(id);
      if (sel.options.length !== s.dates.length)
        fill(sel, ...s.dates.map((d) => Object.assign(document.createElement("option"), { value: d, textContent: d })));
      sel.value = value;
    }
    renderChips($("label-chips"), s.site, p, s.before, s.after);
    void renderSeries($("label-chart"), $("label-chart-title"), s.site, p);
    renderClasses($("label-classes"), s.choices, row?.reference_class, !this.canWrite() || s.busy, (name) => void this.save(name));
    for (const r of document.querySelectorAll<HTMLInputElement>("input[name=label-confidence]")) r.checked = r.value === (row?.confidence ?? "");
    $<HTMLInputElement>("label-note").value = row?.note ?? "";
    for (const id of ["label-skip", "label-undo"]) $<HTMLButtonElement>(id).disabled = !this.canWrite();
    this.host.showPoint(p, s.after);
  }
}
