/**
 * The LZW decoder on hand-made code streams (what GDAL writes is checked in
 * tests/cog-compressions.test.ts): strings from the table, the KwKwK case, output clipped to the
 * block, the end of data without EOI, and the errors.
 */
import { describe, expect, it } from "vitest";
import { CorruptFile, UnsupportedFormat } from "../errors.ts";
import { lzwDecode } from "./tiff-lzw.ts";

/** Packs codes MSB-first at `width` bits each (all below 511 here, so 9 bits throughout). */
function pack(codes: number[], width = 9): Uint8Array {
  const bits = codes.map((c) => c.toString(2).padStart(width, "0")).join("");
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === "1") out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

const text = (b: Uint8Array) => String.fromCharCode(...b);
const [CLEAR, EOI, A, B] = [256, 257, 65, 66];

describe("lzwDecode", () => {
  it("decodes literals and table strings: A B <AB> -> ABAB", () => {
    expect(text(lzwDecode(pack([CLEAR, A, B, 258, EOI]), 100, "t"))).toBe("ABAB");
  });

  it("decodes the KwKwK case (a code defined by its own use): A <AA> <AAA> -> AAAAAA", () => {
    expect(text(lzwDecode(pack([CLEAR, A, 258, 259, EOI]), 100, "t"))).toBe("AAAAAA");
  });

  it("restarts the table after Clear", () => {
    expect(text(lzwDecode(pack([CLEAR, A, B, 258, CLEAR, B, A, 258, EOI]), 100, "t"))).toBe("ABABBABA");
  });

  it("stops at the block size and accepts data ending without EOI", () => {
    expect(text(lzwDecode(pack([CLEAR, A, B, 258, 259, EOI]), 3, "t"))).toBe("ABA");
    expect(text(lzwDecode(pack([CLEAR, A, B]), 100, "t"))).toBe("AB");
  });

  it("a code beyond the table is CorruptFile; old-style LZW is UnsupportedFormat", () => {
    expect(() => lzwDecode(pack([CLEAR, A, 300]), 100, "f.tif: block 3")).toThrow(CorruptFile);
    expect(() => lzwDecode(pack([CLEAR, A, 300]), 100, "f.tif: block 3")).toThrow("f.tif: block 3: LZW code 300 is not in the table (258 entries): corrupt");
    expect(() => lzwDecode(pack([CLEAR, 400]), 100, "t")).toThrow(CorruptFile);
    expect(() => lzwDecode(Uint8Array.from([0, 1, 2, 3]), 100, "f.tif: block 0")).toThrow(UnsupportedFormat);
  });
});
