import { describe, expect, it } from "vitest";
import { ASCII, DOUBLE, encodeIfd, ifdSize, LONG, SHORT, type Tag, tiffHeader } from "./tiff-ifd.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("TIFF tag encoding", () => {
  it("classic IFD: sorted entries, values of 4 bytes or less inline, longer ones after the IFD (hand-laid bytes)", () => {
    const tags: Tag[] = [
      { tag: 42113, type: ASCII, values: "nan" },
      { tag: 258, type: SHORT, values: [8, 8, 8] },
      { tag: 256, type: LONG, values: [5] },
    ];
    const ifd = encodeIfd(tags, false, 8, 0);
    expect(ifdSize(tags, false)).toBe(48);
    expect(hex(ifd)).toBe(
      [
        "0300",
        "0001" + "0400" + "01000000" + "05000000", // ImageWidth LONG 1 = 5
        "0201" + "0300" + "03000000" + "32000000", // BitsPerSample SHORT 3 at 8 + 42 = 50
        "81a4" + "0200" + "04000000" + "6e616e00", // GDAL_NODATA ASCII "nan\0" inline
        "00000000", // no next IFD
        "080008000800",
      ].join(""),
    );
  });

  it("BigTIFF IFD: 8-byte counts and offsets, values of 8 bytes or less inline", () => {
    const tags: Tag[] = [
      { tag: 256, type: LONG, values: [5] },
      { tag: 33550, type: DOUBLE, values: [1.5, -2] },
    ];
    const ifd = encodeIfd(tags, true, 16, 0x1234);
    expect(ifdSize(tags, true)).toBe(72);
    expect(hex(ifd)).toBe(
      [
        "0200000000000000",
        "0001" + "0400" + "0100000000000000" + "0500000000000000",
        "0e83" + "0c00" + "0200000000000000" + "4800000000000000", // 16 + 56 = 72
        "3412000000000000",
        "000000000000f83f" + "00000000000000c0", // 1.5, -2 as little-endian doubles
      ].join(""),
    );
  });

  it("odd-length out-of-line values are padded so the next block stays word-aligned", () => {
    const tags: Tag[] = [{ tag: 42112, type: ASCII, values: "abcdef" }]; // 7 bytes with the NUL
    const ifd = encodeIfd(tags, false, 100, 0);
    expect(ifd.byteLength).toBe(2 + 12 + 4 + 8);
    expect(ifdSize(tags, false)).toBe(ifd.byteLength);
    expect(Buffer.from(ifd.subarray(18, 25)).toString("latin1")).toBe("abcdef\0");
    expect(new DataView(ifd.buffer, ifd.byteOffset).getUint32(10, true)).toBe(118);
  });

  it("ASCII values are written as UTF-8 and counted in bytes", () => {
    const ifd = encodeIfd([{ tag: 270, type: ASCII, values: "稀土" }], false, 0, 0);
    expect(new DataView(ifd.buffer, ifd.byteOffset).getUint32(6, true)).toBe(7);
    expect(Buffer.from(ifd.subarray(18, 24)).toString("utf8")).toBe("稀土");
  });

  it("headers: II 42 + 4-byte offset; BigTIFF II 43, 8, 0 + 8-byte offset", () => {
    expect(hex(tiffHeader(false, 192))).toBe("49492a00c0000000");
    expect(hex(tiffHeader(true, 0x100000000))).toBe("49492b00080000000000000001000000");
  });
});
