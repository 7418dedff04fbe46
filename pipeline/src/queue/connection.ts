/**
 * The Redis behind a queued run (BullMQ): `--queue redis://HOST:PORT[/DB]`. The server is reached
 * once up front, so a wrong address is one clear line instead of ioredis retrying forever.
 * BullMQ and ioredis are loaded only here, when a queue is used: importing them costs every
 * other command a quarter of a second at start-up.
 */
import type { Queue, QueueEvents } from "bullmq";
import { BadParameter } from "../errors.ts";

/** One queue for every reewatch job; job names say what each is. */
export const QUEUE_NAME = "reewatch";

export interface QueueConnection {
  url: string;
}

/** Checks the URL and that a Redis answers there; returns the options BullMQ's classes take. */
export async function connectQueue(url: string): Promise<QueueConnection> {
  if (!/^rediss?:\/\/[^/\s]+/.test(url)) throw new BadParameter(`--queue ${url}: expected redis://HOST:PORT`);
  const { Redis } = await import("ioredis");
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5000 });
  // the socket's own error (ECONNREFUSED...) says more than connect()'s "Connection is closed"
  let cause: NodeJS.ErrnoException | undefined;
  probe.on("error", (e: NodeJS.ErrnoException) => {
    cause ??= e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const e = cause ?? (err as NodeJS.ErrnoException);
    throw new BadParameter(`--queue ${url}: no Redis answers there (${e.code ?? e.message})`);
  } finally {
    probe.disconnect();
  }
  return { url };
}

/** BullMQ connection options: blocking clients (workers, queue events) need maxRetriesPerRequest null. */
export const bullConnection = (c: QueueConnection) => ({ url: c.url, maxRetriesPerRequest: null });

export async function openQueue(c: QueueConnection): Promise<Queue> {
  const { Queue } = await import("bullmq");
  return new Queue(QUEUE_NAME, { connection: bullConnection(c) });
}

export async function openQueueEvents(c: QueueConnection): Promise<QueueEvents> {
  const { QueueEvents } = await import("bullmq");
  return new QueueEvents(QUEUE_NAME, { connection: bullConnection(c) });
}
