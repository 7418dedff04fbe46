/**
 * Provenance of what is on screen: the COG and STAC item behind the shown product and date (season
 * window, compositing rule, masked fraction, the scenes used) and the run record (software version,
 * command, parameters, inputs with checksums, timings, warnings), from the run.json the API links.
 */
import { isStatic, type Product, runFile, type Site, url } from "./api.ts";
import { fill, h } from "./dom.ts";
import { getLang, t } from "./i18n.ts";

interface RunRecord {
  software?: { name?: string; version?: string; node?: string };
  command?: string;
  parameters?: Record<string, unknown>;
  inputs?: { id: string; sha256?: string; role?: string }[];
  started?: string;
  ended?: string;
  warnings?: string[];
}

type Item = { properties: Record<string, unknown> };

/** The RSEI model a composite item records (`reewatch:rsei`, pipeline/src/run/site-composites.ts). */
interface RseiRecord {
  components?: string[];
  loadings?: number[];
  baseline_loadings?: number[];
  pc1_variance_share?: number;
  baseline_year?: number;
}

/** The COG and STAC item of a product and date inside the run directory, as the server read them from the run's catalog. */
export function productFiles(p: Product, date: string): { cog: string; item: string } | null {
  return p.files?.[date] ?? null;
}

const cache = new Map<string, Promise<unknown>>();
const cached = <T>(path: string) => {
  if (!cache.has(path)) cache.set(path, runFile<T>(path));
  return cache.get(path) as Promise<T | null>;
};

const row = (k: string, v: Node | string) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v));
const link = (path: string, text: string) => h("a", { href: url(path), target: "_blank", rel: "noopener" }, text);

/** RSEI components, loadings and PC1 share (Xu 2013), as recorded in the composite's item. */
function rseiFact(r: RseiRecord | null | undefined, fixed: boolean): HTMLElement | null {
  if (!r?.components) return null;
  const loadings = (fixed ? r.baseline_loadings : r.loadings) ?? [];
  const text = r.components.map((c: string, i: number) => `${c} ${Number(loadings[i]).toFixed(3)}`).join(", ");
  const share = typeof r.pc1_variance_share === "number" ? `; PC1 ${(r.pc1_variance_share * 100).toFixed(1)} %` : "";
  return row(t("provRsei"), `${text}${share}${fixed ? ` (${t("provBaseline", { year: String(r.baseline_year) })})` : ""}`);
}

function itemFacts(item: Item | null, product: string): HTMLElement[] {
  const p = item?.properties;
  if (!p) return [];
  const obs = (p["reewatch:observations"] ?? []) as { id: string; datetime: string; masked_fraction?: number }[];
  const window = p.start_datetime ? `${String(p.start_datetime).slice(0, 10)} → ${String(p.end_datetime).slice(0, 10)}` : "";
  return [
    p["reewatch:simulated"] ? row(t("provData"), h("b", {}, "SIMULATED")) : null,
    window ? row(t("provWindow"), window) : null,
    p["reewatch:reducer"] ? row(t("provReducer"), String(p["reewatch:reducer"])) : null,
    typeof p["reewatch:masked_fraction"] === "number" ? row(t("provMasked"), `${(p["reewatch:masked_fraction"] * 100).toFixed(1)} %`) : null,
    obs.length
      ? row(
          t("provScenes"),
          h("details", {}, h("summary", {}, String(obs.length)), h("ul", {}, ...obs.map((o) => h("li", {}, `${o.datetime.slice(0, 10)} ${o.id}`)))),
        )
      : null,
    product.startsWith("rsei") ? rseiFact(p["reewatch:rsei"] as RseiRecord | null | undefined, product === "rsei_fixed") : null,
    p["reewatch:rules"] ? row(t("provRules"), h("details", {}, h("summary", {}, t("show")), String(p["reewatch:rules"]))) : null,
  ].filter((x): x is HTMLTableRowElement => x !== null);
}

function runFacts(run: RunRecord | null): HTMLElement[] {
  if (!run) return [row(t("provRun"), t("provMissing"))];
  const inputs = run.inputs ?? [];
  const params = Object.entries(run.parameters ?? {}).map(([k, v]) => `${k} = ${typeof v === "object" ? JSON.stringify(v) : v}`);
  const secs = run.started && run.ended ? (Date.parse(run.ended) - Date.parse(run.started)) / 1000 : null;
  return [
    row(t("provSoftware"), `${run.software?.name ?? "reewatch"} ${run.software?.version ?? "?"}${run.software?.node ? ` (Node ${run.software.node})` : ""}`),
    run.command ? row(t("provCommand"), h("code", {}, `reewatch ${run.command}`)) : null,
    params.length ? row(t("provParameters"), h("ul", { class: "plain" }, ...params.map((p) => h("li", {}, h("code", {}, p))))) : null,
    row(
      t("provInputs"),
      h(
        "details",
        {},
        h("summary", {}, String(inputs.length)),
        h(
          "ul",
          { class: "plain mono" },
          ...inputs.slice(0, 200).map((i) => h("li", { title: i.sha256 ?? "" }, `${i.id}  sha256 ${(i.sha256 ?? "?").slice(0, 12)}…`)),
        ),
      ),
    ),
    run.started ? row(t("provTime"), `${run.started}${secs !== null ? ` (${secs.toFixed(1)} s)` : ""}`) : null,
    row(t("provWarnings"), run.warnings?.length ? h("ul", { class: "plain warn" }, ...run.warnings.map((w) => h("li", {}, w))) : t("none")),
  ].filter((x): x is HTMLTableRowElement => x !== null);
}

let serial = 0;
let shown = "";

export async function renderProvenance(el: HTMLElement, site: Site, p: Product, date: string): Promise<void> {
  const key = `${site.key}/${p.key}/${date}/${getLang()}`;
  if (key === shown) return; // unchanged: keep what the reader has opened
  shown = key;
  const id = ++serial;
  const base = `stac/${site.key}/`;
  const files = productFiles(p, date);
  const [run, item] = await Promise.all([cached<RunRecord>(site.provenance.run), !files ? null : cached<Item>(base + files.item)]);
  if (id !== serial) return;
  const file = !files ? h("code", {}, "?") : link(base + files.cog, files.cog);
  fill(
    el,
    h("h3", {}, t("provShown")),
    h("table", { class: "facts" }, h("tbody", {}, row(t("provFile"), file), ...itemFacts(item, p.key))),
    h("h3", {}, t("provRunTitle")),
    h("table", { class: "facts" }, h("tbody", {}, ...runFacts(run))),
    h(
      "p",
      { class: "links" },
      link(site.provenance.run, "run.json"),
      isStatic() ? null : " · ",
      isStatic() ? null : link(`${base}catalog.json`, t("provCatalog")),
    ),
  );
}
