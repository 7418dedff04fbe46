/**
 * Float32 strips parked on disk between passes: a statistic that spans the whole region (RSEI's
 * PCA and ranges) needs several passes over values computed strip by strip, and holding them in
 * memory would make memory grow with the region. The file is a temporary name beside the outputs,
 * so a killed run's leftover is swept by removeTemporaries, and it is removed when closed.
 */
import { type FileHandle, open, rm } from "node:fs/promises";
import { tempPathFor } from "./atomic.ts";

export class StripSpill {
  private readonly strips: { offset: number; lengths: number[] }[] = [];
  private size = 0;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** A spill file beside `near` (a path in the output folder). */
  static async create(near: string): Promise<StripSpill> {
    const path = tempPathFor(`${near}.spill`);
    return new StripSpill(path, await open(path, "w+"));
  }

  get count(): number {
    return this.strips.length;
  }

  async append(arrays: Float32Array[]): Promise<void> {
    const offset = this.size;
    for (const a of arrays) {
      await this.handle.write(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 0, a.byteLength, this.size);
      this.size += a.byteLength;
    }
    this.strips.push({ offset, lengths: arrays.map((a) => a.length) });
  }

  /** Strip k's arrays, as appended. */
  async read(k: number): Promise<Float32Array[]> {
    const s = this.strips[k]!;
    const total = s.lengths.reduce((a, b) => a + b, 0);
    const all = new Float32Array(total);
    await this.handle.read(new Uint8Array(all.buffer), 0, all.byteLength, s.offset);
    const out: Float32Array[] = [];
    let at = 0;
    for (const n of s.lengths) {
      out.push(all.subarray(at, at + n));
      at += n;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.path, { force: true });
  }
}
