/** Tasks for pool.test.ts, run in worker threads: fail at once, or write a file after a wait. */
import { writeFile } from "node:fs/promises";
import { setTimeout } from "node:timers/promises";

export async function failOrWrite(t: { fail?: string; write?: string; afterMs?: number }): Promise<string> {
  if (t.fail) throw new Error(t.fail);
  await setTimeout(t.afterMs ?? 0);
  await writeFile(t.write!, "done");
  return t.write!;
}
