/**
 * One level of a COG pyramid, fed row by row. Rows gather in a small batch, which is written to
 * this level's region of a raw file laid out tile by tile; when a tile row is complete, `cut()`
 * reads each tile back, predicts it on the main thread and deflates it on libuv's thread pool
 * (a bounded number in flight), then appends the tiles to this level's spill file in row-major
 * order, each as GDAL's COG driver lays blocks out: a 4-byte size leader, the data, and its last
 * 4 bytes repeated. Pairs of rows are reduced 2x into the next level. So memory is a 16-row
 * batch per level and the tiles in flight, never a row of tiles: the tile rows live in the page
 * cache, and a wide image costs 16 rows of its width, not 512.
 */
import { readSync, writeSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { constants, deflate } from "node:zlib";
import { downsampleRows, type Resampling } from "./cog-overviews.ts";
import { type SampleArray, type SampleCtor, TileEncoder } from "./cog-tile.ts";
import { writeAllAt } from "./write-all.ts";

const deflateAsync = promisify(deflate);

/** Rows gathered before they go to the raw file: even (row pairs reduce inside it) and a divisor of every tile size (a multiple of 16). */
const BATCH_ROWS = 16;
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

/** Tiles compressing or being written, oldest first, by their bytes; the writer waits on it to bound memory. */
export class Inflight {
  private readonly queue: { done: Promise<void>; bytes: number }[] = [];
  private bytes = 0;
  private error: unknown = null;

  add(work: Promise<void>, bytes: number): void {
    const done = work.catch((err: unknown) => {
      this.error ??= err;
    });
    this.queue.push({ done, bytes });
    this.bytes += bytes;
  }

  /** Waits until at most `maxBytes` of tiles remain in flight (0: until everything, appends too, is done); rethrows the first failure. */
  async drain(maxBytes: number): Promise<void> {
    while (this.queue.length > 0 && (this.bytes > maxBytes || maxBytes === 0)) {
      const { done, bytes } = this.queue.shift()!;
      await done;
      this.bytes -= bytes;
    }
    if (this.error) throw this.error;
  }
}

/** A level's place in the writer's raw file: its descriptor and where its region starts. */
export interface RawRegion {
  fd: number;
  offset: number;
}

/** Bytes of a level's region in the raw file: one row of tiles, band after band. */
export const rawRegionBytes = (width: number, tile: number, bands: number, bytesPerSample: number): number =>
  Math.ceil(width / tile) * tile * tile * bands * bytesPerSample;

export class PyramidLevel {
  readonly tilesAcross: number;
  readonly tilesDown: number;
  /** Byte offset of each tile's data in the spill file (after its leader), row-major. */
  readonly offsets: number[] = [];
  readonly counts: number[] = [];
  spillSize = 0;
  private readonly batch: SampleArray[];
  private readonly down: SampleArray[];
  private readonly encoder: TileEncoder;
  private readonly bps: number;
  private rowsInBatch = 0;
  /** Rows of the current tile row already in the raw file. */
  private rowsInTileRow = 0;
  private rowsSeen = 0;
  /** Valid rows of a complete tile row waiting in the raw file to be cut (0: none). */
  private pending = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: LevelSpec,
    private readonly spill: FileHandle,
    private readonly raw: RawRegion,
    readonly next: PyramidLevel | null,
    private readonly inflight: Inflight,
  ) {
    const { width, tile, bands, ctor, fill } = spec;
    this.tilesAcross = Math.ceil(width / tile);
    this.tilesDown = Math.ceil(spec.height / tile);
    this.bps = ctor.BYTES_PER_ELEMENT;
    this.batch = Array.from({ length: bands }, () => new ctor(BATCH_ROWS * width));
    this.down = next ? Array.from({ length: bands }, () => new ctor(next.spec.width)) : [];
    this.encoder = new TileEncoder(width, tile, bands, ctor, fill);
  }

  /** Rows `r0 .. r0 + count - 1` of `rows` (one array per band, `width` samples a row). */
  pushRows(rows: SampleArray[], r0: number, count: number): void {
    const { width, tile, height, bands } = this.spec;
    for (let r = r0; r < r0 + count; r++) {
      const at = this.rowsInBatch * width;
      for (let b = 0; b < bands; b++) this.batch[b]!.set(rows[b]!.subarray(r * width, (r + 1) * width), at);
      this.rowsInBatch++;
      this.rowsSeen++;
      const last = this.rowsSeen === height;
      // Batches are even in height, so a pair of rows never straddles two of them.
      if (this.next && ((this.rowsInBatch & 1) === 0 || last)) this.reduce(last && (this.rowsInBatch & 1) === 1);
      if (this.rowsInBatch === BATCH_ROWS || this.rowsInTileRow + this.rowsInBatch === tile || last) this.writeBatch(last);
    }
  }

  private reduce(single: boolean): void {
    const { width, resampling, nodata } = this.spec;
    const r = single ? this.rowsInBatch - 1 : this.rowsInBatch - 2;
    for (let b = 0; b < this.spec.bands; b++) {
      const s = this.batch[b]!;
      const a = s.subarray(r * width, (r + 1) * width);
      const c = single ? a : s.subarray((r + 1) * width, (r + 2) * width);
      downsampleRows(a, c, width, this.down[b]!, resampling, nodata);
    }
    this.next!.pushRows(this.down, 0, 1);
  }

  /** Byte position of tile column `tx`, band `b`, row `r` in the raw file. */
  private rawPosition(b: number, tx: number, r: number): number {
    const { tile } = this.spec;
    return this.raw.offset + ((b * this.tilesAcross + tx) * tile * tile + r * tile) * this.bps;
  }

  /** The batch's rows into each tile's place in the raw file (tile-wide rows, so a tile reads back in one piece). */
  private writeBatch(last: boolean): void {
    const { width, tile, bands, ctor } = this.spec;
    if (this.pending) throw new Error("a tile row was not cut before the next one began");
    const rows = this.rowsInBatch;
    const staged = new ctor(scratch(BATCH_ROWS * tile * this.bps), 0, BATCH_ROWS * tile);
    for (let b = 0; b < bands; b++) {
      const src = this.batch[b]!;
      for (let tx = 0; tx < this.tilesAcross; tx++) {
        const x0 = tx * tile;
        const w = Math.min(tile, width - x0);
        for (let r = 0; r < rows; r++) staged.set(src.subarray(r * width + x0, r * width + x0 + w), r * tile);
        writeAll(this.raw.fd, new Uint8Array(staged.buffer, 0, rows * tile * this.bps), this.rawPosition(b, tx, this.rowsInTileRow));
      }
    }
    this.rowsInBatch = 0;
    this.rowsInTileRow += rows;
    if (this.rowsInTileRow === tile || last) {
      this.pending = this.rowsInTileRow;
      this.rowsInTileRow = 0;
    }
  }

  /** Cuts a complete tile row, if one waits: each tile read back, predicted and queued to deflate, at most `maxInflight` bytes of tiles in flight. */
  async cut(maxInflight: number): Promise<void> {
    const rows = this.pending;
    if (!rows) return;
    this.pending = 0;
    const { tile, bands, ctor } = this.spec;
    const strategy = this.spec.rle ? constants.Z_RLE : constants.Z_DEFAULT_STRATEGY;
    const opts = { level: this.spec.deflateLevel, strategy, chunkSize: this.encoder.byteLength + 1024 };
    const bandBytes = tile * tile * this.bps;
    const jobs: Promise<Buffer>[] = [];
    for (let tx = 0; tx < this.tilesAcross; tx++) {
      // read and predict with no await between them: the scratch buffer is shared by every writer of the thread
      const buf = scratch(bands * bandBytes);
      const tileBands = Array.from({ length: bands }, (_, b) => {
        readAll(this.raw.fd, new Uint8Array(buf, b * bandBytes, bandBytes), this.rawPosition(b, tx, 0));
        return new ctor(buf, b * bandBytes, tile * tile);
      });
      const predicted = this.encoder.encode(tileBands, tx, rows, "tile");
      // One output chunk per tile lets the tiles compress in parallel on the thread pool.
      const job = deflateAsync(predicted, opts).finally(() => this.encoder.release(predicted));
      jobs.push(job);
      this.inflight.add(
        job.then(() => {}),
        predicted.byteLength,
      );
      await this.inflight.drain(maxInflight);
    }
    const before = this.tail;
    this.tail = (async () => {
      const encoded = await Promise.all(jobs);
      await before;
      await this.append(encoded);
    })();
    this.inflight.add(this.tail, 0);
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
    await writeAllAt(this.spill, parts, this.spillSize);
    this.spillSize = pos;
  }
}

let scratchBuffer = new ArrayBuffer(0);

/** A buffer of at least `bytes` shared by every writer of this thread, for work that finishes before the next await. */
function scratch(bytes: number): ArrayBuffer {
  if (scratchBuffer.byteLength < bytes) scratchBuffer = new ArrayBuffer(bytes);
  return scratchBuffer;
}

/** Synchronous, as readAll: the staged bytes sit in the shared scratch buffer, reused at once; the write lands in the page cache. */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    const n = readSync(fd, bytes, done, bytes.byteLength - done, position + done);
    if (n === 0) throw new Error(`raw tile file ends at byte ${position + done}`);
    done += n;
  }
}
