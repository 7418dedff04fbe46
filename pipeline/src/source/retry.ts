/**
 * Retries for remote reads: exponential backoff with full jitter (the AWS architecture blog's
 * "full jitter" variant: a random wait in [0, min(cap, base * 2^attempt)]), `Retry-After` honoured
 * when a server sends one, and one clear line naming the URL and the last cause after the last try.
 */
import { ReewatchError } from "../errors.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  tries?: number;
  /** First backoff ceiling in ms (default 250). */
  baseMs?: number;
  /** Largest wait in ms, Retry-After included (default 20 s). */
  capMs?: number;
  /** Random numbers in [0, 1) for the jitter (tests pass a seeded one). */
  random?: () => number;
  /** Told of every retry: counts for summaries ("retries survived"). */
  onRetry?: (info: { url: string; attempt: number; cause: string; waitMs: number }) => void;
}

/** A failure worth another try (429, 5xx, reset, timeout, short or mismatched range answer). */
export class RetryableError extends Error {
  override name = "RetryableError";
  constructor(
    message: string,
    /** Server-requested wait in ms (Retry-After), when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export const isRetryableStatus = (status: number) => RETRYABLE_STATUS.has(status);

/** Retry-After as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Network-level failures fetch() reports as TypeError("fetch failed") with a cause code. */
export function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "TimeoutError") return true;
  const code = (err.cause as NodeJS.ErrnoException | undefined)?.code ?? (err as NodeJS.ErrnoException).code;
  if (code && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|UND_ERR_\w+|ECONNABORTED)$/.test(code)) return true;
  return err instanceof TypeError && /fetch failed|terminated|other side closed/i.test(err.message);
}

/** The one-line cause of a failure, for retry logs and the final error. */
export function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError") return "timed out";
  const code = (err.cause as NodeJS.ErrnoException | undefined)?.code;
  const causeMsg = (err.cause as Error | undefined)?.message;
  if (code) return `${code}${causeMsg && !causeMsg.includes(code) ? ` (${causeMsg})` : ""}`;
  return `${err.message}${causeMsg ? ` (${causeMsg})` : ""}`.replace(/\s+/g, " ");
}

/**
 * Runs `attempt` until it succeeds, throws something that is not retryable, or the tries run out.
 * The caller's abort signal stops the waiting at once.
 */
export async function withRetry<T>(url: string, attempt: (n: number) => Promise<T>, policy: RetryPolicy = {}, signal?: AbortSignal): Promise<T> {
  const tries = policy.tries ?? 6;
  const random = policy.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (signal?.aborted) throw err;
      const retryable = err instanceof RetryableError || isNetworkError(err);
      if (!retryable) throw err;
      const cause = causeOf(err);
      if (n + 1 >= tries) throw new ReewatchError(`${url}: ${cause} (gave up after ${tries} tries)`);
      const ceiling = Math.min(policy.capMs ?? 20_000, (policy.baseMs ?? 250) * 2 ** n);
      const asked = err instanceof RetryableError ? err.retryAfterMs : undefined;
      const waitMs = Math.min(policy.capMs ?? 20_000, asked ?? random() * ceiling);
      policy.onRetry?.({ url, attempt: n + 1, cause, waitMs });
      await sleep(waitMs, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
