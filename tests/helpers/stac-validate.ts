/**
 * Offline STAC validation with ajv against the official JSON schemas mirrored in
 * ../shared/stac-schemas (STAC 1.1.0 and the extension versions reewatch declares; a URL
 * `https://HOST/PATH` is stored at `HOST/PATH`). Each document is checked against the core schema
 * of its type and the schema of every extension it declares; an extension schema that is not in
 * the mirror is an error, not a skip. Tests using it skip loudly when the mirror is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { ROOT } from "./cli.ts";

const CANDIDATES = [process.env.REEWATCH_STAC_SCHEMAS, resolve(ROOT, "../shared/stac-schemas")].filter((p): p is string => !!p);
export const SCHEMAS_DIR = CANDIDATES.find((p) => existsSync(join(p, "schemas.stacspec.org")));
export const hasStacSchemas = !!SCHEMAS_DIR;
if (!hasStacSchemas) console.warn(`STAC schemas not found (${CANDIDATES.join(", ")}): STAC validation is SKIPPED`);

const CORE = "https://schemas.stacspec.org/v1.1.0";
const CORE_SCHEMA = {
  Feature: `${CORE}/item-spec/json-schema/item.json`,
  Collection: `${CORE}/collection-spec/json-schema/collection.json`,
  Catalog: `${CORE}/catalog-spec/json-schema/catalog.json`,
} as const;

let ajv: Ajv | undefined;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith(".json") ? [p] : [];
  });
}

/** Every mirrored schema, registered under the URL its path stands for (its `$id` may differ: common.json's has a typo). */
function validator(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  // ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
  (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
  // STAC 1.1 uses draft 2019 IRI formats that ajv-formats lacks: an IRI is a URI that may hold non-ASCII characters.
  ajv.addFormat("iri", (v: string) => URL.canParse(v));
  ajv.addFormat("iri-reference", (v: string) => !/\s/.test(v));
  for (const p of files(SCHEMAS_DIR!)) {
    const rel = relative(SCHEMAS_DIR!, p);
    if (rel.startsWith("LICENSES")) continue;
    const schema = JSON.parse(readFileSync(p, "utf8"));
    ajv.addSchema({ ...schema, $id: `https://${rel.split("\\").join("/")}` });
  }
  return ajv;
}

function compiled(url: string): ValidateFunction | string {
  const v = validator().getSchema(url.replace(/#$/, ""));
  return v ?? `schema-missing: ${url} is not in ${SCHEMAS_DIR}`;
}

/** The problems of one STAC document ([] when it validates): "schema: path message". */
export function stacProblems(doc: { type?: string; stac_extensions?: string[] }): string[] {
  const core = CORE_SCHEMA[doc.type as keyof typeof CORE_SCHEMA];
  if (!core) return [`type "${doc.type}" is not Feature, Collection or Catalog`];
  const out: string[] = [];
  for (const url of [core, ...(doc.stac_extensions ?? [])]) {
    const v = compiled(url);
    if (typeof v === "string") {
      out.push(v);
      continue;
    }
    if (!v(doc)) for (const e of v.errors ?? []) out.push(`${url.split("/").slice(-3).join("/")}: ${e.instancePath || "/"} ${e.message}`);
  }
  return [...new Set(out)];
}

/** Every STAC document under `dir` (JSON files with a stac_version), with its problems. */
export function validateTree(dir: string): { file: string; problems: string[] }[] {
  return files(dir)
    .map((file) => ({ file, doc: JSON.parse(readFileSync(file, "utf8")) }))
    .filter(({ doc }) => typeof doc?.stac_version === "string")
    .map(({ file, doc }) => ({ file: relative(dir, file), problems: stacProblems(doc) }));
}
