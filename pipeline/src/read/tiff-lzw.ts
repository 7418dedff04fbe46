/**
 * TIFF LZW decoding (TIFF 6.0 section 13: MSB-first codes of 9-12 bits, Clear 256, EOI 257, code
 * width growing one code early, as libtiff writes). Our own rather than geotiff.js's: that one
 * loops forever on an out-of-range code in a corrupt tile (V8 then aborts the whole process, which
 * no try/catch can stop) and decodes at about 2 MB/s. This one writes into a typed array of the
 * block's size, stops there, and throws on codes the table cannot hold.
 */
import { CorruptFile, UnsupportedFormat } from "../errors.ts";

const CLEAR = 256;
const EOI = 257;
const FIRST_FREE = 258;
const MAX_CODES = 4096;

/** Decodes `src` into at most `capacity` bytes; returns the bytes written. */
export function lzwDecode(src: Uint8Array, capacity: number, where: string): Uint8Array {
  // libtiff's test for the pre-TIFF 6 (LSB-first) variant, which it reads only when built with LZW_COMPAT.
  if (src.length >= 2 && src[0] === 0 && (src[1]! & 1) === 1) throw new UnsupportedFormat(`${where}: old-style (pre-TIFF 6.0) LZW is not supported`);
  const out = new Uint8Array(capacity);
  const t = newTable();
  let next = FIRST_FREE;
  let width = 9;
  let old = -1;
  let o = 0;
  let acc = 0;
  let bits = 0;
  let ip = 0;
  while (o < capacity) {
    for (; bits < width && ip < src.length; bits += 8) acc = ((acc << 8) | src[ip++]!) & 0xffffff;
    if (bits < width) break; // data ended without EOI: libtiff accepts that too
    bits -= width;
    const code = (acc >>> bits) & ((1 << width) - 1);
    if (code === EOI) break;
    if (code === CLEAR) {
      next = FIRST_FREE;
      width = 9;
      old = -1;
      continue;
    }
    if (code > next || (old < 0 && code > 255)) throw new CorruptFile(`${where}: LZW code ${code} is not in the table (${next} entries): corrupt`);
    // code === next is the KwKwK case: the string of `old` plus its own first byte.
    const known = code < next;
    const n = known ? t.length[code]! : t.length[old]! + 1;
    writeString(out, o, known ? code : old, known ? n : n - 1, t);
    if (!known && o + n - 1 < capacity) out[o + n - 1] = out[o]!;
    if (old >= 0 && next < MAX_CODES) {
      t.prefix[next] = old;
      t.suffix[next] = out[o]!;
      t.length[next] = t.length[old]! + 1;
      next++;
    }
    o = Math.min(o + n, capacity);
    old = code;
    if (next >= (1 << width) - 1 && width < 12) width++;
  }
  return out.subarray(0, o);
}

interface Table {
  prefix: Uint16Array;
  suffix: Uint8Array;
  length: Uint16Array;
}

/** The string table: entry = prefix entry + one suffix byte; entries 0-255 are the single bytes. */
function newTable(): Table {
  const t = { prefix: new Uint16Array(MAX_CODES), suffix: new Uint8Array(MAX_CODES), length: new Uint16Array(MAX_CODES) };
  for (let i = 0; i < 256; i++) {
    t.suffix[i] = i;
    t.length[i] = 1;
  }
  return t;
}

/** Writes the `n`-byte string of `code` at `o` (back to front along the prefix chain), clipped to `out`. */
function writeString(out: Uint8Array, o: number, code: number, n: number, t: Table): void {
  let c = code;
  for (let k = n - 1; k >= 0; k--) {
    if (o + k < out.length) out[o + k] = t.suffix[c]!;
    c = t.prefix[c]!;
  }
}
