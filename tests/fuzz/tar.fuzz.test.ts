/**
 * Fuzzing of the tar reader (pipeline/src/read/tar.ts). Seeds: archives of a few files made by the
 * system's tar in ustar, GNU (long-name members) and pax format, plus archives from our own ustar
 * writer below. Each case mutates a seed along its structure (header fields such as the size, type
 * and name rewritten with hostile values and the checksum fixed, so the parser gets past it) and
 * with raw bit flips and truncations, and parses it, sometimes gzipped and read from a file. Each
 * case must end in the archive's files or a named one-line reewatch error naming the archive. A
 * round trip checks the parser against the writer.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseTar, readTar } from "../../pipeline/src/read/tar.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout, isNamedFailure } from "./fuzz-runs.ts";

/** A fraction in [0, 1), evenly spread (fc.double favours values next to 0). */
const fraction = fc.integer({ min: 0, max: 9999 }).map((n) => n / 10_000);

const LABEL = "fuzz-case.tar";
const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-tar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// A ustar writer: the round trip's reference and the seeds' second source.

const enc = new TextEncoder();

/** Writes `text` into a header field at `at`, at most `len` bytes, NUL-padded. */
function field(h: Uint8Array, at: number, len: number, text: string): void {
  h.fill(0, at, at + len);
  h.set(enc.encode(text).subarray(0, len), at);
}

/** Recomputes a header's checksum (byte sum with the checksum field as spaces), as tar writes it. */
function fixChecksum(h: Uint8Array): void {
  h.fill(32, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  field(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
}

function ustar(files: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of files) {
    const h = new Uint8Array(512);
    field(h, 0, 100, name);
    field(h, 100, 8, "0000644");
    field(h, 124, 12, data.length.toString(8).padStart(11, "0"));
    field(h, 136, 12, "00000000000");
    h[156] = 48;
    field(h, 257, 6, "ustar");
    field(h, 263, 2, "00");
    fixChecksum(h);
    parts.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// Seeds.

function systemTar(format: string): Uint8Array {
  const src = join(dir, `src-${format}`);
  const long = `${"d".repeat(90)}/${"f".repeat(60)}.TIF`;
  mkdirSync(join(src, "d".repeat(90)), { recursive: true });
  const files: Record<string, Uint8Array> = {
    "a_MTL.txt": enc.encode("GROUP = X\nEND\n"),
    "b.bin": Uint8Array.from({ length: 700 }, (_, i) => (i * 7) & 255),
    "empty.txt": new Uint8Array(0),
    [long]: Uint8Array.of(1, 2, 3),
  };
  for (const [n, b] of Object.entries(files)) writeFileSync(join(src, n), b);
  const out = join(dir, `${format}.tar`);
  execFileSync("tar", [`--format=${format}`, "-cf", out, "-C", src, ...Object.keys(files)]);
  return readFileSync(out);
}

const SEEDS: Uint8Array[] = [
  ...["ustar", "gnu", "pax"].map(systemTar),
  ustar([
    ["x.txt", enc.encode("hello")],
    ["y.bin", new Uint8Array(513).fill(9)],
  ]),
];

// ---------------------------------------------------------------------------------------------
// Mutations.

/** Header fields: [offset, length]. */
const FIELDS = { name: [0, 100], mode: [100, 8], size: [124, 12], checksum: [148, 8], type: [156, 1], magic: [257, 6], prefix: [345, 155] } as const;
type FieldName = keyof typeof FIELDS;

/** Text a header field may hold instead of its value. */
const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "-1000",
    "-0",
    "77777777777",
    "99999999999",
    "1e9",
    "0x200",
    "NaN",
    "Infinity",
    "  1000  ",
    "7".repeat(12),
    "\u0080\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0010\u0000\u0000",
    "x",
    "5",
    "L",
    "x",
    "g",
    "\u0000",
    "a\nb",
    "x\u00a0y",
  ),
  fc.integer({ min: -5000, max: 5000 }).map((n) => (n < 0 ? `-${(-n).toString(8)}` : n.toString(8))),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 12, unit: "binary-ascii" }),
);

type Mutation =
  | { k: "field"; header: number; name: FieldName; text: string; fix: boolean }
  | { k: "flip"; pos: number; bit: number }
  | { k: "cut"; keep: number }
  | { k: "zero"; header: number }
  | { k: "junk"; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant("field" as const),
      header: fc.nat(7),
      name: fc.constantFrom(...(Object.keys(FIELDS) as FieldName[])),
      text: hostileText,
      fix: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("flip" as const), pos: fc.nat(), bit: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("cut" as const), keep: fraction }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("zero" as const), header: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("junk" as const), bytes: fc.uint8Array({ maxLength: 600 }) }) },
);

/** Offsets of the seed's member headers (walked with the sizes the seed holds). */
function headersOf(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = 0; p + 512 <= b.length && b[p] !== 0; ) {
    out.push(p);
    const size = Number.parseInt(Buffer.from(b.subarray(p + 124, p + 136)).toString("latin1"), 8) || 0;
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function mutate(seed: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Uint8Array.from(seed);
  const headers = headersOf(seed);
  for (const m of muts) {
    if (m.k === "field" || m.k === "zero") {
      const p = headers[m.header % headers.length]!;
      if (p + 512 > b.length) continue;
      const h = b.subarray(p, p + 512);
      if (m.k === "zero") h.fill(0);
      else {
        const [at, len] = FIELDS[m.name];
        field(h, at, len, m.text);
        if (m.fix && m.name !== "checksum") fixChecksum(h);
      }
    } else if (m.k === "flip") {
      const at = m.pos % b.length;
      b[at] = b[at]! ^ (1 << m.bit);
    } else if (m.k === "cut") b = b.subarray(0, Math.floor(b.length * m.keep));
    else b = Buffer.concat([b, m.bytes]);
  }
  return b;
}

/** A result, or a named one-line error naming the archive; anything else is rethrown. */
async function endsCleanly(parse: () => unknown, label: string): Promise<void> {
  try {
    await parse();
  } catch (err) {
    if (!isNamedFailure(err) || !(err as Error).message.includes(label)) throw err;
  }
}

let fileNo = 0;

describe("tar reader fuzz", () => {
  it("every seed parses", () => {
    for (const s of SEEDS) expect(parseTar(s, LABEL).size).toBeGreaterThan(0);
  });

  it(
    "mutated archives end in files or a named error",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(9), async (s, muts, via) => {
          const b = mutate(SEEDS[s % SEEDS.length]!, muts);
          // One case in ten goes through a file, gzipped half the time: readTar's own paths.
          if (via > 0) return endsCleanly(() => parseTar(b, LABEL), LABEL);
          const path = join(dir, `case-${fileNo++}.tar${s % 2 ? ".gz" : ""}`);
          writeFileSync(path, s % 2 ? gzipSync(b) : b);
          try {
            await endsCleanly(() => readTar(path), path);
          } finally {
            rmSync(path, { force: true });
          }
        }),
        { ...fuzzParams(), timeout: 10_000 },
      );
    },
    fuzzTimeout(),
  );

  it(
    "gzip streams cut or flipped end in a named error",
    async () => {
      const gz = gzipSync(SEEDS[0]!);
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(7), fraction, async (pos, bit, keep) => {
          const b = Uint8Array.from(gz.subarray(0, Math.max(2, Math.floor(gz.length * keep))));
          const at = pos % b.length;
          if (pos % 3) b[at] = b[at]! ^ (1 << bit);
          const path = join(dir, `gz-${fileNo++}.tar.gz`);
          writeFileSync(path, b);
          try {
            await endsCleanly(() => readTar(path), path);
          } finally {
            rmSync(path, { force: true });
          }
        }),
        { ...fuzzParams(Math.ceil(FUZZ_RUNS / 10)), timeout: 10_000 },
      );
    },
    fuzzTimeout(),
  );

  it("round trip: what the ustar writer packs, the reader returns", () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,99}$/).filter((n) => n !== "." && n !== "..");
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, fc.uint8Array({ maxLength: 1500 })), { minLength: 1, maxLength: 5, selector: ([n]) => n }), (files) => {
        const got = parseTar(ustar(files), LABEL);
        expect([...got.keys()].sort()).toEqual(files.map(([n]) => n).sort());
        for (const [n, data] of files) expect(Buffer.from(got.get(n)!).equals(Buffer.from(data))).toBe(true);
      }),
      fuzzParams(Math.ceil(FUZZ_RUNS / 4)),
    );
  });
});

describe("tar reader: inputs the fuzzer found", () => {
  it("a negative member size is CorruptFile (the reader stepped back to the same header forever)", () => {
    const b = Uint8Array.from(SEEDS[3]!);
    field(b, 124, 12, "-1000");
    fixChecksum(b.subarray(0, 512));
    expect(() => parseTar(b, LABEL)).toThrow(`${LABEL}: tar member "x.txt" has size "-1000", not an octal byte count: corrupt`);
  });

  it("a member name with a line break is escaped in the message (it made the message two lines)", () => {
    const b = Uint8Array.from(SEEDS[3]!);
    field(b, 0, 100, "a\nb");
    field(b, 124, 12, "77777777");
    fixChecksum(b.subarray(0, 512));
    expect(() => parseTar(b, LABEL)).toThrow(`${LABEL}: tar member "a\\nb" runs past the end of the archive: truncated`);
    // Found by the 20 000-case run: two spaces in a row, which a one-line message cannot hold either.
    field(b, 124, 12, "!  !");
    fixChecksum(b.subarray(0, 512));
    expect(() => parseTar(b, LABEL)).toThrow(`${LABEL}: tar member "a\\nb" has size "! \\u0020!", not an octal byte count: corrupt`);
  });
});
