/** reewatch viewer: site, product, year slider, swipe, charts, drawn polygons, claims, provenance. */
import type { Polygon } from "geojson";
import type { Map as MlMap } from "maplibre-gl";
import { loadSites, point, type Site, staticMode, zonal } from "./api.ts";
import { chartPointCount, csvOf, drawChart, type Series } from "./chart.ts";
import en from "./i18n/en.json";
import zh from "./i18n/zh.json";
import { renderLegend } from "./legend.ts";
import { createMap, showDrawing, showProduct } from "./map.ts";
import { readState, type ViewState, writeState } from "./state-url.ts";
import "./styles.css";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const TEXT = { en, zh };
const state: ViewState = readState();
let sites: Site[] = [];
let mapA: MlMap;
let mapB: MlMap | null = null;
let drawing: [number, number][] | null = null;
let lastCsv = "";
let timer: number | undefined;

const site = () => sites.find((s) => s.key === state.site)!;
const product = () => site().products.find((p) => p.key === state.product) ?? site().products[0]!;
const t = (k: string) => (TEXT[state.lang] as Record<string, unknown>)[k] as string;
const dates = () => product().dates;

function applyLanguage(): void {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) el.textContent = t(el.dataset.i18n!);
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  $("play").textContent = timer ? t("pause") : t("play");
}

function fillSelect(el: HTMLSelectElement, items: [string, string][], value?: string): void {
  el.innerHTML = items.map(([v, label]) => `<option value="${v}">${label}</option>`).join("");
  if (value && items.some(([v]) => v === value)) el.value = value;
}

function refresh(): void {
  const s = site();
  const p = product();
  state.product = p.key;
  if (!state.year || !p.dates.includes(state.year)) state.year = p.dates.at(-1);
  fillSelect(
    $("site"),
    sites.map((q) => [q.key, `${q.name[state.lang]}${q.simulated ? " (SIMULATED)" : ""}`]),
    s.key,
  );
  fillSelect(
    $("product"),
    s.products.map((q) => [q.key, q.label[state.lang]]),
    p.key,
  );
  const slider = $<HTMLInputElement>("year");
  slider.max = String(p.dates.length - 1);
  slider.value = String(p.dates.indexOf(state.year!));
  $("year-label").textContent = state.year === "-" ? "" : state.year!;
  const banner = $("sim-banner");
  banner.hidden = !s.simulated;
  banner.textContent = `${TEXT.en.simulated} ${TEXT.zh.simulated}`;
  renderLegend($("legend"), p, state.lang);
  const ex = TEXT[state.lang].explain as Record<string, string>;
  $("explainer").textContent = ex[p.key] ?? ex.default!;
  showProduct(mapA, s, p.key, swipeOn() ? state.swipe![0] : state.year!, $<HTMLInputElement>("basemap").checked);
  if (mapB && swipeOn()) showProduct(mapB, s, p.key, state.swipe![1], $<HTMLInputElement>("basemap").checked);
  renderClaims(s);
  writeState(state);
}

const swipeOn = () => $<HTMLInputElement>("swipe").checked && !!state.swipe;

function renderClaims(s: Site): void {
  const colours: Record<string, string> = {
    supported: "#1b7837",
    not_supported: "#b2182b",
    inconclusive: "#8c6d1f",
  };
  $("claims").innerHTML = s.claims.length
    ? s.claims
        .map(
          (c) =>
            `<li><span class="verdict" style="background:${colours[c.verdict]}">${t(c.verdict)}</span> ${c.text} <a href="${staticMode ? `.${c.report}` : c.report}" target="_blank" rel="noopener" data-claim="${c.id}">${t("report")}</a></li>`,
        )
        .join("")
    : "<li>—</li>";
}

async function renderProvenance(s: Site): Promise<void> {
  const run = await fetch(staticMode ? `.${s.provenance.run}` : s.provenance.run)
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  $("provenance").innerHTML = `<div>${t("software")}: ${s.provenance.software}</div>${
    run
      ? `<div>${run.inputs?.length ?? 0} ${t("inputs")}; ${Object.entries(run.parameters ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")}</div>`
      : ""
  }<a href="${staticMode ? `.${s.provenance.run}` : s.provenance.run}" target="_blank">${t("run")}</a>`;
}

function setupSwipe(): void {
  const on = $<HTMLInputElement>("swipe").checked;
  $("swipe-years").hidden = !on;
  $("divider").hidden = !on;
  $("map-b").hidden = !on;
  const ds = dates().filter((d) => d !== "-");
  if (on) {
    state.swipe ??= [ds[0]!, ds.at(-1)!];
    fillSelect(
      $("swipe-a"),
      ds.map((d) => [d, d]),
      state.swipe[0],
    );
    fillSelect(
      $("swipe-b"),
      ds.map((d) => [d, d]),
      state.swipe[1],
    );
    if (!mapB) {
      mapB = createMap("map-b", site());
      mapB.jumpTo({ center: mapA.getCenter(), zoom: mapA.getZoom() });
      mapA.on("move", () => mapB?.jumpTo({ center: mapA.getCenter(), zoom: mapA.getZoom(), bearing: mapA.getBearing() }));
      mapB.once("load", refresh);
    }
    mapB.resize();
    clip(50);
  } else delete state.swipe;
  refresh();
}

function clip(percent: number): void {
  $("map-b").style.clipPath = `inset(0 0 0 ${percent}%)`;
  $("divider").style.left = `${percent}%`;
}

async function onMapClick(lng: number, lat: number): Promise<void> {
  if (drawing) {
    drawing.push([lng, lat]);
    showDrawing(mapA, drawing);
    $("finish").hidden = drawing.length < 3;
    return;
  }
  if (staticMode) {
    $("chart-title").textContent = t("static");
    return;
  }
  const p = product();
  if (p.kind === "rgb") return;
  const r = await point(site().key, p.key, lng, lat).catch((e) => ({ error: String(e) }));
  if ("error" in r) return;
  const rows = r.series as { date: string; value: number | null; fitted: number | null }[];
  const series: Series[] = [{ label: p.label[state.lang], values: rows.map((x) => x.value), color: "#1976d2" }];
  if (rows.some((x) => x.fitted !== null)) series.push({ label: t("fitted"), values: rows.map((x) => x.fitted), color: "#e64a19", dash: [6, 4] });
  showChart(
    `${t("pixel")} ${lng.toFixed(4)}, ${lat.toFixed(4)}${r.simulated ? " — SIMULATED" : ""}`,
    rows.map((x) => x.date),
    series,
  );
  $("stats").innerHTML = "";
}

function showChart(title: string, xs: string[], series: Series[]): void {
  $("chart-box").hidden = false;
  $("chart-title").textContent = title;
  const numeric = xs.map((x, i) => (/^\d{4}/.test(x) ? Number(x.slice(0, 4)) + (x.length > 4 ? i * 0.01 : 0) : i));
  drawChart($("chart"), numeric, series);
  $("chart").dataset.points = String(chartPointCount());
  lastCsv = csvOf(xs, series);
}

async function finishPolygon(): Promise<void> {
  if (!drawing || drawing.length < 3) return;
  const polygon: Polygon = { type: "Polygon", coordinates: [[...drawing, drawing[0]!]] };
  drawing = null;
  $("finish").hidden = true;
  if (staticMode) {
    $("chart-title").textContent = t("static");
    return;
  }
  const p = product().kind === "rgb" ? site().products.find((q) => q.key === "ndvi")! : product();
  const r = await zonal(site().key, p.key, polygon);
  const zs = r.series as { date: string; mean: number | null; count: number }[];
  const cs = r.control as { mean: number | null }[];
  showChart(
    `${t("polygon")} (${r.areaKm2.toFixed(2)} km²)${r.simulated ? " — SIMULATED" : ""}`,
    zs.map((x) => x.date),
    [
      { label: `${p.label[state.lang]} ${t("zone")}`, values: zs.map((x) => x.mean), color: "#d84315" },
      { label: `${p.label[state.lang]} ${t("control")}`, values: cs.map((x) => x.mean), color: "#1565c0" },
    ],
  );
  $("stats").innerHTML =
    `<tr><th>${t("year")}</th><th>${t("mean")}</th><th>${t("count")}</th></tr>${zs.map((x) => `<tr><td>${x.date}</td><td>${x.mean ?? "—"}</td><td>${x.count}</td></tr>`).join("")}`;
}

function bind(): void {
  $("site").onchange = () => {
    state.site = ($("site") as HTMLSelectElement).value;
    state.year = undefined;
    location.search = `?site=${state.site}&lang=${state.lang}`;
  };
  $("product").onchange = () => {
    state.product = ($("product") as HTMLSelectElement).value;
    refresh();
  };
  $("year").oninput = () => {
    state.year = dates()[Number(($("year") as HTMLInputElement).value)];
    refresh();
  };
  $("play").onclick = () => {
    if (timer) {
      clearInterval(timer);
      timer = undefined;
    } else
      timer = window.setInterval(() => {
        const ds = dates();
        state.year = ds[(ds.indexOf(state.year!) + 1) % ds.length];
        refresh();
      }, 1500);
    applyLanguage();
  };
  $("lang").onclick = () => {
    state.lang = state.lang === "en" ? "zh" : "en";
    applyLanguage();
    refresh();
  };
  $("swipe").onchange = setupSwipe;
  $("swipe-a").onchange = () => {
    state.swipe = [($("swipe-a") as HTMLSelectElement).value, state.swipe![1]];
    refresh();
  };
  $("swipe-b").onchange = () => {
    state.swipe = [state.swipe![0], ($("swipe-b") as HTMLSelectElement).value];
    refresh();
  };
  $("basemap").onchange = refresh;
  $("draw").onclick = () => {
    drawing = [];
    showDrawing(mapA, []);
  };
  $("finish").onclick = () => void finishPolygon();
  $("csv").onclick = () => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([lastCsv], { type: "text/csv" }));
    a.download = `reewatch-${state.site}-${state.product}.csv`;
    a.click();
  };
  const divider = $("divider");
  divider.onpointerdown = (e) => {
    divider.setPointerCapture(e.pointerId);
    divider.onpointermove = (m) => clip(Math.min(100, Math.max(0, (100 * m.clientX - $("maps").getBoundingClientRect().left * 100) / $("maps").clientWidth)));
  };
  divider.onpointerup = () => (divider.onpointermove = null);
  mapA.on("click", (e) => void onMapClick(e.lngLat.lng, e.lngLat.lat));
  mapA.on("moveend", () => {
    const c = mapA.getCenter();
    state.map = [mapA.getZoom(), c.lat, c.lng];
    writeState(state);
  });
}

async function main(): Promise<void> {
  sites = await loadSites();
  if (!sites.find((s) => s.key === state.site)) state.site = sites[0]!.key;
  mapA = createMap("map-a", site());
  if (state.map) mapA.jumpTo({ zoom: state.map[0], center: [state.map[2], state.map[1]] });
  (window as unknown as { reewatch: unknown }).reewatch = { mapA: () => mapA, mapB: () => mapB, state };
  bind();
  applyLanguage();
  if (state.swipe) $<HTMLInputElement>("swipe").checked = true;
  mapA.on("load", () => {
    refresh();
    if (state.swipe) setupSwipe();
    void renderProvenance(site());
    document.body.dataset.ready = "1";
  });
}

void main();
