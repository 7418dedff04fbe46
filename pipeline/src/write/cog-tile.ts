/**
 * One COG tile's bytes before deflate: cut from a strip of rows (one array per band), padded with
 * the fill value past the image edge, pixel-interleaved, then run through the TIFF predictor
 * (3 for float32, 2 for integers).
 */
import { floatRowDiff, horizontalDiff } from "./tiff-predictor.ts";

/**
 * Predicted-tile buffers kept for reuse, per byte length, shared by every encoder of the thread:
 * a site run has some forty writers open at once, and each keeping its own few 1 MiB buffers
 * held 80 MB between tile rows; the writers' tiles in flight are bounded, so a few shared suffice,
 * up to 8 MiB of each size (8 float32 tiles, one tile of a 12-scene int16 stack).
 */
const FREE_BYTES = 8 << 20;
const freeTiles = new Map<number, Uint8Array[]>();

export type SampleArray = Float32Array | Uint8Array | Uint16Array | Int16Array;
export type SampleCtor = Float32ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor;

/** Where a tile's samples sit in the source arrays: row stride and first column. */
interface Source {
  stride: number;
  x0: number;
}

export class TileEncoder {
  private readonly isFloat: boolean;
  private readonly row: Uint32Array;
  private readonly fillBits: number;

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

  /**
   * Tile column `tx` holding `rows` valid rows; returns predicted bytes (see release). The source
   * is a strip (`width` samples a row) or, with `layout` "tile", that tile's own samples alone
   * (`tile` samples a row, its first column at 0).
   */
  encode(strips: SampleArray[], tx: number, rows: number, layout: "strip" | "tile" = "strip"): Uint8Array {
    const out = freeTiles.get(this.byteLength)?.pop() ?? new Uint8Array(this.byteLength);
    const x0 = tx * this.tile;
    const w = Math.min(this.tile, this.width - x0);
    const src = layout === "strip" ? { stride: this.width, x0 } : { stride: this.tile, x0: 0 };
    if (this.isFloat) this.floatTile(strips as Float32Array[], src, w, rows, out);
    else this.intTile(strips, src, w, rows, out);
    return out;
  }

  /** Hands a buffer from encode() back once nothing reads it any more. */
  release(buf: Uint8Array): void {
    const free = freeTiles.get(buf.byteLength) ?? [];
    if ((free.length + 1) * buf.byteLength <= FREE_BYTES) free.push(buf);
    freeTiles.set(buf.byteLength, free);
  }

  private floatTile(strips: Float32Array[], { stride, x0 }: Source, w: number, rows: number, out: Uint8Array): void {
    const { tile, bands, row } = this;
    const n = tile * bands;
    const src = strips.map((s) => new Uint32Array(s.buffer, s.byteOffset, s.length));
    for (let r = 0; r < tile; r++) {
      if (r >= rows) row.fill(this.fillBits);
      else if (bands === 1) {
        row.set(src[0]!.subarray(r * stride + x0, r * stride + x0 + w));
        if (w < tile) row.fill(this.fillBits, w);
      } else this.interleave(src, r * stride + x0, w, row);
      floatRowDiff(row, n, bands, out.subarray(r * n * 4, (r + 1) * n * 4));
    }
  }

  private intTile(strips: SampleArray[], { stride, x0 }: Source, w: number, rows: number, out: Uint8Array): void {
    const { tile, bands, ctor } = this;
    const t = new ctor(out.buffer as ArrayBuffer, out.byteOffset, tile * tile * bands);
    if (rows < tile || w < tile) t.fill(this.fill);
    for (let r = 0; r < rows; r++) {
      const dst = t.subarray(r * tile * bands, (r + 1) * tile * bands);
      if (bands === 1) dst.set(strips[0]!.subarray(r * stride + x0, r * stride + x0 + w));
      else this.interleave(strips, r * stride + x0, w, dst);
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
