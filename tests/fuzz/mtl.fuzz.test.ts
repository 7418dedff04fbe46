/**
 * Fuzzing of the Landsat MTL parser (pipeline/src/read/mtl.ts). Seeds: the sample scene's MTL.txt.
 * Each case edits it line by line (lines dropped, repeated, swapped, values replaced by hostile ones,
 * thousands of nested GROUPs, stray END_GROUPs, CR/LF mixes) or replaces it with noise, parses it,
 * looks values up and asks for the band grid. parseMtl and mtlValue must return; mtlGrid must return
 * a grid the corners span or a named one-line error naming the file. A round trip checks the parser
 * against a writer of the ODL layout.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Mtl, mtlGrid, mtlValue, parseMtl } from "../../pipeline/src/read/mtl.ts";
import { FUZZ_RUNS, fuzzParams, isNamedFailure } from "./fuzz-runs.ts";

const SAMPLE = new URL("../../samples/landsat8-c2l2-cloudy-5pct/LC08_L2SP_001062_20201031_20201106_02_T2_MTL.txt", import.meta.url).pathname;
const TEXT = readFileSync(SAMPLE, "utf8");
const LINES = TEXT.split("\n");
const WHERE = "fuzz_MTL.txt";
const [WIDTH, HEIGHT] = [7581, 7731];

const hostileValue = fc.oneof(
  fc.constantFrom(
    "",
    '""',
    '"',
    "0",
    "-0",
    "-1",
    "61",
    "20.5",
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "0x10",
    "  ",
    "\t",
    '"UTM"',
    '"PS"',
    "30.00",
    "0.0",
    "-30",
  ),
  fc.double().map(String),
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 20, unit: "binary" }),
);

const keyOf = (line: string) => /^\s*(\w+)\s*=/.exec(line)?.[1] ?? "";

type Edit =
  | { k: "value"; line: number; v: string }
  | { k: "drop"; line: number }
  | { k: "dup"; line: number; times: number }
  | { k: "swap"; a: number; b: number }
  | { k: "nest"; line: number; depth: number }
  | { k: "close"; line: number; times: number }
  | { k: "noise"; line: number; text: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant("value" as const), line: fc.nat(), v: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("drop" as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("dup" as const), line: fc.nat(), times: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("nest" as const),
      line: fc.nat(),
      depth: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.constant(12_000) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("close" as const), line: fc.nat(), times: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("noise" as const), line: fc.nat(), text: fc.string({ maxLength: 40, unit: "binary" }) }) },
);

/** Lines that matter to the grid are picked more often than the rest. */
const GRID_LINES = LINES.flatMap((l, i) => (/UTM_ZONE|GRID_CELL|CORNER_.*_PROJECTION|MAP_PROJECTION|GROUP = PROJECTION/.test(l) ? [i] : []));
const pick = (n: number, lines: string[]) => (n % 2 === 0 ? GRID_LINES[(n >> 1) % GRID_LINES.length]! : n % lines.length);

function applyEdits(edits: Edit[], crlf: boolean): string {
  const lines = [...LINES];
  for (const e of edits) {
    if (lines.length === 0) break;
    if (e.k === "value") {
      const i = pick(e.line, lines);
      lines[i] = `    ${keyOf(lines[i]!) || "KEY"} = ${e.v}`;
    } else if (e.k === "drop") lines.splice(pick(e.line, lines), 1);
    else if (e.k === "dup") lines.splice(pick(e.line, lines), 0, ...Array<string>(e.times).fill(lines[pick(e.line, lines)]!));
    else if (e.k === "swap") {
      const [a, b] = [pick(e.a, lines), pick(e.b, lines)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    } else if (e.k === "nest") lines.splice(pick(e.line, lines), 0, ...Array<string>(e.depth).fill("GROUP = PROJECTION_ATTRIBUTES_X"));
    else if (e.k === "close") lines.splice(pick(e.line, lines), 0, ...Array<string>(e.times).fill("END_GROUP = X"));
    else lines.splice(pick(e.line, lines), 0, e.text);
  }
  return lines.join(crlf ? "\r\n" : "\n");
}

/** Parses and uses `text` as landsat.ts does; throws what the parser threw if it was not a named error. */
function exercise(text: string, thermal: boolean): void {
  const mtl = parseMtl(text);
  for (const g of ["PROJECTION_ATTRIBUTES", "NO_SUCH_GROUP", "__proto__"])
    for (const k of ["UTM_ZONE", "toString"]) {
      const v = mtlValue(mtl, g, k);
      if (v !== undefined && typeof v !== "string") throw new Error(`mtlValue(${g}, ${k}) returned a ${typeof v}`);
    }
  try {
    const grid = mtlGrid(mtl, WIDTH, HEIGHT, thermal, WHERE);
    checkGrid(grid);
  } catch (err) {
    if (!isNamedFailure(err) || !(err as Error).message.includes(WHERE)) throw err;
  }
}

/** A grid that comes back is usable: a UTM zone, a finite north-up transform of positive cells, the file's size. */
function checkGrid(g: ReturnType<typeof mtlGrid>): void {
  const [a, b, , d, e] = g.transform;
  const zone = Number(g.crs.slice(5)) - 32600;
  const ok = /^EPSG:326\d\d$/.test(g.crs) && zone >= 1 && zone <= 60 && g.transform.every(Number.isFinite) && a > 0 && e === -a && b === 0 && d === 0;
  if (!ok || g.width !== WIDTH || g.height !== HEIGHT) throw new Error(`mtlGrid returned an unusable grid ${JSON.stringify(g)}`);
}

describe("MTL parser fuzz", () => {
  it("the sample MTL gives the grid of its bands", () => {
    const g = mtlGrid(parseMtl(TEXT), WIDTH, HEIGHT, false, WHERE);
    expect(g.crs).toBe("EPSG:32620");
    expect(() => checkGrid(g)).not.toThrow();
  });

  it("edited MTLs parse, and give a usable grid or a named error", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(), (edits, crlf, thermal) =>
        exercise(applyEdits(edits, crlf), thermal),
      ),
      fuzzParams(),
    );
  });

  it("noise parses", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: "binary" }), fc.boolean(), (text, thermal) => exercise(text, thermal)),
      fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
    );
  });

  it("round trip: values written in nested groups are found again", () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9_.\- ]{0,20}$/).map((s) => s.trim());
    const group: fc.Arbitrary<[string, [string, string][]]> = fc.tuple(name, fc.uniqueArray(fc.tuple(name, value), { maxLength: 6, selector: ([k]) => k }));
    fc.assert(
      fc.property(fc.uniqueArray(group, { minLength: 1, maxLength: 5, selector: ([g]) => g }), fc.boolean(), (groups, quoted) => {
        const body = groups.flatMap(([g, kv]) => [`  GROUP = ${g}`, ...kv.map(([k, v]) => `    ${k} = ${quoted ? `"${v}"` : v}`), `  END_GROUP = ${g}`]);
        const m: Mtl = parseMtl(["GROUP = LANDSAT_METADATA_FILE", ...body, "END_GROUP = LANDSAT_METADATA_FILE", "END"].join("\r\n"));
        for (const [g, kv] of groups) for (const [k, v] of kv) expect(mtlValue(m, g, k)).toBe(v);
      }),
      fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
    );
  });
});

describe("MTL parser: inputs the fuzzer found", () => {
  it("30 000 nested GROUPs do not overflow the stack when a value is looked up", () => {
    const m = parseMtl(`${"GROUP = A\n".repeat(30_000)}GROUP = B\nUTM_ZONE = 3\n`);
    expect(mtlValue(m, "NO_SUCH_GROUP", "UTM_ZONE")).toBeUndefined();
    expect(mtlValue(m, "B", "UTM_ZONE")).toBe("3");
  });

  it("a zero cell size with coinciding corners is an error, not a grid of zero-sized cells", () => {
    const text = TEXT.replace(/GRID_CELL_SIZE_REFLECTIVE = .*/, "GRID_CELL_SIZE_REFLECTIVE = 0").replace(
      /CORNER_LR_PROJECTION_(X|Y)_PRODUCT = .*/g,
      (_m, xy) => `CORNER_LR_PROJECTION_${xy}_PRODUCT = ${new RegExp(`CORNER_UL_PROJECTION_${xy}_PRODUCT = (.*)`).exec(TEXT)![1]}`,
    );
    expect(() => mtlGrid(parseMtl(text), WIDTH, HEIGHT, false, WHERE)).toThrow(`${WHERE}: MTL grid cell size 0 is not positive`);
  });

  it("a fractional UTM zone is an error, not EPSG:32620.5", () => {
    const text = TEXT.replace(/UTM_ZONE = .*/, "UTM_ZONE = 20.5");
    expect(() => mtlGrid(parseMtl(text), WIDTH, HEIGHT, false, WHERE)).toThrow(`${WHERE}: MTL UTM_ZONE 20.5 is not a zone number`);
  });

  it("an empty MAP_PROJECTION gives a one-line message (the message had two spaces in a row)", () => {
    const text = TEXT.replace(/MAP_PROJECTION = .*/, 'MAP_PROJECTION = ""');
    expect(() => mtlGrid(parseMtl(text), WIDTH, HEIGHT, false, WHERE)).toThrow(`${WHERE}: MTL MAP_PROJECTION "" is not supported (UTM is)`);
  });
});
