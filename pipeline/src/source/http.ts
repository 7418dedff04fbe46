import { ReewatchError } from "../errors.ts";
import type { Source } from "./source.ts";

/** A remote file read with HTTP range requests (COGs on a STAC API, or a loopback test server). */
export class HttpSource implements Source {
  private total: number | undefined;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async size(signal?: AbortSignal): Promise<number> {
    if (this.total !== undefined) return this.total;
    const res = await fetch(this.url, { method: "HEAD", signal: this.signal(signal) });
    if (!res.ok) throw new ReewatchError(`${this.url}: HTTP ${res.status} on HEAD`);
    const len = Number(res.headers.get("content-length"));
    if (!Number.isFinite(len)) throw new ReewatchError(`${this.url}: server gave no content-length`);
    this.total = len;
    return len;
  }

  async fetch(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const res = await fetch(this.url, {
      headers: { range: `bytes=${offset}-${offset + length - 1}` },
      signal: this.signal(signal),
    });
    if (res.status === 416) return new Uint8Array(0);
    if (!res.ok) throw new ReewatchError(`${this.url}: HTTP ${res.status} for bytes ${offset}+${length}`);
    const body = new Uint8Array(await res.arrayBuffer());
    // A server that ignores Range answers 200 with the whole file.
    if (res.status === 200) return body.subarray(offset, offset + length);
    return body;
  }

  private signal(outer?: AbortSignal): AbortSignal {
    const t = AbortSignal.timeout(this.timeoutMs);
    return outer ? AbortSignal.any([outer, t]) : t;
  }
}
