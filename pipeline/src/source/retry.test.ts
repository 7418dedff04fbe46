import { describe, expect, it } from "vitest";
import { RetryableError, retryAfterMs, withRetry } from "./retry.ts";

describe("retry policy", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs("0.5")).toBe(500);
    const now = Date.parse("2026-12-02T10:00:00Z");
    expect(retryAfterMs("Wed, 02 Dec 2026 10:00:07 GMT", now)).toBe(7000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it("waits a random share of base * 2^attempt, capped, and honours the server's wait", async () => {
    const waits: number[] = [];
    let n = 0;
    const v = await withRetry(
      "u",
      async () => {
        n++;
        if (n === 3) throw new RetryableError("HTTP 429", 40);
        if (n < 5) throw new RetryableError("HTTP 503");
        return "ok";
      },
      { baseMs: 10, capMs: 25, random: () => 0.5, onRetry: (i) => waits.push(i.waitMs) },
    );
    expect(v).toBe("ok");
    // 0.5 * 10, 0.5 * 20, then Retry-After 40 capped at 25, then 0.5 * min(25, 80).
    expect(waits).toEqual([5, 10, 25, 12.5]);
  });

  it("gives up after the last try with one line naming the URL and the cause", async () => {
    await expect(
      withRetry("http://x/y.tif", async () => Promise.reject(new RetryableError("HTTP 503 Service Unavailable")), { tries: 3, baseMs: 1 }),
    ).rejects.toThrow("http://x/y.tif: HTTP 503 Service Unavailable (gave up after 3 tries)");
  });

  it("does not retry errors that are not transient", async () => {
    let n = 0;
    await expect(
      withRetry("u", async () => {
        n++;
        throw new Error("HTTP 404");
      }),
    ).rejects.toThrow("HTTP 404");
    expect(n).toBe(1);
  });
});
