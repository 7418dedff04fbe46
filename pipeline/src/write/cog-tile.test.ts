import { describe, expect, it } from "vitest";
import { TileEncoder } from "./cog-tile.ts";
import { undoFloatingPointDiff, undoHorizontalDiff } from "./tiff-predictor.ts";

describe("tile cutting and padding", () => {
  it("pads an edge tile of a short last strip with the no-data value (float32, NaN)", () => {
    const width = 20;
    const strip = Float32Array.from({ length: 16 * width }, (_, i) => i + 0.5);
    const enc = new TileEncoder(width, 16, 1, Float32Array, Number.NaN);
    const bytes = enc.encode([strip], 1, 3); // columns 16..19, 3 valid rows
    undoFloatingPointDiff(bytes, 16, 16, 1);
    const t = new Float32Array(bytes.buffer);
    for (let r = 0; r < 16; r++)
      for (let x = 0; x < 16; x++) {
        const v = t[r * 16 + x]!;
        if (r < 3 && x < 4) expect(v).toBe(r * width + 16 + x + 0.5);
        else expect(Number.isNaN(v)).toBe(true);
      }
  });

  it("interleaves bands pixel by pixel and pads with the fill value (3 x uint8)", () => {
    const width = 18;
    const strips = [0, 1, 2].map((b) => Uint8Array.from({ length: 16 * width }, (_, i) => (i * (b + 1)) % 251));
    const enc = new TileEncoder(width, 16, 3, Uint8Array, 7);
    const bytes = enc.encode(strips, 0, 16);
    undoHorizontalDiff(bytes, 16, 16, 3, 1);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0, 0, 0, 1, 2, 3]);
    const last = enc.encode(strips, 1, 2); // columns 16, 17 of rows 0, 1
    undoHorizontalDiff(last, 16, 16, 3, 1);
    expect(Array.from(last.subarray(0, 9))).toEqual([16, 32, 48, 17, 34, 51, 7, 7, 7]);
    expect(Array.from(last.subarray(48, 54))).toEqual([34, 68, 102, 35, 70, 105]);
    expect(last.subarray(96).every((v) => v === 7)).toBe(true);
  });

  it("pads int16 tiles with a negative no-data value", () => {
    const strip = Int16Array.from({ length: 16 * 17 }, (_, i) => -i);
    const bytes = new TileEncoder(17, 16, 1, Int16Array, -32768).encode([strip], 1, 16);
    undoHorizontalDiff(bytes, 16, 16, 1, 2);
    const t = new Int16Array(bytes.buffer);
    expect([t[0], t[1], t[16], t[17]]).toEqual([-16, -32768, -33, -32768]);
  });
});
