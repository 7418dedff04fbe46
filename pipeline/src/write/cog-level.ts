/**
 * One level of a COG pyramid, fed row by row. Rows collect into a strip one tile high; a full
 * strip is cut into tiles, each predicted on the main thread and deflated on libuv's thread pool
 * (without waiting: the writer throttles how many tiles are in flight), then appended to this
 * level's spill file in row-major tile order, each as GDAL's COG driver lays blocks out: a 4-byte
 * size leader, the data, and its last 4 bytes repeated. Pairs of rows are reduced 2x into the next
 * level, so memory is a strip per level, never the image.
 */
import type { FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { constants, deflate } from "node:zlib";
import { downsampleRows, type Resampling } from "./cog-overviews.ts";
import { type SampleArray, type SampleCtor, TileEncoder } from "./cog-tile.ts";

const deflateAsync = promisify(deflate);

export interface LevelSpec {
  width: number;
  height: number;
  tile: number;
  bands: number;
  ctor: SampleCtor;
  /** No-data value for overview reduction (NaN when the integer raster has none). */
  nodata: number;
  /** Padding value of edge tiles. */
  fill: number;
  deflateLevel: number;
  /** zlib Z_RLE strategy instead of the default. */
  rle: boolean;
  resampling: Resampling;
}

/** Tiles compressing or being written, oldest first; the writer waits on it to bound memory. */
export class Inflight {
  private readonly queue: { done: Promise<void>; tiles: number }[] = [];
  private tiles = 0;
  private error: unknown = null;

  add(work: Promise<void>, tiles: number): void {
    const done = work.catch((err: unknown) => {
      this.error ??= err;
    });
    this.queue.push({ done, tiles });
    this.tiles += tiles;
  }

  /** Waits until at most `maxTiles` remain in flight; rethrows the first failure. */
  async drain(maxTiles: number): Promise<void> {
    while (this.tiles > maxTiles && this.queue.length > 0) {
      const { done, tiles } = this.queue.shift()!;
      await done;
      this.tiles -= tiles;
    }
    if (this.error) throw this.error;
  }
}

export class PyramidLevel {
  readonly tilesAcross: number;
  readonly tilesDown: number;
  /** Byte offset of each tile's data in the spill file (after its leader), row-major. */
  readonly offsets: number[] = [];
  readonly counts: number[] = [];
  spillSize = 0;
  private readonly strip: SampleArray[];
  private readonly down: SampleArray[];
  private readonly encoder: TileEncoder;
  private rowsInStrip = 0;
  private rowsSeen = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: LevelSpec,
    private readonly spill: FileHandle,
    readonly next: PyramidLevel | null,
    private readonly inflight: Inflight,
  ) {
    const { width, tile, bands, ctor, fill } = spec;
    this.tilesAcross = Math.ceil(width / tile);
    this.tilesDown = Math.ceil(spec.height / tile);
    this.strip = Array.from({ length: bands }, () => new ctor(tile * width));
    this.down = next ? Array.from({ length: bands }, () => new ctor(next.spec.width)) : [];
    this.encoder = new TileEncoder(width, tile, bands, ctor, fill);
  }

  /** Rows `r0 .. r0 + count - 1` of `rows` (one array per band, `width` samples a row). */
  pushRows(rows: SampleArray[], r0: number, count: number): void {
    const { width, tile, height, bands } = this.spec;
    for (let r = r0; r < r0 + count; r++) {
      const at = this.rowsInStrip * width;
      for (let b = 0; b < bands; b++) this.strip[b]!.set(rows[b]!.subarray(r * width, (r + 1) * width), at);
      this.rowsInStrip++;
      this.rowsSeen++;
      const last = this.rowsSeen === height;
      // Tiles are even in height, so a pair of rows never straddles two strips.
      if (this.next && ((this.rowsInStrip & 1) === 0 || last)) this.reduce(last && (this.rowsInStrip & 1) === 1);
      if (this.rowsInStrip === tile || last) this.flushStrip();
    }
  }

  private reduce(single: boolean): void {
    const { width, resampling, nodata } = this.spec;
    const r = single ? this.rowsInStrip - 1 : this.rowsInStrip - 2;
    for (let b = 0; b < this.spec.bands; b++) {
      const s = this.strip[b]!;
      const a = s.subarray(r * width, (r + 1) * width);
      const c = single ? a : s.subarray((r + 1) * width, (r + 2) * width);
      downsampleRows(a, c, width, this.down[b]!, resampling, nodata);
    }
    this.next!.pushRows(this.down, 0, 1);
  }

  private flushStrip(): void {
    const rows = this.rowsInStrip;
    this.rowsInStrip = 0;
    const strategy = this.spec.rle ? constants.Z_RLE : constants.Z_DEFAULT_STRATEGY;
    const opts = { level: this.spec.deflateLevel, strategy, chunkSize: this.encoder.byteLength + 1024 };
    const jobs: Promise<Buffer>[] = [];
    // One output chunk per tile lets the tiles compress in parallel on the thread pool.
    for (let tx = 0; tx < this.tilesAcross; tx++) {
      const raw = this.encoder.encode(this.strip, tx, rows);
      jobs.push(
        deflateAsync(raw, opts).finally(() => {
          this.encoder.release(raw);
        }),
      );
    }
    const before = this.tail;
    this.tail = (async () => {
      const encoded = await Promise.all(jobs);
      await before;
      await this.append(encoded);
    })();
    this.inflight.add(this.tail, jobs.length);
  }

  private async append(encoded: Buffer[]): Promise<void> {
    const parts: Uint8Array[] = [];
    let pos = this.spillSize;
    for (const buf of encoded) {
      const leader = Buffer.alloc(4);
      leader.writeUInt32LE(buf.byteLength, 0);
      this.offsets.push(pos + 4);
      this.counts.push(buf.byteLength);
      parts.push(leader, buf, buf.subarray(buf.byteLength - 4));
      pos += buf.byteLength + 8;
    }
    const { bytesWritten } = await this.spill.writev(parts, this.spillSize);
    if (bytesWritten !== pos - this.spillSize) throw new Error(`short write to spill file (${bytesWritten} of ${pos - this.spillSize} bytes)`);
    this.spillSize = pos;
  }
}
