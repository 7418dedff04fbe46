/**
 * Input generators shared by the fuzz targets: structure-aware mutations of a valid document
 * (a value replaced by one of the wrong type, a key dropped or added), hostile values (NaN,
 * huge numbers, deep nesting, huge arrays, odd unicode) and raw noise (arbitrary text,
 * truncations and byte flips of a valid file).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { endsCleanly } from "./fuzz-runs.ts";

type Json = unknown;

/** A value nested `depth` arrays deep (recursive readers overflow the stack on these). */
export const deepArray = (depth: number, leaf: Json = 0): Json => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Values a parser must survive in place of any field. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    undefined,
    true,
    0,
    -0,
    -1,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    "",
    " ",
    "\n",
    "a\r\nb",
    "\u2028",
    "NaN",
    "1e999",
    "__proto__",
    "\u0000",
    "\uD800",
    "💥".repeat(50),
    [],
    {},
    [[]],
    [null],
    { __proto__: null },
    { type: "Polygon" },
    deepArray(1000),
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.double(),
  fc.array(fc.double(), { maxLength: 8 }),
);

/** JSON text of a generated value ("" for undefined); values nested too deep for JSON.stringify give deep text. */
export function toText(v: Json): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return `${"[".repeat(100_000)}0${"]".repeat(100_000)}`;
  }
}

/** Every path (keys and indices) of a JSON value, the root included, capped so huge documents stay cheap. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = [], cap = 2000): (string | number)[][] {
  if (out.length >= cap) return out;
  out.push(prefix);
  if (Array.isArray(v)) for (let i = 0; i < v.length && out.length < cap; i++) paths(v[i], [...prefix, i], out, cap);
  else if (v && typeof v === "object") for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...prefix, k], out, cap);
  return out;
}

type Mutation = { at: number; op: "set" | "delete" | "add" | "wrap" | "dup"; value: Json; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("set", "set", "set", "delete", "add", "wrap", "dup"),
  value: hostileValue,
  key: fc.oneof(fc.constantFrom("type", "coordinates", "features", "id", "__proto__", "constructor", "links", "properties"), fc.string({ maxLength: 8 })),
});

function applyMutation(doc: Json, m: Mutation): Json {
  const all = paths(doc);
  const path = all[m.at % all.length]!;
  if (path.length === 0) return m.op === "wrap" ? [doc] : m.op === "set" ? m.value : doc;
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], doc) as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (m.op === "set") parent[last] = m.value;
  else if (m.op === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.op === "add") {
    const target = parent[last];
    if (Array.isArray(target)) target.push(m.value);
    else if (target && typeof target === "object")
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else parent[last] = m.value;
  } else if (m.op === "wrap") parent[last] = [parent[last]];
  else if (Array.isArray(parent)) parent.push(structuredClone(parent[last]));
  return doc;
}

/** A seed document with 1 to 4 mutations at random places. */
export function mutatedJson(seeds: Json[]): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, ms]) => ms.reduce((doc, m) => applyMutation(doc, m), structuredClone(seed)));
}

/** Texts nested 100,000 deep or 200,000 characters of brackets: each target reads these once (they are slow to make per case). */
export const DEEP_TEXTS = [`${"[".repeat(100_000)}0${"]".repeat(100_000)}`, `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`, "[".repeat(100_000)];

/** Text noise around a valid file: truncations, byte flips, insertions, arbitrary text and bytes. */
export function noisyText(seeds: string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds);
  return fc.oneof(
    fc.tuple(seed, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    fc.tuple(seed, fc.nat(), fc.string({ unit: "binary", maxLength: 8 })).map(([s, n, ins]) => {
      const at = n % (s.length + 1);
      return s.slice(0, at) + ins + s.slice(at);
    }),
    fc.tuple(seed, fc.nat(), fc.nat({ max: 64 })).map(([s, n, len]) => {
      const at = n % (s.length + 1);
      return s.slice(0, at) + s.slice(at + len);
    }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("utf8")),
    fc.json({ maxDepth: 4 }),
  );
}

/**
 * The rule every fuzz case checks: `parse` ends in a result or a named reewatch error (endsCleanly
 * rethrows anything else), and within `ms` (a hang or an O(n^2) blow-up fails the case even when
 * the parser is synchronous and no timer could interrupt it).
 */
export async function endsCleanlyWithin(ms: number, parse: () => unknown): Promise<void> {
  const t0 = performance.now();
  await endsCleanly(parse);
  expect(performance.now() - t0, `case took longer than ${ms} ms`).toBeLessThan(ms);
}

/** A closed ring of `n` vertices on a circle (a valid, simple polygon), in lon/lat. */
export function circleRing(n: number, cx = 110, cy = 41.8, r = 0.01): number[][] {
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    ring.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  ring.push([...ring[0]!]);
  return ring;
}

/** Hostile rings: unclosed, self-intersecting (bow tie), too short, out of range, projected (UTM) numbers. */
export const hostileRing: fc.Arbitrary<Json> = fc.oneof(
  fc.constant([
    [0, 0],
    [1, 1],
    [1, 0],
    [0, 1],
    [0, 0],
  ]),
  fc.constant([
    [0, 0],
    [1, 0],
    [1, 1],
  ]),
  fc.constant([
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ]),
  fc.constant([
    [500000, 4600000],
    [501000, 4600000],
    [501000, 4601000],
    [500000, 4600000],
  ]),
  fc.constant([
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ]),
  fc
    .array(fc.tuple(fc.double({ min: -200, max: 200 }), fc.double({ min: -100, max: 100 })), { minLength: 0, maxLength: 12 })
    .map((r) => (r.length ? [...r, r[0]] : r)),
  fc.array(fc.array(hostileValue, { maxLength: 3 }), { maxLength: 6 }),
);
