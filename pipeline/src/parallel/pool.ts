/**
 * Worker threads for work that would otherwise hold the main thread: a piscina pool sized to the
 * cores (or -j), each task one exported function of a TypeScript module, with a MessagePort for
 * progress events. Results are the function's return value (structured-cloned).
 */
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";

export type Pool = Piscina;

/** A pool of `threads` workers (default: one per core). */
export function workerPool(threads = availableParallelism()): Pool {
  return new Piscina({
    filename: new URL("./ts-worker.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, threads),
    idleTimeout: 2000,
  });
}

/** Runs `fn` of `module` in the pool; messages the task posts on its port go to `onMessage`. */
export async function runInWorker<T, M = unknown>(pool: Pool, module: URL, fn: string, args: unknown, onMessage?: (m: M) => void): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  if (onMessage) port1.on("message", onMessage);
  try {
    return (await pool.run({ module: module.href, fn, args, port: port2 }, { transferList: [port2] })) as T;
  } finally {
    port1.close();
  }
}
