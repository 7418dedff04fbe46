import { describe, expect, it } from "vitest";
import { floatingPointDiff, floatRowDiff, horizontalDiff, undoFloatingPointDiff, undoHorizontalDiff } from "./tiff-predictor.ts";

/** TechNote 3 written the plain way: big-endian byte planes, then a byte-wise difference. */
function reference(values: Float32Array, samples: number): Uint8Array {
  const n = values.length;
  const le = new Uint8Array(values.buffer.slice(0));
  const out = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) out[k * n + i] = le[i * 4 + (3 - k)]!;
  for (let i = 4 * n - 1; i >= samples; i--) out[i] = (out[i]! - out[i - samples]! + 256) % 256;
  return out;
}

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e-40, -3.4e38, 0];
  return Float32Array.from({ length: n }, (_, i) => (i % 17 === 5 ? specials[i % specials.length]! : (rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 20)));
}

describe("predictor 3 (floating point)", () => {
  it("turns the row [1, 2, 1, 2] into the hand-computed bytes", () => {
    // 1.0 = 3f800000, 2.0 = 40000000: planes 3f 40 3f 40 | 80 00 80 00 | 00.. | 00.., then differences.
    const out = new Uint8Array(16);
    floatRowDiff(new Uint32Array(Float32Array.of(1, 2, 1, 2).buffer), 4, 1, out);
    expect(Array.from(out)).toEqual([0x3f, 0x01, 0xff, 0x01, 0x40, 0x80, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("the packed fast path equals the plain TechNote 3 algorithm (NaN, inf, -0, denormals)", () => {
    for (const n of [4, 16, 512, 1024]) {
      const v = seeded(n, n);
      const out = new Uint8Array(4 * n);
      floatRowDiff(new Uint32Array(v.buffer), n, 1, out);
      expect(Buffer.from(out).equals(Buffer.from(reference(v, 1)))).toBe(true);
    }
  });

  it("the generic path (several samples, widths not a multiple of 4) equals the plain algorithm", () => {
    for (const [n, samples] of [
      [9, 3],
      [7, 1],
      [12, 2],
    ] as const) {
      const v = seeded(n, 7);
      const out = new Uint8Array(4 * n);
      floatRowDiff(new Uint32Array(v.buffer), n, samples, out);
      expect(Array.from(out)).toEqual(Array.from(reference(v, samples)));
    }
  });

  it("round trips a tile through the inverse, bit for bit", () => {
    for (const samples of [1, 3]) {
      const width = 32;
      const rows = 5;
      const v = seeded(width * rows * samples, 11);
      const bytes = new Uint8Array(v.buffer.slice(0));
      floatingPointDiff(bytes, width, rows, samples);
      expect(Buffer.from(bytes).equals(Buffer.from(v.buffer))).toBe(false);
      undoFloatingPointDiff(bytes, width, rows, samples);
      expect(Buffer.from(bytes).equals(Buffer.from(v.buffer))).toBe(true);
    }
  });
});

describe("predictor 2 (horizontal differencing)", () => {
  it("differences 8-bit samples per channel, modulo 256 (hand example)", () => {
    const b = Uint8Array.of(10, 20, 30, 15, 5, 40, 255, 0, 1); // 3 pixels x 3 samples, 1 row
    horizontalDiff(b, 3, 1, 3, 1);
    expect(Array.from(b)).toEqual([10, 20, 30, 5, 241, 10, 240, 251, 217]);
    undoHorizontalDiff(b, 3, 1, 3, 1);
    expect(Array.from(b)).toEqual([10, 20, 30, 15, 5, 40, 255, 0, 1]);
  });

  it("differences 16-bit samples modulo 65536, each row on its own, and round trips", () => {
    const v = Uint16Array.of(1000, 999, 65535, 0, 7, 7, 8, 6); // 2 rows of 4
    const bytes = new Uint8Array(v.buffer.slice(0));
    horizontalDiff(bytes, 4, 2, 1, 2);
    expect(Array.from(new Uint16Array(bytes.buffer))).toEqual([1000, 65535, 64536, 1, 7, 0, 1, 65534]);
    undoHorizontalDiff(bytes, 4, 2, 1, 2);
    expect(Array.from(new Uint16Array(bytes.buffer))).toEqual(Array.from(v));
  });
});
