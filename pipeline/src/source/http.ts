import { ReewatchError } from "../errors.ts";
import { type HttpAnswer, type HttpOptions, request } from "./http-request.ts";
import { RetryableError } from "./retry.ts";
import type { Source } from "./source.ts";

/**
 * A remote file read with HTTP range requests (COGs behind a STAC API, or a loopback test server).
 * Every answer is checked against the request: a range answer whose Content-Range or length does
 * not match is retried, never returned as data.
 */
export class HttpSource implements Source {
  private total: number | undefined;
  private readonly opts: HttpOptions;

  constructor(
    readonly url: string,
    opts: HttpOptions | number = {},
  ) {
    this.opts = typeof opts === "number" ? { timeoutMs: opts } : opts;
  }

  async size(signal?: AbortSignal): Promise<number> {
    if (this.total !== undefined) return this.total;
    // Some object stores refuse HEAD on signed URLs (403/405): ask for one byte instead.
    const head = await request(this.url, { method: "HEAD", signal }, { ...this.opts, accept: [403, 404, 405, 501] });
    const len = Number(head.headers.get("content-length") ?? Number.NaN);
    if (head.status < 300 && Number.isFinite(len) && len >= 0) this.total = len;
    else this.total = await this.sizeFromRange(signal, head.status);
    return this.total;
  }

  private async sizeFromRange(signal: AbortSignal | undefined, headStatus: number): Promise<number> {
    const a = await request(this.url, { headers: { range: "bytes=0-0" }, signal }, this.opts);
    const total = Number(/\/(\d+)$/.exec(a.headers.get("content-range") ?? "")?.[1] ?? (a.status === 200 ? a.body.byteLength : Number.NaN));
    if (!Number.isFinite(total)) throw new ReewatchError(`${this.url}: server gives no size (HEAD answered ${headStatus}, no Content-Range)`);
    return total;
  }

  async fetch(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const last = offset + length - 1;
    const a = await request(
      this.url,
      { headers: { range: `bytes=${offset}-${last}` }, signal },
      { ...this.opts, accept: [416], check: (ans) => this.checkRange(ans, offset, last) },
    );
    if (a.status === 416) return new Uint8Array(0);
    // A server that ignores Range answers 200 with the whole file.
    return a.status === 200 ? a.body.subarray(offset, offset + length) : a.body;
  }

  /** The answer must hold exactly the bytes asked for (clipped at the end of the file). */
  private checkRange(a: HttpAnswer, first: number, last: number): void {
    if (a.status === 416) return;
    if (a.status === 200) {
      if (this.total !== undefined && a.body.byteLength !== this.total)
        throw new RetryableError(`whole-file answer of ${a.body.byteLength} bytes, expected ${this.total}: cut`);
      return;
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(a.headers.get("content-range") ?? "");
    if (!m) throw new RetryableError(`range answer without a valid Content-Range ("${a.headers.get("content-range") ?? ""}")`);
    const [start, end] = [Number(m[1]), Number(m[2])];
    const total = m[3] === "*" ? this.total : Number(m[3]);
    const wantEnd = total === undefined ? last : Math.min(last, total - 1);
    if (start !== first || end !== wantEnd)
      throw new RetryableError(`asked bytes ${first}-${last}, server sent ${start}-${end}${total === undefined ? "" : `/${total}`}`);
    if (a.body.byteLength !== end - start + 1)
      throw new RetryableError(`range ${start}-${end} carried ${a.body.byteLength} bytes, expected ${end - start + 1}: cut`);
  }
}
