/**
 * The year slider: a native range input (arrow keys, Home/End, screen readers get the year as
 * aria-valuetext), year ticks under it, previous/next buttons and play/pause. Products without a
 * year (the change summaries, date "-") disable it and say why.
 */
import { $, fill, h } from "./dom.ts";
import { t } from "./i18n.ts";

const STEP_MS = 1600;

export class YearSlider {
  private dates: string[] = [];
  private timer: number | undefined;
  private readonly input = $<HTMLInputElement>("year");

  constructor(private readonly onChange: (date: string) => void) {
    this.input.addEventListener("input", () => {
      this.stop();
      this.go(Number(this.input.value));
    });
    $("year-prev").addEventListener("click", () => this.step(-1, false));
    $("year-next").addEventListener("click", () => this.step(1, false));
    $("play").addEventListener("click", () => (this.timer === undefined ? this.play() : this.stop()));
  }

  /** Shows `dates` with `current` selected. */
  set(dates: string[], current: string): void {
    this.dates = dates;
    const timeless = dates.length <= 1;
    const i = Math.max(0, dates.indexOf(current));
    this.input.max = String(Math.max(0, dates.length - 1));
    this.input.value = String(i);
    this.input.setAttribute("aria-valuetext", dates[i] === "-" ? t("noYear") : (dates[i] ?? ""));
    $("year-label").textContent = dates[i] === "-" ? "" : (dates[i] ?? "");
    $("year-note").textContent = timeless ? (dates[0] === "-" ? t("noYear") : t("oneDate")) : "";
    $("year-controls").hidden = timeless;
    if (timeless) this.stop();
    const every = dates.length > 10 ? 2 : 1;
    fill(
      $("year-ticks"),
      ...(timeless
        ? []
        : dates.map((d, k) =>
            h(
              "span",
              { style: `left:${((k / (dates.length - 1)) * 100).toFixed(2)}%` },
              k % every === 0 || k === dates.length - 1 ? (d.length === 4 ? d : d.slice(2)) : "",
            ),
          )),
    );
    this.label();
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  play(): void {
    if (this.dates.length < 2 || this.timer !== undefined) return;
    this.timer = window.setInterval(() => this.step(1, true), STEP_MS);
    this.label();
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.label();
  }

  /** Re-labels the play button (also after a language switch). */
  label(): void {
    const b = $("play");
    b.textContent = this.playing ? `❚❚ ${t("pause")}` : `▶ ${t("play")}`;
    b.setAttribute("aria-pressed", String(this.playing));
  }

  private step(delta: number, wrap: boolean): void {
    if (!wrap) this.stop();
    const n = this.dates.length;
    const i = Number(this.input.value) + delta;
    this.go(wrap ? (i + n) % n : Math.min(n - 1, Math.max(0, i)));
  }

  private go(i: number): void {
    const d = this.dates[i];
    if (d !== undefined) this.onChange(d);
  }
}
