/** The site and product pickers (products grouped: imagery, indices per year, change), and the swipe's date pickers. */
import type { Product, Site } from "./api.ts";
import { fill, h } from "./dom.ts";
import { type Group, productGroup, productName } from "./explainers.ts";
import { pick, t } from "./i18n.ts";

const GROUPS: Group[] = ["imagery", "index", "change"];

export function fillSites(el: HTMLSelectElement, sites: Site[], current: string): void {
  fill(
    el,
    ...sites.map((s) => h("option", { value: s.key, selected: s.key === current }, `${pick(s.name, s.key)}${s.simulated ? ` — ${t("simulatedTag")}` : ""}`)),
  );
  el.value = current;
}

export function fillProducts(el: HTMLSelectElement, products: Product[], current: string): void {
  const groups = GROUPS.map((g) => {
    const ps = products.filter((p) => productGroup(p.key) === g);
    return ps.length ? h("optgroup", { label: t(`group_${g}`) }, ...ps.map((p) => h("option", { value: p.key }, productName(p.key, p.label)))) : null;
  });
  fill(el, ...groups);
  el.value = current;
}

export function fillDates(el: HTMLSelectElement, dates: string[], current: string): void {
  fill(el, ...dates.map((d) => h("option", { value: d }, d)));
  el.value = current;
}

/** The product a site opens with: the change classes when there are any, else NDVI, else the first. */
export function defaultProduct(site: Site): Product {
  return ["classes", "disturbed", "ndvi"].map((k) => site.products.find((p) => p.key === k)).find(Boolean) ?? site.products[0]!;
}
