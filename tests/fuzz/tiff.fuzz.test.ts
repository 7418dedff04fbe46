/**
 * Fuzzing of the TIFF/COG reader (pipeline/src/read/tiff.ts, tiff-block.ts, tiff-decode.ts,
 * tiff-lzw.ts, tiff-jpeg.ts, tiff-window.ts, geotiff.ts). Seeds are valid files: the sample COGs and
 * GeoTIFFs, COGs from our own writer (uint8/uint16/int16/float32, deflate with predictor 2 or 3,
 * BigTIFF), TIFFs from sharp/libtiff (LZW, JPEG, PackBits, deflate, none, WebP; tiles and strips)
 * and those re-laid big-endian and as BigTIFF. Each case mutates a seed along its structure (tag
 * values, types, counts and value offsets, IFD chains that loop, block offsets and byte counts past
 * the end or overlapping, huge sizes, unknown compressions) and with raw bit flips and truncations,
 * opens it and reads every block (and a random window, with and without the block cache). Each case
 * must end in a result or a named one-line reewatch error naming the file, within a time limit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openGeoTiff, parseGdalMetadata } from "../../pipeline/src/read/geotiff.ts";
import { BlockCache } from "../../pipeline/src/read/tiff.ts";
import { MemorySource } from "../../pipeline/src/source/memory.ts";
import { writeCog } from "../../pipeline/src/write/cog.ts";
import { FUZZ_RUNS, fuzzParams, fuzzTimeout, isNamedFailure } from "./fuzz-runs.ts";

/** A fraction in [0, 1), evenly spread (fc.double favours values next to 0). */
const fraction = fc.integer({ min: 0, max: 9999 }).map((n) => n / 10_000);

const SAMPLES = new URL("../../samples/", import.meta.url).pathname;
const URL_ = "fuzz-case.tif";
/** A case that takes longer than this has hung (a case takes a few milliseconds). */
const CASE_LIMIT_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-tiff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// The structure of a valid TIFF, as the mutations need it: where each IFD and entry is.

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

interface Entry {
  pos: number;
  tag: number;
  type: number;
  count: number;
  /** Where the values are: inside the entry, or at the entry's value offset. */
  valuePos: number;
}

interface Ifd {
  pos: number;
  entries: Entry[];
  /** Where the next-IFD pointer is. */
  nextPos: number;
}

interface Layout {
  little: boolean;
  big: boolean;
  ifds: Ifd[];
}

function reader(b: Uint8Array, little: boolean) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return (p: number, n: number): number => (n === 8 ? Number(dv.getBigUint64(p, little)) : n === 4 ? dv.getUint32(p, little) : dv.getUint16(p, little));
}

/** IFDs and entries of a valid TIFF (seeds only). */
function layoutOf(b: Uint8Array): Layout {
  const little = b[0] === 0x49;
  const rd = reader(b, little);
  const big = rd(2, 2) === 43;
  const w = big ? 8 : 4;
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  for (let at = rd(big ? 8 : 4, w); at !== 0 && !seen.has(at); ) {
    seen.add(at);
    const n = rd(at, big ? 8 : 2);
    const first = at + (big ? 8 : 2);
    const entries: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const pos = first + i * (big ? 20 : 12);
      const type = rd(pos + 2, 2);
      const count = rd(pos + 4, w);
      const inline = (TYPE_SIZE[type] ?? 1) * count <= w;
      entries.push({ pos, tag: rd(pos, 2), type, count, valuePos: inline ? pos + 4 + w : rd(pos + 4 + w, w) });
    }
    const nextPos = first + n * (big ? 20 : 12);
    ifds.push({ pos: at, entries, nextPos });
    at = rd(nextPos, w);
  }
  return { little, big, ifds };
}

/** Writes an unsigned `n`-byte integer (n = 1, 2, 4, 8) at `p`; writes past the end are dropped. */
function put(b: Uint8Array, little: boolean, p: number, n: number, v: number): void {
  if (p < 0 || p + n > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const x = BigInt.asUintN(64, BigInt(Math.trunc(v)));
  if (n === 8) dv.setBigUint64(p, x, little);
  else if (n === 4) dv.setUint32(p, Number(x & 0xffffffffn), little);
  else if (n === 2) dv.setUint16(p, Number(x & 0xffffn), little);
  else b[p] = Number(x & 0xffn);
}

/**
 * The same file with its IFDs re-laid in another byte order and/or as BigTIFF at the end of the file;
 * the block data stays where it was. For seeds whose pixels have no byte order (8-bit samples).
 */
function relayout(b: Uint8Array, little: boolean, big: boolean): Uint8Array {
  const src = layoutOf(b);
  const w = big ? 8 : 4;
  const parts: Uint8Array[] = [];
  let end = b.length + (b.length % 2);
  const alloc = (n: number) => {
    const part = new Uint8Array(n + (n % 2));
    parts.push(part);
    const at = end;
    end += part.length;
    return { part, at };
  };
  const out0 = Uint8Array.from(b);
  let prevNext: { part: Uint8Array; p: number } | undefined;
  for (const ifd of src.ifds) {
    const n = ifd.entries.length;
    const { part, at } = alloc((big ? 8 : 2) + n * (big ? 20 : 12) + w);
    put(part, little, 0, big ? 8 : 2, n);
    if (prevNext) put(prevNext.part, little, prevNext.p, w, at);
    else {
      out0.set(little ? [0x49, 0x49] : [0x4d, 0x4d], 0);
      put(out0, little, 2, 2, big ? 43 : 42);
      if (big) {
        put(out0, little, 4, 2, 8);
        put(out0, little, 6, 2, 0);
      }
      put(out0, little, big ? 8 : 4, w, at);
    }
    ifd.entries.forEach((e, i) => {
      const p = (big ? 8 : 2) + i * (big ? 20 : 12);
      const size = TYPE_SIZE[e.type] ?? 1;
      const unit = e.type === 5 || e.type === 10 ? 4 : size;
      const raw = Uint8Array.from(b.subarray(e.valuePos, e.valuePos + size * e.count));
      if (little !== src.little && unit > 1) for (let k = 0; k < raw.length; k += unit) raw.subarray(k, k + unit).reverse();
      put(part, little, p, 2, e.tag);
      put(part, little, p + 2, 2, e.type);
      put(part, little, p + 4, w, e.count);
      if (raw.length <= w) part.set(raw, p + 4 + w);
      else {
        const v = alloc(raw.length);
        v.part.set(raw);
        put(part, little, p + 4 + w, w, v.at);
      }
    });
    prevNext = { part, p: (big ? 8 : 2) + n * (big ? 20 : 12) };
  }
  const out = new Uint8Array(end);
  out.set(out0);
  let p = b.length + (b.length % 2);
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeds.

interface Seed {
  name: string;
  bytes: Uint8Array;
  layout: Layout;
}

const seeds: Seed[] = [];
const addSeed = (name: string, bytes: Uint8Array) => seeds.push({ name, bytes, layout: layoutOf(bytes) });

async function cogSeeds(): Promise<void> {
  const grid = { crs: "EPSG:32650", transform: [10, 0, 500000, 0, -10, 2800000] as const, width: 40, height: 37 };
  const n = grid.width * grid.height;
  const cases: [string, (Uint8Array | Uint16Array | Int16Array | Float32Array)[], Parameters<typeof writeCog>[3]][] = [
    ["cog-u16", [Uint16Array.from({ length: n }, (_, i) => (i * 37) % 65536)], { tileSize: 16, nodata: 0, metadata: { REEWATCH_PRODUCT: "x" } }],
    [
      "cog-i16x2",
      [0, 1].map((b) => Int16Array.from({ length: n }, (_, i) => ((i * 7919 + b) % 65536) - 32768)),
      { tileSize: 16, scale: [2, 3], offset: [1, 0] },
    ],
    ["cog-f32", [Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 1000)], { tileSize: 16 }],
    [
      "cog-u8rgb",
      [0, 1, 2].map((b) => Uint8Array.from({ length: n }, (_, i) => (i + b * 50) & 255)),
      { tileSize: 16, bandDescriptions: ["red", "green", "blue"] },
    ],
    ["cog-u16-bigtiff", [Uint16Array.from({ length: n }, (_, i) => i)], { tileSize: 32, bigtiff: "yes" }],
  ];
  for (const [name, bands, opts] of cases) {
    const path = join(dir, `${name}.tif`);
    await writeCog(path, grid, bands, opts);
    addSeed(name, readFileSync(path));
  }
}

async function sharpSeeds(): Promise<void> {
  const [w, h] = [40, 30];
  const rgb = Buffer.from(Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7 + (i >> 5)) & 255));
  const variants: [string, Parameters<ReturnType<typeof sharp>["tiff"]>[0]][] = [
    ["lzw-tiled-pred", { compression: "lzw", predictor: "horizontal", tile: true, tileWidth: 16, tileHeight: 16 }],
    ["lzw-strips", { compression: "lzw" }],
    ["jpeg-tiled", { compression: "jpeg", tile: true, tileWidth: 16, tileHeight: 16, quality: 80 }],
    ["packbits-strips", { compression: "packbits" }],
    ["deflate-strips-pred", { compression: "deflate", predictor: "horizontal" }],
    ["none-tiled", { compression: "none", tile: true, tileWidth: 16, tileHeight: 16 }],
    ["webp-tiled", { compression: "webp", tile: true, tileWidth: 16, tileHeight: 16 }],
  ];
  for (const [name, opts] of variants) {
    const bytes = new Uint8Array(
      await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
        .tiff(opts)
        .toBuffer(),
    );
    addSeed(`sharp-${name}`, bytes);
  }
  const gray = Buffer.from(Uint8Array.from({ length: w * h }, (_, i) => (i * 3) & 255));
  addSeed(
    "sharp-gray-lzw",
    new Uint8Array(
      await sharp(gray, { raw: { width: w, height: h, channels: 1 } })
        .tiff({ compression: "lzw" })
        .toBuffer(),
    ),
  );
  const byName = (n: string) => seeds.find((s) => s.name === n)!.bytes;
  // 8-bit pixels have no byte order: the same files big-endian and as BigTIFF.
  addSeed("sharp-lzw-mm", relayout(byName("sharp-lzw-tiled-pred"), false, false));
  addSeed("sharp-none-bigtiff-mm", relayout(byName("sharp-none-tiled"), false, true));
  addSeed("sharp-packbits-bigtiff", relayout(byName("sharp-packbits-strips"), true, true));
  addSeed("sharp-jpeg-mm", relayout(byName("sharp-jpeg-tiled"), false, false));
}

function sampleSeeds(): void {
  const files: [string, string][] = [
    ["SCL", "sentinel2-l2a-29RKH-100m/SCL.tif"],
    ["AEROSOL", "landsat8-c2l2-cloudy-5pct/LC08_L2SP_001062_20201031_20201106_02_T2_SR_QA_AEROSOL.TIF"],
    ["bc-2002", "landsat-annual-bc-wildfire-2002-2011/2002.tif"],
  ];
  for (const [name, f] of files) addSeed(name, readFileSync(join(SAMPLES, f)));
  addSeed("AEROSOL-bigtiff", relayout(seeds.find((s) => s.name === "AEROSOL")!.bytes, true, true));
}

beforeAll(async () => {
  await cogSeeds();
  await sharpSeeds();
  sampleSeeds();
}, 60_000);

// ---------------------------------------------------------------------------------------------
// Mutations.

/** A value to write: a number, or one relative to the file size (past the end, the last byte, ...). */
type Val = number | { rel: number };
const val: fc.Arbitrary<Val> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 7, 8, 13, 15, 16, 17, 255, 256, 4095, 4096, 0x7fff, 0x8000, 0xffff, 0x10000) },
  { weight: 2, arbitrary: fc.constantFrom(0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 2 ** 40, 2 ** 53, 2 ** 63) },
  // Compressions: every code the reader names, and one it does not.
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 5, 6, 7, 8, 32773, 32946, 34712, 34887, 34925, 50000, 50001, 52546, 9999) },
  { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }).map((rel) => ({ rel })) },
  { weight: 2, arbitrary: fc.nat(0xffffffff) },
);
const resolve = (v: Val, size: number): number => (typeof v === "number" ? v : Math.max(0, size + v.rel));

/** Pieces of GDAL_METADATA XML, put together in any order. */
const XML_TOKENS = [
  "<Item",
  " ",
  'name="a"',
  'sample="0"',
  'sample="x"',
  'role="scale"',
  'role="offset"',
  ">",
  "</Item>",
  "7.5",
  "nan",
  "&amp;",
  "<",
  "\n",
  "\u0000",
];
const xmlText = fc.array(fc.constantFrom(...XML_TOKENS), { maxLength: 24 }).map((t) => t.join(""));

/** Tags whose values the reader interprets. */
const KEY_TAGS = [254, 256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 322, 323, 324, 325, 338, 339, 347, 530, 33550, 33922, 34264, 34735, 42113];

type Mutation =
  | { k: "field"; entry: number; field: "type" | "count" | "value"; v: Val }
  | { k: "tag"; tag: number; ifd: number; elem: number; v: Val }
  | { k: "next"; ifd: number; to: "self" | "first" | "prev" | Val }
  | { k: "first"; to: Val }
  | { k: "entries"; ifd: number; v: Val }
  | { k: "copy"; from: number; to: number }
  | { k: "flip"; pos: number; bit: number; head: boolean }
  | { k: "byte"; pos: number; byte: number; head: boolean }
  | { k: "cut"; keep: number }
  | { k: "junk"; bytes: Uint8Array }
  | { k: "text"; tag: number; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("field" as const),
      entry: fc.nat(),
      field: fc.constantFrom("type" as const, "count" as const, "value" as const),
      v: val,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant("tag" as const),
      tag: fc.constantFrom(...KEY_TAGS),
      ifd: fc.nat(3),
      elem: fc.oneof(fc.constant(0), fc.nat()),
      v: val,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("next" as const),
      ifd: fc.nat(4),
      to: fc.oneof(fc.constantFrom("self" as const, "first" as const, "prev" as const), val),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("first" as const), to: val }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("entries" as const), ifd: fc.nat(4), v: val }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("copy" as const), from: fc.nat(), to: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("flip" as const), pos: fc.nat(), bit: fc.nat(7), head: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("byte" as const), pos: fc.nat(), byte: fc.nat(255), head: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("cut" as const), keep: fraction }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("junk" as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("text" as const), tag: fc.constantFrom(42112, 42113), at: fc.nat(), text: xmlText }) },
);

/** Bytes of the position a mutation writes at, for the entry's type (2, 4 or 8). */
const widthOf = (type: number, big: boolean): number => (type === 3 || type === 8 ? 2 : (TYPE_SIZE[type] ?? 4) === 8 && big ? 8 : 4);

function mutate(seed: Seed, muts: Mutation[]): Uint8Array {
  let b = Uint8Array.from(seed.bytes);
  const { little, big, ifds } = seed.layout;
  const w = big ? 8 : 4;
  const entries = ifds.flatMap((d) => d.entries);
  const headerBytes = ifds.length ? ifds[ifds.length - 1]!.nextPos + w : 64;
  for (const m of muts) {
    const size = b.length;
    if (m.k === "field" && entries.length) {
      const e = entries[m.entry % entries.length]!;
      if (m.field === "type") put(b, little, e.pos + 2, 2, resolve(m.v, size) % 20);
      else if (m.field === "count") put(b, little, e.pos + 4, w, resolve(m.v, size));
      else put(b, little, e.pos + 4 + w, w, resolve(m.v, size));
    } else if (m.k === "tag") {
      const hits = entries.filter((e) => e.tag === m.tag);
      const e = hits[m.ifd % Math.max(1, hits.length)];
      if (e && e.count > 0) {
        const n = widthOf(e.type, big);
        put(b, little, e.valuePos + (m.elem % e.count) * (TYPE_SIZE[e.type] ?? 4), n, resolve(m.v, size));
      }
    } else if (m.k === "next" && ifds.length) {
      const i = m.ifd % ifds.length;
      const to = m.to === "self" ? ifds[i]!.pos : m.to === "first" ? ifds[0]!.pos : m.to === "prev" ? ifds[Math.max(0, i - 1)]!.pos : resolve(m.to, size);
      put(b, little, ifds[i]!.nextPos, w, to);
    } else if (m.k === "first") put(b, little, big ? 8 : 4, w, resolve(m.to, size));
    else if (m.k === "entries" && ifds.length) put(b, little, ifds[m.ifd % ifds.length]!.pos, big ? 8 : 2, resolve(m.v, size));
    else if (m.k === "copy" && entries.length) {
      const [from, to] = [entries[m.from % entries.length]!, entries[m.to % entries.length]!];
      b.copyWithin(to.pos, from.pos, from.pos + (big ? 20 : 12));
    } else if (m.k === "flip" || m.k === "byte") {
      // Half the flips land in the header and IFDs, where one bit changes the most.
      const at = m.pos % (m.head ? Math.min(size, headerBytes) : size);
      if (at < size) b[at] = m.k === "flip" ? b[at]! ^ (1 << m.bit) : m.byte;
    } else if (m.k === "cut") b = b.subarray(0, Math.floor(size * m.keep));
    else if (m.k === "junk") {
      const grown = new Uint8Array(size + m.bytes.length);
      grown.set(b);
      grown.set(m.bytes, size);
      b = grown;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Reading a case.

/** Bands to read: all of them for a few samples, else the first, second and last. */
const bandsOf = (samples: number): number[] => (samples <= 4 ? Array.from({ length: Math.max(1, samples) }, (_, i) => i) : [0, 1, samples - 1]);

/** A window of at most `max` pixels a side at (x, y), inside a w x h image. */
const clip = (x: number, y: number, w: number, h: number, max: number) => ({ x, y, width: Math.min(max, w - x), height: Math.min(max, h - y) });

interface Reading {
  cache: boolean;
  /** A random window: fractions of the image's width and height. */
  win: [number, number, number, number];
}

/** Opens `bytes` and reads every block (at most 48) of the first images, then one random window. */
async function exercise(bytes: Uint8Array, how: Reading): Promise<void> {
  const t = await openGeoTiff(new MemorySource(bytes, URL_));
  try {
    t.imageFor(1);
    t.imageFor(1e9);
    let budget = 48;
    for (const im of [t.image, ...t.overviews].slice(0, 3)) {
      if (how.cache) t.file.blockCache = new BlockCache(4 << 20);
      const bands = bandsOf(im.samples);
      const across = Math.min(8, Math.ceil(im.width / im.blockWidth));
      const down = Math.min(8, Math.ceil(im.height / im.blockHeight));
      for (let by = 0; by < down && budget > 0; by++)
        for (let bx = 0; bx < across && budget-- > 0; bx++) await t.read(clip(bx * im.blockWidth, by * im.blockHeight, im.width, im.height, 256), bands, im);
    }
    const [fx, fy, fw, fh] = how.win;
    const x = Math.floor(fx * t.image.width);
    const y = Math.floor(fy * t.image.height);
    const win = clip(x, y, t.image.width, t.image.height, 1 + Math.floor(fw * 300));
    win.height = Math.min(win.height, 1 + Math.floor(fh * 300));
    await t.read(win, bandsOf(t.bandCount));
  } finally {
    await t.close();
  }
}

/** How cases ended (REEWATCH_FUZZ_STATS=1 prints it): "pixels", or the error with its numbers blanked. */
const outcomes = new Map<string, number>();
const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
afterAll(() => {
  if (!process.env.REEWATCH_FUZZ_STATS) return;
  const top = [...outcomes].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(top.map(([k, n]) => `${String(n).padStart(7)}  ${k}`).join("\n"));
});

/** A result, or a named one-line error naming the file; anything else is rethrown. */
async function endsCleanly(bytes: Uint8Array, how: Reading): Promise<void> {
  try {
    await exercise(bytes, how);
    count("pixels");
  } catch (err) {
    if (!isNamedFailure(err) || !(err as Error).message.includes(URL_)) throw err;
    count(`${(err as Error).name}: ${(err as Error).message.replace(URL_, "").replace(/\d+/g, "N").slice(0, 90)}`);
  }
}

const reading: fc.Arbitrary<Reading> = fc.record({
  cache: fc.boolean(),
  win: fc.tuple(...[0, 1, 2, 3].map(() => fraction)) as fc.Arbitrary<[number, number, number, number]>,
});

const params = (runs = FUZZ_RUNS) => ({ ...fuzzParams(runs), timeout: CASE_LIMIT_MS });

describe("TIFF reader fuzz", () => {
  it("every seed opens and reads every block (the mutations start from valid files)", async () => {
    expect(seeds.length).toBeGreaterThanOrEqual(20);
    for (const s of seeds) {
      if (s.name === "sharp-webp-tiled") {
        await expect(exercise(s.bytes, { cache: false, win: [0, 0, 0.5, 0.5] })).rejects.toThrow(/WebP \(50001\) is not supported/);
        continue;
      }
      await expect(exercise(s.bytes, { cache: false, win: [0.1, 0.2, 0.5, 0.5] }), s.name).resolves.toBeUndefined();
      await expect(exercise(s.bytes, { cache: true, win: [0.3, 0.1, 0.9, 0.2] }), s.name).resolves.toBeUndefined();
    }
  });

  it(
    "mutated TIFFs end in pixels or a named error",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), reading, async (s, muts, how) => {
          await endsCleanly(mutate(seeds[s % seeds.length]!, muts), how);
        }),
        params(),
      );
    },
    fuzzTimeout(),
  );

  it(
    "random bytes after a TIFF header end in a named error",
    async () => {
      const header = fc.constantFrom(
        [0x49, 0x49, 42, 0, 8, 0, 0, 0],
        [0x4d, 0x4d, 0, 42, 0, 0, 0, 8],
        [0x49, 0x49, 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0],
      );
      await fc.assert(
        fc.asyncProperty(header, fc.uint8Array({ maxLength: 600 }), reading, async (h, rest, how) => {
          const b = new Uint8Array(h.length + rest.length);
          b.set(h);
          b.set(rest, h.length);
          await endsCleanly(b, how);
        }),
        params(Math.ceil(FUZZ_RUNS / 4)),
      );
    },
    fuzzTimeout(),
  );
});

/** The GDAL_METADATA items as the former global regex found them: the reference of the scan. */
function itemsByRegex(xml: string): ReturnType<typeof parseGdalMetadata> {
  const out: ReturnType<typeof parseGdalMetadata> = { dataset: {}, bands: {} };
  const re = /<Item\s+([^>]*)>([\s\S]*?)<\/Item>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const value = m[2]!
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    const key = attrs.sample === undefined ? attrs.name : (attrs.role ?? attrs.name);
    if (key === undefined) continue;
    if (attrs.sample === undefined) out.dataset[key] = value;
    else {
      const band = out.bands[Number(attrs.sample)] ?? {};
      band[key.toLowerCase()] = value;
      out.bands[Number(attrs.sample)] = band;
    }
  }
  return out;
}

describe("GDAL_METADATA parser fuzz", () => {
  it("finds the items the regex /<Item\\s+([^>]*)>([\\s\\S]*?)<\\/Item>/g finds", () => {
    fc.assert(
      fc.property(xmlText, (xml) => {
        expect(parseGdalMetadata(xml)).toEqual(itemsByRegex(xml));
      }),
      fuzzParams(),
    );
  });
});

describe("TIFF reader: inputs the fuzzer found", () => {
  const seed = (name: string) => seeds.find((s) => s.name === name)!;
  const read = (b: Uint8Array) => exercise(b, { cache: false, win: [0.5, 0.5, 0.5, 0.5] });
  /** The seed with the first entry of `tag` given another type, count and/or first value. */
  const patched = (name: string, tag: number, change: { type?: number; count?: number; value?: number; offset?: number }) => {
    const s = seed(name);
    const b = Uint8Array.from(s.bytes);
    const e = s.layout.ifds[0]!.entries.find((x) => x.tag === tag)!;
    const w = s.layout.big ? 8 : 4;
    if (change.type !== undefined) put(b, s.layout.little, e.pos + 2, 2, change.type);
    if (change.count !== undefined) put(b, s.layout.little, e.pos + 4, w, change.count);
    if (change.offset !== undefined) put(b, s.layout.little, e.pos + 4 + w, w, change.offset);
    if (change.value !== undefined) put(b, s.layout.little, e.valuePos, widthOf(change.type ?? e.type, s.layout.big), change.value);
    return b;
  };

  it("a tag of type IFD (13) with several values is read as 4-byte values, not 1-byte ones (was a RangeError)", async () => {
    await expect(read(patched("cog-u16", 254, { type: 13, count: 5, offset: 8 }))).resolves.toBeUndefined();
  });

  it("a zero tile or strip size is CorruptFile at open (the window's block loop never ended: out of memory)", async () => {
    await expect(read(patched("cog-u16", 323, { value: 0 }))).rejects.toThrow(`${URL_}: TIFF block height 0 is not a positive whole number: corrupt`);
    await expect(read(patched("AEROSOL", 278, { value: 0 }))).rejects.toThrow(/block height 0 is not a positive whole number/);
  });

  it("a RATIONAL image width is CorruptFile at open", async () => {
    await expect(read(patched("cog-u16", 256, { type: 5, count: 1, offset: 0 }))).rejects.toThrow(/TIFF width .* is not a positive whole number/);
  });

  it("a BigTIFF header cut inside its first-IFD offset is CorruptFile (was a RangeError)", async () => {
    await expect(read(Uint8Array.of(0x49, 0x49, 43, 0, 8, 0, 0, 0, 16, 0))).rejects.toThrow(`${URL_}: too short to be a BigTIFF (10 bytes)`);
  });

  it("an IFD chain that loops is named as a loop, not as an offset past the end", async () => {
    const s = seed("cog-u16");
    const b = Uint8Array.from(s.bytes);
    put(b, s.layout.little, s.layout.ifds[1]!.nextPos, 4, s.layout.ifds[0]!.pos);
    await expect(read(b)).rejects.toThrow(`${URL_}: IFD chain loops back to offset ${s.layout.ifds[0]!.pos}: corrupt`);
  });

  it("a negative strip offset (SLONG) is CorruptFile, from a file too (the positioned read threw a RangeError)", async () => {
    const b = patched("AEROSOL", 273, { type: 9, value: 0xffffff00 });
    const path = join(dir, "negative-offset.tif");
    writeFileSync(path, b);
    const t = await openGeoTiff(path);
    try {
      await expect(t.read({ x: 0, y: 0, width: 10, height: 10 })).rejects.toThrow(`${path}: block 0 has offset -256 and byte count`);
    } finally {
      await t.close();
    }
  });

  it("tiles a corrupt header makes huge are refused at open, or decoded only as far as their bytes go", async () => {
    // 65535 x 65535 x 3 bytes: past the 1 GiB limit.
    let b = patched("sharp-lzw-tiled-pred", 322, { value: 65535 });
    b = Uint8Array.from(b);
    const s = seed("sharp-lzw-tiled-pred");
    const e = s.layout.ifds[0]!.entries.find((x) => x.tag === 323)!;
    put(b, s.layout.little, e.valuePos, 2, 65535);
    await expect(read(b)).rejects.toThrow(/TIFF blocks of 65535x65535 pixels \(12884508675 bytes\) are larger than the 1073741824-byte limit/);
    // 8192 x 8192 x 3 (201 MB) from a tile of a few hundred bytes: LZW decodes into what those bytes can hold.
    put(b, s.layout.little, e.valuePos, 2, 8192);
    put(b, s.layout.little, s.layout.ifds[0]!.entries.find((x) => x.tag === 322)!.valuePos, 2, 8192);
    await expect(read(b)).rejects.toThrow(/block 0 holds \d+ bytes, expected 201326592: corrupt/);
  });

  it("a GDAL_METADATA item with a sample but no name or role is skipped (toLowerCase of undefined: a TypeError at open)", () => {
    expect(parseGdalMetadata('<GDALMetadata><Item sample="0">7</Item><Item name="A">x</Item></GDALMetadata>')).toEqual({ dataset: { A: "x" }, bands: {} });
  });

  it("a GDAL_METADATA of 2 MB of unclosed items parses in linear time (the lazy regex took minutes)", () => {
    const t0 = performance.now();
    parseGdalMetadata("<Item a>".repeat(256_000));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
