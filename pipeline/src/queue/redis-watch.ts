/**
 * Redis going away in the middle of a queued run. ioredis reconnects forever by default, so a
 * coordinator or worker whose Redis has gone would wait, or print a connection error every
 * second, indefinitely. A watch pings Redis once a second on a connection of its own and calls
 * `onLost` once every ping for `graceMs` straight has failed: a restart of Redis within the
 * grace goes unnoticed, a Redis that stays away ends the process with one clear line.
 */
import type { QueueConnection } from "./connection.ts";

export interface RedisWatch {
  stop(): void;
}

const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 2000;

export async function watchRedis(c: QueueConnection, graceMs: number, onLost: (cause: string) => void): Promise<RedisWatch> {
  const { Redis } = await import("ioredis");
  // no offline queue and no retries per command: a ping while disconnected fails at once
  const client = new Redis(c.url, { retryStrategy: () => 500, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: PING_TIMEOUT_MS });
  let cause = "";
  client.on("error", (e: NodeJS.ErrnoException) => {
    cause = e.code ?? e.message;
  });
  let downSince: number | null = null;
  let busy = false;
  const stop = () => {
    clearInterval(timer);
    client.disconnect();
  };
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    const up = await pingWithin(client, PING_TIMEOUT_MS);
    busy = false;
    if (up) {
      downSince = null;
      return;
    }
    downSince ??= Date.now();
    if (Date.now() - downSince < graceMs) return;
    stop();
    onLost(cause || "no answer to PING");
  }, PING_EVERY_MS);
  return { stop };
}

async function pingWithin(client: { ping(): Promise<string> }, ms: number): Promise<boolean> {
  let timeout: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timeout = setTimeout(() => resolve(false), ms);
  });
  const answered = client.ping().then(
    () => true,
    () => false,
  );
  const up = await Promise.race([answered, late]);
  clearTimeout(timeout);
  return up;
}

/** The one line a coordinator or worker ends with when its Redis stayed away. */
export const redisLostMessage = (url: string, cause: string, graceMs: number): string =>
  `--queue ${url}: Redis went away (${cause}) and did not come back within ${graceMs / 1000} s; outputs of finished jobs are kept, run again once Redis is back to resume`;
