import type { Source } from "./source.ts";

/** Bytes already in memory: tests, tarball members, generated files. */
export class MemorySource implements Source {
  constructor(
    private readonly bytes: Uint8Array,
    readonly url = "memory:",
  ) {}

  async size(): Promise<number> {
    return this.bytes.byteLength;
  }

  async fetch(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    return this.bytes.subarray(offset, Math.min(this.bytes.byteLength, offset + length));
  }
}
