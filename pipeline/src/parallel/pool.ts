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

/**
 * Runs `fn` of `module` in the pool; messages the task posts on its port go to `onMessage`, whose
 * `reply` posts back to the task (acknowledgements, for a task that streams its results).
 */
export async function runInWorker<T, M = unknown>(
  pool: Pool,
  module: URL,
  fn: string,
  args: unknown,
  onMessage?: (m: M, reply: (r: unknown) => void) => void,
): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  if (onMessage) port1.on("message", (m: M) => onMessage(m, (r) => port1.postMessage(r)));
  try {
    return (await pool.run({ module: module.href, fn, args, port: port2 }, { transferList: [port2] })) as T;
  } finally {
    port1.close();
  }
}

export interface EachTask<A, T, M> {
  module: URL;
  fn: string;
  /** One argument per task. */
  tasks: A[];
  /** Threads at most (never more than tasks). */
  jobs: number;
  onMessage?: (m: M, task: number) => void;
  /** Told of each result as it arrives (before the others end). */
  onResult?: (r: T, task: number) => void | Promise<void>;
}

/**
 * One task per argument in a fresh pool, results in the order of the tasks. Every task runs to its
 * end before the first failure is thrown: destroying the pool at the first failure would cut the
 * others off mid-write and leave their temporary files behind.
 */
export async function runEach<A, T, M = unknown>(o: EachTask<A, T, M>): Promise<T[]> {
  const pool = workerPool(Math.min(o.jobs, o.tasks.length));
  try {
    const run = async (args: A, k: number) => {
      const r = await runInWorker<T, M>(pool, o.module, o.fn, args, o.onMessage && ((m) => o.onMessage!(m, k)));
      await o.onResult?.(r, k);
      return r;
    };
    const settled = await Promise.allSettled(o.tasks.map(run));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  } finally {
    await pool.destroy();
  }
}
