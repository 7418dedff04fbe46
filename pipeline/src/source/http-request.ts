/**
 * One HTTP request with the policy every remote read shares: a per-host concurrency limit, a
 * timeout per try, retries on 429/5xx/resets/timeouts/cut bodies (retry.ts), optional URL signing
 * (Planetary Computer SAS tokens) with one fresh token after a 401/403, and errors that name the
 * URL without its token.
 */
import pLimit, { type LimitFunction } from "p-limit";
import { ReewatchError } from "../errors.ts";
import { isRetryableStatus, RetryableError, type RetryPolicy, retryAfterMs, withRetry } from "./retry.ts";

/** Signs a URL before each try (the token may have been renewed since the last one). */
export interface UrlSigner {
  sign(url: string, signal?: AbortSignal): Promise<string>;
  /** Forget the cached token: the server refused it. */
  invalidate(): void;
}

export interface HttpOptions {
  /** Timeout per try in ms (default 30 s). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  signer?: UrlSigner;
  /** Told of every body byte received (progress bars, "bytes read" totals). */
  onBytes?: (n: number) => void;
  /** Requests in flight per host (default 8): polite to public APIs, enough to fill a link. */
  perHost?: number;
}

/** fetch() options, with an abort signal that is never null. */
export type HttpInit = Omit<RequestInit, "signal"> & { signal?: AbortSignal };

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

const limits = new Map<string, LimitFunction>();

function hostLimit(url: string, perHost: number): LimitFunction {
  const key = `${new URL(url).host}/${perHost}`;
  let l = limits.get(key);
  if (!l) {
    l = pLimit(perHost);
    limits.set(key, l);
  }
  return l;
}

/**
 * Sends the request until it gives a final answer. Retryable statuses are retried; any other
 * non-2xx status is returned when `accept` lists it and thrown as a one-line error otherwise.
 * `check` may reject a 2xx answer as RetryableError (a short range, a cut JSON body).
 */
export async function request(
  url: string,
  init: HttpInit,
  opts: HttpOptions & { accept?: number[]; check?: (a: HttpAnswer) => void } = {},
): Promise<HttpAnswer> {
  const limit = hostLimit(url, opts.perHost ?? 8);
  let refreshed = false;
  return withRetry(
    url,
    () =>
      limit(async () => {
        const target = opts.signer ? await opts.signer.sign(url, init.signal) : url;
        const res = await fetch(target, { ...init, signal: trySignal(opts.timeoutMs ?? 30_000, init.signal) });
        if (opts.signer && (res.status === 401 || res.status === 403) && !refreshed) {
          // A SAS token can expire between signing and use: renew it once before giving up.
          refreshed = true;
          opts.signer.invalidate();
          await res.body?.cancel();
          throw new RetryableError(`HTTP ${res.status} (signed URL refused: token expired or invalid)`);
        }
        if (isRetryableStatus(res.status)) {
          await res.body?.cancel();
          throw new RetryableError(`HTTP ${res.status} ${res.statusText}`.trim(), retryAfterMs(res.headers.get("retry-after")));
        }
        if (!res.ok && !opts.accept?.includes(res.status)) {
          await res.body?.cancel();
          const why = opts.signer && (res.status === 401 || res.status === 403) ? " (signed URL refused: token expired or invalid)" : "";
          throw new ReewatchError(`${url}: HTTP ${res.status} ${res.statusText}${why}`.trim());
        }
        const body = new Uint8Array(await res.arrayBuffer());
        opts.onBytes?.(body.byteLength);
        const answer = { status: res.status, headers: res.headers, body };
        opts.check?.(answer);
        return answer;
      }),
    opts.retry,
    init.signal,
  );
}

function trySignal(timeoutMs: number, outer?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs);
  return outer ? AbortSignal.any([outer, t]) : t;
}

/** GET or POST a JSON document; a body that is not JSON is a one-line error naming the URL. */
export async function requestJson<T = unknown>(
  url: string,
  init: HttpInit,
  opts: HttpOptions & { accept?: number[] } = {},
): Promise<{ status: number; json: T }> {
  const a = await request(url, { ...init, headers: { accept: "application/json, application/geo+json", ...init.headers } }, opts);
  const text = Buffer.from(a.body).toString("utf8");
  try {
    return { status: a.status, json: JSON.parse(text) as T };
  } catch {
    const type = a.headers.get("content-type") ?? "no content-type";
    throw new ReewatchError(`${url}: answer is not JSON (HTTP ${a.status}, ${type}, starts "${text.slice(0, 40).replace(/\s+/g, " ")}")`);
  }
}
