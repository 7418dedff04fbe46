/**
 * One COG tile's bytes before deflate: cut from a strip of rows (one array per band), padded with
 * the fill value past the image edge, pixel-interleaved, then run through the TIFF predictor
 * (3 for float32, 2 for integers).
 */
import { floatRowDiff, horizontalDiff } from "./tiff-predictor.ts";

/**
 * Tile buffers an encoder keeps for reuse. A strip's tiles are all encoded at once, so reuse
 * saves allocations up to a strip's width; but six float writers each keeping a 22-tile strip
 * (1 MiB a tile) would hold 130 MB between strips, so a few are kept and the rest collected.
 */
const FREE_TILES = 8;

export type SampleArray = Float32Array | Uint8Array | Uint16Array | Int16Array;
export type SampleCtor = Float32ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor;

export class TileEncoder {
  private readonly isFloat: boolean;
  private readonly row: Uint32Array;
  private readonly fillBits: number;
  /** Tile buffers handed back after deflate, reused so a long write allocates few. */
  private readonly free: Uint8Array[] = [];

  constructor(
    /** Width of the strips in pixels. */
    readonly width: number,
    readonly tile: number,
    readonly bands: number,
    readonly ctor: SampleCtor,
    /** Value of padding pixels (the no-data value, or 0). */
    readonly fill: number,
  ) {
    this.isFloat = ctor === Float32Array;
    this.row = new Uint32Array(tile * bands);
    this.fillBits = new Uint32Array(Float32Array.of(fill).buffer)[0]!;
  }

  get byteLength(): number {
    return this.tile * this.tile * this.bands * this.ctor.BYTES_PER_ELEMENT;
  }

  /** Tile column `tx` of a strip holding `rows` valid rows; returns predicted bytes (see release). */
  encode(strips: SampleArray[], tx: number, rows: number): Uint8Array {
    const out = this.free.pop() ?? new Uint8Array(this.byteLength);
    if (this.isFloat) this.floatTile(strips as Float32Array[], tx, rows, out);
    else this.intTile(strips, tx, rows, out);
    return out;
  }

  /** Hands a buffer from encode() back once nothing reads it any more. */
  release(buf: Uint8Array): void {
    if (this.free.length < FREE_TILES) this.free.push(buf);
  }

  private floatTile(strips: Float32Array[], tx: number, rows: number, out: Uint8Array): void {
    const { width, tile, bands, row } = this;
    const x0 = tx * tile;
    const w = Math.min(tile, width - x0);
    const n = tile * bands;
    const src = strips.map((s) => new Uint32Array(s.buffer, s.byteOffset, s.length));
    for (let r = 0; r < tile; r++) {
      if (r >= rows) row.fill(this.fillBits);
      else if (bands === 1) {
        row.set(src[0]!.subarray(r * width + x0, r * width + x0 + w));
        if (w < tile) row.fill(this.fillBits, w);
      } else this.interleave(src, r * width + x0, w, row);
      floatRowDiff(row, n, bands, out.subarray(r * n * 4, (r + 1) * n * 4));
    }
  }

  private intTile(strips: SampleArray[], tx: number, rows: number, out: Uint8Array): void {
    const { width, tile, bands, ctor } = this;
    const x0 = tx * tile;
    const w = Math.min(tile, width - x0);
    const t = new ctor(out.buffer as ArrayBuffer, out.byteOffset, tile * tile * bands);
    if (rows < tile || w < tile) t.fill(this.fill);
    for (let r = 0; r < rows; r++) {
      const dst = t.subarray(r * tile * bands, (r + 1) * tile * bands);
      if (bands === 1) dst.set(strips[0]!.subarray(r * width + x0, r * width + x0 + w));
      else this.interleave(strips, r * width + x0, w, dst);
    }
    horizontalDiff(out, tile, tile, bands, ctor.BYTES_PER_ELEMENT as 1 | 2);
  }

  /** Pixel-interleaves `w` pixels of every band starting at `at`; pads the rest of `dst` with fill. */
  private interleave(src: ArrayLike<number>[], at: number, w: number, dst: { [i: number]: number; length: number }): void {
    const { bands } = this;
    for (let b = 0; b < bands; b++) {
      const s = src[b]!;
      for (let x = 0; x < w; x++) dst[x * bands + b] = s[at + x]!;
    }
    const pad = dst instanceof Uint32Array ? this.fillBits : this.fill;
    for (let i = w * bands; i < dst.length; i++) dst[i] = pad;
  }
}
