// The entry of every worker thread in reewatch's pools (pool.ts). Worker threads do not inherit
// the tsx loader that bin/reewatch.js registers in the main thread, so each registers it, then
// runs one exported function of a TypeScript module per task.
import { register } from "tsx/esm/api";

register();

/** A task: `fn` of `module` (a file: URL) called with `args` and, for progress, a MessagePort. */
export default async function runTask({ module, fn, args, port }) {
  const loaded = await import(module);
  if (typeof loaded[fn] !== "function") throw new Error(`${module}: no exported function ${fn}`);
  try {
    return await loaded[fn](args, port);
  } finally {
    port?.close();
  }
}
