/** Plain-language explainers per product: what it shows and what it cannot tell (data in i18n/explainers.json). */

import { fill, h } from "./dom.ts";
import table from "./i18n/explainers.json";
import { type Bilingual, pick, t } from "./i18n.ts";

export type Group = "imagery" | "index" | "change";

interface Entry {
  group: Group;
  name: Bilingual;
  what: Bilingual;
  limits: Bilingual;
  classes?: Record<string, Bilingual>;
}

const TABLE = table as Record<string, Entry>;
const entry = (key: string): Entry => TABLE[key] ?? TABLE.default!;

/** Short product name for pickers; the server's label when reewatch has no explainer for the product. */
export function productName(key: string, serverLabel: Partial<Bilingual>): string {
  return pick(TABLE[key]?.name) || pick(serverLabel, key);
}

/** The name without its parenthesis, for table headers and axes ("NDVI (greenness)" -> "NDVI"). */
export function shortName(key: string, serverLabel: Partial<Bilingual>): string {
  return productName(key, serverLabel).replace(/\s*[(（].*$/, "");
}

export function productGroup(key: string): Group {
  return entry(key).group;
}

export function explain(key: string): { what: string; limits: string } {
  const e = entry(key);
  return { what: pick(e.what), limits: pick(e.limits) };
}

export function renderExplainer(el: HTMLElement, key: string): void {
  const ex = explain(key);
  fill(el, h("p", {}, h("b", {}, `${t("whatItShows")} `), ex.what), h("p", { class: "limits" }, h("b", {}, `${t("whatItCannot")} `), ex.limits));
}

/** Class labels specific to one product (e.g. the pair map's "undisturbed"), overriding the colour map's. */
export function classLabel(key: string, value: number): string | undefined {
  const c = TABLE[key]?.classes?.[String(value)];
  return c ? pick(c) : undefined;
}

/** Whether every product in the table has both languages (for the test). */
export function incompleteEntries(): string[] {
  return Object.entries(TABLE)
    .filter(([k, e]) => [e.what, e.limits, ...(k === "default" ? [] : [e.name])].some((b) => !b.en || !b.zh))
    .map(([k]) => k);
}
