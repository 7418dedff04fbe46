/** `reewatch status`: how many jobs are waiting, active, done and failed, and why the failed ones failed. */
import { connectQueue, openQueue } from "./connection.ts";

export interface QueueStatus {
  counts: Record<string, number>;
  active: { id: string; name: string; attempts: number }[];
  failed: { id: string; name: string; attempts: number; reason: string }[];
}

export async function queueStatus(url: string, listed = 20): Promise<QueueStatus> {
  const queue = await openQueue(await connectQueue(url));
  try {
    const counts = await queue.getJobCounts("waiting", "delayed", "active", "completed", "failed");
    const active = (await queue.getActive(0, listed - 1)).map((j) => ({ id: String(j.id), name: j.name, attempts: j.attemptsMade }));
    const failed = (await queue.getFailed(0, listed - 1)).map((j) => ({ id: String(j.id), name: j.name, attempts: j.attemptsMade, reason: j.failedReason }));
    return { counts, active, failed };
  } finally {
    await queue.close();
  }
}
