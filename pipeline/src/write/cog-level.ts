/**
 * One level of a COG pyramid, fed row by row. Rows collect into a strip one tile high; a full
 * strip is cut into tiles, each predicted and deflated (in parallel on libuv's pool) and appended
 * to this level's spill file in row-major tile order. Pairs of rows are averaged down into the
 * next level, so memory is a strip per level, never the image.
 */
import type { FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import { floatingPointDiff, horizontalDiff } from "./tiff-predictor.ts";

const deflateAsync = promisify(deflate);

export type SampleArray = Float32Array | Uint8Array | Uint16Array | Int16Array;
export type SampleCtor = Float32ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor;
export type Resampling = "average" | "nearest" | "mode";

export interface LevelSpec {
  width: number;
  height: number;
  tile: number;
  bands: number;
  ctor: SampleCtor;
  nodata: number;
  level: number;
  deflateLevel: number;
  resampling: Resampling;
}

export class PyramidLevel {
  readonly tilesAcross: number;
  readonly tilesDown: number;
  readonly offsets: number[] = [];
  readonly counts: number[] = [];
  spillSize = 0;
  private readonly strip: SampleArray[];
  private rowsInStrip = 0;
  private rowsSeen = 0;
  private pending: SampleArray[] | null = null;
  private readonly tileBuf: SampleArray;

  constructor(
    readonly spec: LevelSpec,
    private readonly spill: FileHandle,
    readonly next: PyramidLevel | null,
  ) {
    this.tilesAcross = Math.ceil(spec.width / spec.tile);
    this.tilesDown = Math.ceil(spec.height / spec.tile);
    this.strip = Array.from({ length: spec.bands }, () => new spec.ctor(spec.tile * spec.width));
    this.tileBuf = new spec.ctor(spec.tile * spec.tile * spec.bands);
  }

  /** One row per band, each `width` samples. */
  async pushRow(row: SampleArray[]): Promise<void> {
    const { width, tile, height } = this.spec;
    for (let b = 0; b < row.length; b++) this.strip[b]!.set(row[b]!.subarray(0, width), this.rowsInStrip * width);
    this.rowsInStrip++;
    this.rowsSeen++;
    if (this.rowsInStrip === tile || this.rowsSeen === height) await this.flushStrip();
    if (!this.next) return;
    if (!this.pending) {
      this.pending = row.map((r) => r.slice(0, width) as SampleArray);
      if (this.rowsSeen === height) await this.pushDown(this.pending, this.pending);
    } else {
      await this.pushDown(this.pending, row);
    }
  }

  private async pushDown(a: SampleArray[], b: SampleArray[]): Promise<void> {
    this.pending = null;
    const w2 = this.next!.spec.width;
    const out = a.map((ra, k) => downsampleRows(ra, b[k]!, this.spec.width, w2, this.spec));
    await this.next!.pushRow(out);
  }

  private async flushStrip(): Promise<void> {
    const rows = this.rowsInStrip;
    this.rowsInStrip = 0;
    const jobs: Promise<Buffer>[] = [];
    for (let tx = 0; tx < this.tilesAcross; tx++) jobs.push(this.encodeTile(tx, rows));
    const encoded = await Promise.all(jobs);
    for (const buf of encoded) {
      this.offsets.push(this.spillSize);
      this.counts.push(buf.byteLength);
      await this.spill.write(buf, 0, buf.byteLength, this.spillSize);
      this.spillSize += buf.byteLength;
    }
  }

  private encodeTile(tx: number, rows: number): Promise<Buffer> {
    const { width, tile, bands, nodata, ctor, deflateLevel } = this.spec;
    const t = this.tileBuf;
    t.fill(nodata);
    const x0 = tx * tile;
    const w = Math.min(tile, width - x0);
    for (let r = 0; r < rows; r++) {
      const dst = r * tile * bands;
      if (bands === 1) {
        t.set(this.strip[0]!.subarray(r * width + x0, r * width + x0 + w), dst);
        continue;
      }
      for (let b = 0; b < bands; b++) {
        const src = this.strip[b]!;
        for (let x = 0; x < w; x++) t[dst + x * bands + b] = src[r * width + x0 + x]!;
      }
    }
    // Copy out so the shared tile buffer can be refilled while zlib works on the pool.
    const bytes = new Uint8Array(t.buffer.slice(0, t.byteLength));
    if (ctor === Float32Array) floatingPointDiff(bytes, tile, tile, bands, new Uint8Array(tile * bands * 4));
    else horizontalDiff(bytes, tile, tile, bands, ctor.BYTES_PER_ELEMENT as 1 | 2);
    // One output chunk per tile lets tiles compress in parallel on the thread pool.
    return deflateAsync(bytes, { level: deflateLevel, chunkSize: bytes.byteLength + 1024 });
  }
}

/** Two source rows -> one row of half width: NaN/nodata-aware mean, top-left nearest, or mode. */
export function downsampleRows(a: SampleArray, b: SampleArray, w: number, w2: number, spec: Pick<LevelSpec, "nodata" | "resampling">): SampleArray {
  const out = new (a.constructor as SampleCtor)(w2);
  const nd = spec.nodata;
  const round = !(a instanceof Float32Array);
  const vals = [0, 0, 0, 0];
  for (let x = 0; x < w2; x++) {
    const i = 2 * x;
    const j = i + 1 < w ? i + 1 : i;
    if (spec.resampling === "nearest") {
      out[x] = a[i]!;
      continue;
    }
    // The 2x2 window, without duplicates at the right edge (j == i) or the last odd row (a == b).
    let n = 0;
    vals[n++] = a[i]!;
    if (j !== i) vals[n++] = a[j]!;
    if (b !== a) {
      vals[n++] = b[i]!;
      if (j !== i) vals[n++] = b[j]!;
    }
    if (spec.resampling === "mode") {
      out[x] = modeOf(vals, n, nd);
      continue;
    }
    let s = 0;
    let k = 0;
    for (let q = 0; q < n; q++) {
      const v = vals[q]!;
      if (v === v && v !== nd) {
        s += v;
        k++;
      }
    }
    out[x] = k === 0 ? nd : round ? Math.round(s / k) : s / k;
  }
  return out;
}

function modeOf(vals: number[], n: number, nd: number): number {
  let best = nd;
  let bestCount = 0;
  for (let p = 0; p < n; p++) {
    const v = vals[p]!;
    if (v !== v || v === nd) continue;
    let c = 0;
    for (let q = 0; q < n; q++) if (vals[q] === v) c++;
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
