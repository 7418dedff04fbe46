/**
 * Every STAC document reewatch writes validates against the official STAC 1.1 schemas and the
 * schema of every extension it declares (ajv, offline, ../shared/stac-schemas), and follows the
 * best-practice layout of a self-contained catalog: items name their collection and link root,
 * parent and collection by relative hrefs; every href (links, assets) is relative and resolves from
 * the file that holds it; collection extents cover their items; licences are SPDX identifiers.
 * Run on a SIMULATED annual site run, the real Brumadinho pair, `change` and `recovery` on the BC
 * composites, and `indices` on the Sentinel-2 clip.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reewatchSteps, sampleSiteSteps } from "./helpers/cli.ts";
import { hasStacSchemas, validateTree } from "./helpers/stac-validate.ts";

const root = mkdtempSync(join(tmpdir(), "reewatch-stac-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BC = "samples/landsat-annual-bc-wildfire-2002-2011";
const OUTPUTS = ["bayan-obo", "brumadinho", "change", "recovery", "indices"];

beforeAll(() => {
  reewatchSteps([
    ...sampleSiteSteps(root),
    ["change", "--composites", BC, "--index", "nbr", "--out", join(root, "change")],
    [
      "recovery",
      "--composites",
      BC,
      "--polygon",
      `${BC}/bc06_wildfire_restoration_site.geojson`,
      "--disturbance-year",
      "2005",
      "--restoration-year",
      "2006",
      "--historic",
      "2003-2005",
      "--out",
      join(root, "recovery"),
    ],
    ["indices", "samples/sentinel2-l2a-29RKH-100m", "--out", join(root, "indices")],
  ]);
}, 300_000);

type Doc = Record<string, any>;
const read = (p: string): Doc => JSON.parse(readFileSync(p, "utf8"));

/** Best-practice problems of one document (see the file comment). */
function layoutProblems(file: string, doc: Doc): string[] {
  const out: string[] = [];
  const hrefs = [
    ...(doc.links ?? []).map((l: Doc) => [`link ${l.rel}`, l.href]),
    ...Object.entries<Doc>(doc.assets ?? {}).map(([k, a]) => [`asset ${k}`, a.href]),
  ];
  for (const [what, href] of hrefs) {
    if (/^https?:/.test(href)) continue;
    if (isAbsolute(href)) out.push(`${what}: absolute href ${href}`);
    else if (!existsSync(resolve(dirname(file), href))) out.push(`${what}: ${href} does not resolve`);
  }
  const rels = (doc.links ?? []).map((l: Doc) => l.rel);
  if (!rels.includes("root")) out.push("no root link");
  if (doc.type !== "Catalog" && !rels.includes("parent")) out.push("no parent link");
  if (doc.type === "Feature") {
    const parent = read(resolve(dirname(file), doc.links.find((l: Doc) => l.rel === "parent").href));
    if (parent.type === "Collection") {
      if (doc.collection !== parent.id) out.push(`collection "${doc.collection}" is not its parent's id "${parent.id}"`);
      if (!rels.includes("collection")) out.push("no collection link");
    }
  }
  if (doc.type === "Collection") {
    if (!/^[A-Za-z0-9.+-]+$/.test(doc.license) || ["various", "proprietary"].includes(doc.license))
      out.push(`licence "${doc.license}" is not an SPDX identifier`);
    const [lo, hi] = doc.extent.temporal.interval[0];
    for (const l of doc.links.filter((k: Doc) => k.rel === "item")) {
      const p = read(resolve(dirname(file), l.href)).properties;
      const [s, e] = [p.start_datetime ?? p.datetime, p.end_datetime ?? p.datetime];
      if (Date.parse(s) < Date.parse(lo) || Date.parse(e) > Date.parse(hi)) out.push(`item ${l.href} (${s}..${e}) outside the extent ${lo}..${hi}`);
    }
    if (!doc.item_assets) out.push("no item_assets");
  }
  return out;
}

describe.skipIf(!hasStacSchemas)("STAC output validates (official schemas, offline) and keeps the best-practice layout", () => {
  it.each(OUTPUTS)("%s", (name) => {
    const dir = join(root, name);
    const report = validateTree(dir);
    expect(report.length).toBeGreaterThan(1);
    const problems = report.flatMap(({ file, problems }) =>
      [...problems, ...layoutProblems(join(dir, file), read(join(dir, file)))].map((p) => `${file}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it("catches what it is meant to catch: an absolute href, a missing collection link, a bad date", () => {
    const item = read(join(root, "bayan-obo", "change", "change.json"));
    const broken = { ...item, properties: { ...item.properties, start_datetime: "2016-13-01" }, links: item.links.filter((l: Doc) => l.rel !== "collection") };
    broken.links.push({ rel: "derived_from", href: "/nowhere/scene.json" });
    const file = join(root, "bayan-obo", "change", "change.json");
    expect(layoutProblems(file, broken)).toEqual(expect.arrayContaining(["link derived_from: absolute href /nowhere/scene.json", "no collection link"]));
  });
});
