/**
 * reewatch viewer: loads the sites, builds the map and wires the panel (site, layer, year, swipe,
 * pixel and polygon queries, claims, provenance, language). The whole view follows `state`, which
 * the URL keeps (state-url.ts); `render()` brings the screen in line with it. Labelling mode
 * (labelling.ts) takes the panel's place when entered from its button or `#label=<site>`.
 */
import type { Feature, Polygon } from "geojson";
import type { Map as MlMap } from "maplibre-gl";
import { isStatic, loadSites, type Product, type Site } from "./api.ts";
import { renderClaims } from "./claims-panel.ts";
import { csvName, download } from "./csv.ts";
import { $ } from "./dom.ts";
import { PolygonDrawer } from "./draw-polygon.ts";
import { productName, renderExplainer } from "./explainers.ts";
import { applyStatic, setLang, t } from "./i18n.ts";
import { captureToken } from "./label-api.ts";
import { Labelling } from "./labelling.ts";
import { addOverlays, setOverlay, showView } from "./layers.ts";
import { renderLegend, renderOutlineKey } from "./legend.ts";
import { createMap, loaded } from "./map.ts";
import { defaultProduct, fillDates, fillProducts, fillSites } from "./pickers.ts";
import { queryPixel } from "./pixel-query.ts";
import { renderProvenance } from "./provenance-panel.ts";
import { bindResults, closeResults } from "./results.ts";
import { readState, writeState } from "./state-url.ts";
import { Swipe } from "./swipe.ts";
import { recordTimelapse } from "./timelapse.ts";
import { YearSlider } from "./year-slider.ts";
import { queryZonal } from "./zonal-query.ts";
import { zoneHover } from "./zone-hover.ts";
import "./styles.css";

const state = readState(location.search);
let sites: Site[] = [];
let site: Site;
let mapA: MlMap;
let swipe: Swipe;
let slider: YearSlider;
let drawer: PolygonDrawer;
let labelling: Labelling;
let drawn: Feature[] = [];
let pixel: Feature[] = [];
/** The last pixel or polygon asked about, asked again when the layer or the language changes. */
let lastQuery: { lon: number; lat: number } | Polygon | null = null;

const product = (): Product => site.products.find((p) => p.key === state.product) ?? defaultProduct(site);
const dates = (): string[] => product().dates;
const maps = (): MlMap[] => [mapA, swipe.right].filter((m): m is MlMap => !!m);
const attribution = () => (site.simulated ? "SIMULATED data (reewatch simulate)" : "Contains modified Copernicus Sentinel / USGS Landsat data");

/** Keeps year and swipe years valid for the shown product. */
function normalise(): void {
  const p = product();
  state.product = p.key;
  if (!state.year || !p.dates.includes(state.year)) state.year = p.dates.at(-1);
  if (state.swipe && !state.swipe.every((d) => p.dates.includes(d))) state.swipe = [p.dates[0]!, p.dates.at(-1)!];
  if (state.swipe) state.year = state.swipe[0];
}

function render(): void {
  if (state.swipe && dates().length < 2) {
    delete state.swipe;
    swipe.disable();
  }
  normalise();
  const p = product();
  slider.set(p.dates, state.year!);
  renderLegend($("legend"), p);
  renderExplainer($("explainer"), p.key);
  $("opacity-box").hidden = p.kind === "rgb";
  $<HTMLInputElement>("opacity").value = String(state.opacity);
  renderSwipeControls(p);
  const [left, right] = state.swipe ?? [state.year!, state.year!];
  $("badge-a").textContent = `${productName(p.key, p.label)} · ${left === "-" ? t("allYears") : left}${swipe.on ? " ◀" : ""}`;
  $("badge-b").textContent = `▶ ${right}`;
  const view = { site, product: p, osm: state.osm, opacity: state.opacity };
  showView(mapA, { ...view, date: left }, attribution());
  if (swipe.right) showView(swipe.right, { ...view, date: right }, attribution());
  void renderProvenance($("provenance"), site, p, left);
  writeState(state);
}

function renderSwipeControls(p: Product): void {
  const comparable = p.dates.length > 1;
  const box = $<HTMLInputElement>("swipe");
  box.disabled = !comparable;
  box.checked = !!state.swipe;
  $("swipe-note").hidden = comparable;
  $("swipe-note").textContent = t("swipeNeedsDates");
  $("swipe-years").hidden = !state.swipe;
  if (state.swipe) {
    fillDates($("swipe-a"), p.dates, state.swipe[0]);
    fillDates($("swipe-b"), p.dates, state.swipe[1]);
  }
}

/** Static texts, pickers and panels in the current language. */
function renderTexts(): void {
  applyStatic();
  const other = state.lang === "en" ? "zh" : "en";
  $("lang").textContent = other === "zh" ? "中文" : "English";
  $("lang").setAttribute("lang", other === "zh" ? "zh-CN" : "en");
  $("lang").setAttribute("aria-label", t("switchLanguage"));
  fillSites($("site"), sites, site.key);
  fillProducts($("product"), site.products, product().key);
  renderSiteInfo();
  renderClaims($("claims"), site.claims, site.simulated);
  renderOutlineKey($("outline-key"));
  slider.label();
  drawer.label();
  labelling.render();
}

function renderSiteInfo(): void {
  const years = site.dates.length > 1 ? `${site.dates[0]} – ${site.dates.at(-1)}` : (site.dates[0] ?? "");
  $("site-info").textContent = `${t(site.simulated ? "siteSimulated" : "siteObserved")} · ${years}${isStatic() ? ` · ${t("staticMode")}` : ""}`;
  $("sim-banner").hidden = !site.simulated;
  $("sim-stamp").hidden = !site.simulated;
  document.body.classList.toggle("simulated", site.simulated);
}

function setOverlays(): void {
  for (const m of maps()) {
    setOverlay(m, "drawn", drawn);
    setOverlay(m, "pixel", pixel);
  }
}

/** Overlays and the site's outlines on a freshly loaded map. */
function setupMap(m: MlMap): void {
  addOverlays(m);
  setOverlay(m, "zones", site.zones.features);
  setOverlay(m, "drawn", drawn);
  setOverlay(m, "pixel", pixel);
  if (m !== mapA) render();
}

function ask(q: typeof lastQuery): void {
  lastQuery = q;
  if (!q) return;
  if ("lon" in q) void queryPixel(site, product(), q.lon, q.lat);
  else void queryZonal(site, product(), q);
}

function clearQuery(): void {
  lastQuery = null;
  drawn = [];
  pixel = [];
  setOverlays();
  closeResults();
}

function selectSite(key: string, fit: boolean): void {
  site = sites.find((s) => s.key === key) ?? sites[0]!;
  state.site = site.key;
  if (!site.products.some((p) => p.key === state.product)) state.product = defaultProduct(site).key;
  for (const m of [mapA, swipe.created]) if (m) setOverlay(m, "zones", site.zones.features);
  if (fit) mapA.fitBounds(site.bbox, { padding: 30, animate: false });
  renderTexts();
  render();
  void labelling.offer(site);
}

async function setSwipe(on: boolean): Promise<void> {
  if (!on) {
    delete state.swipe;
    swipe.disable();
    render();
    return;
  }
  const ds = dates();
  const left = state.year && state.year !== ds.at(-1) ? state.year : ds[0]!;
  state.swipe ??= [left, ds.at(-1)!];
  await swipe.enable();
  setOverlays();
  render();
}

function bindPanel(): void {
  $<HTMLSelectElement>("site").addEventListener("change", (e) => {
    clearQuery();
    delete state.swipe;
    swipe.disable();
    state.year = undefined;
    selectSite((e.target as HTMLSelectElement).value, true);
  });
  $<HTMLSelectElement>("product").addEventListener("change", (e) => {
    state.product = (e.target as HTMLSelectElement).value;
    render();
    ask(lastQuery);
  });
  $<HTMLInputElement>("opacity").addEventListener("input", (e) => {
    state.opacity = Number((e.target as HTMLInputElement).value);
    render();
  });
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "en" ? "zh" : "en";
    setLang(state.lang);
    renderTexts();
    render();
    ask(lastQuery);
  });
  $<HTMLInputElement>("swipe").addEventListener("change", (e) => void setSwipe((e.target as HTMLInputElement).checked));
  for (const [id, i] of [
    ["swipe-a", 0],
    ["swipe-b", 1],
  ] as const)
    $<HTMLSelectElement>(id).addEventListener("change", (e) => {
      state.swipe![i] = (e.target as HTMLSelectElement).value;
      render();
    });
  $<HTMLInputElement>("osm").addEventListener("change", (e) => {
    state.osm = (e.target as HTMLInputElement).checked;
    render();
  });
  $("timelapse").addEventListener("click", () => void recordGif());
  bindResults(clearQuery);
}

function askPixel(lng: number, lat: number): void {
  drawn = [];
  pixel = [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [lng, lat] } }];
  setOverlays();
  ask({ lon: lng, lat });
}

function bindMap(): void {
  mapA.on("click", (e) => drawer.drawing || askPixel(e.lngLat.lng, e.lngLat.lat));
  // Keyboard: the focused map pans with the arrows, zooms with +/-, and Enter charts the pixel at its centre.
  mapA.getCanvas().addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || drawer.drawing) return;
    const c = mapA.getCenter();
    askPixel(c.lng, c.lat);
  });
  mapA.on("moveend", () => {
    const c = mapA.getCenter();
    state.map = [mapA.getZoom(), c.lat, c.lng];
    writeState(state);
  });
  zoneHover(mapA, () => !drawer.drawing);
}

function setYear(date: string): void {
  if (state.swipe) state.swipe[0] = date;
  state.year = date;
  render();
}

/** Plays every date of the shown layer over the current view into a GIF download, then returns to the shown year. */
async function recordGif(): Promise<void> {
  const p = product();
  const button = $<HTMLButtonElement>("timelapse");
  if (p.dates.length < 2 || button.disabled) return;
  slider.stop();
  const shown = state.year!;
  button.disabled = true;
  try {
    const gif = await recordTimelapse({
      map: mapA,
      dates: p.dates,
      show: setYear,
      caption: `${productName(p.key, p.label)} · ${site.name[state.lang]}`,
      simulated: site.simulated,
      attribution: attribution(),
      progress: (done, total) => {
        button.textContent = t("recording", { done, total });
      },
    });
    download(csvName([site.key, p.key, p.dates[0]!, p.dates.at(-1)!], site.simulated, "gif"), gif);
  } finally {
    button.disabled = false;
    button.textContent = t("timelapse");
    setYear(shown);
  }
}

/** Labelling mode's map: the true colour (never the class map: the labelling is blind) around the point. */
function labellingHost(): ConstructorParameters<typeof Labelling>[0] {
  return {
    site: () => site,
    selectSite: (key) => {
      if (key === site.key) return;
      clearQuery();
      state.year = undefined;
      selectSite(key, true);
    },
    showPoint: (p, date) => {
      if (state.swipe) void setSwipe(false);
      state.product = site.products.some((q) => q.key === "truecolor") ? "truecolor" : site.changeIndex;
      state.year = date;
      drawn = [];
      pixel = [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [p.lon, p.lat] } }];
      setOverlays();
      mapA.jumpTo({ center: [p.lon, p.lat], zoom: Math.max(mapA.getZoom(), 14) });
      render();
    },
    layout: () => {
      for (const m of maps()) m.resize();
    },
  };
}

function onDrawn(features: Feature[]): void {
  drawn = features;
  if (features.length) pixel = [];
  setOverlays();
}

async function main(): Promise<void> {
  captureToken();
  setLang(state.lang);
  applyStatic();
  try {
    sites = await loadSites();
    if (!sites.length) throw new Error("no sites");
  } catch (e) {
    $("fatal").hidden = false;
    $("fatal").textContent = `${t("loadFailed")} (${(e as Error).message})`;
    return;
  }
  site = sites.find((s) => s.key === state.site) ?? sites[0]!;
  const [zoom, lat, lon] = state.map ?? [site.zoom, site.center[1], site.center[0]];
  mapA = createMap("map-a", [lon, lat], zoom, true);
  swipe = new Swipe(mapA, setupMap);
  slider = new YearSlider(setYear);
  drawer = new PolygonDrawer(mapA, onDrawn, (polygon) => {
    pixel = [];
    setOverlays();
    ask(polygon);
  });
  labelling = new Labelling(labellingHost());
  (window as unknown as { reewatch: unknown }).reewatch = { mapA: () => mapA, mapB: () => swipe.right, state };
  $<HTMLInputElement>("osm").checked = state.osm;
  bindPanel();
  bindMap();
  await loaded(mapA);
  setupMap(mapA);
  selectSite(site.key, !state.map);
  if (state.swipe) await setSwipe(true);
  const label = Labelling.requested();
  if (label && sites.some((s) => s.key === label)) await labelling.enter(label);
  document.body.dataset.ready = "1";
}

void main();
