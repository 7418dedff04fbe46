import { type FileHandle, open } from "node:fs/promises";
import { ReewatchError } from "../errors.ts";
import type { Source } from "./source.ts";

/** A local file read with positioned reads; the handle is opened once. */
export class FileSource implements Source {
  private constructor(
    readonly url: string,
    private readonly handle: FileHandle,
    private readonly bytes: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ReewatchError(`${path}: cannot open (${code === "ENOENT" ? "no such file" : code})`);
    }
    const st = await handle.stat();
    if (st.isDirectory()) {
      await handle.close();
      throw new ReewatchError(`${path}: is a directory, expected a file`);
    }
    return new FileSource(path, handle, st.size);
  }

  async size(): Promise<number> {
    return this.bytes;
  }

  async fetch(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    const n = Math.max(0, Math.min(length, this.bytes - offset));
    const buf = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
