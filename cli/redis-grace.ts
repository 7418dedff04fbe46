import { BadParameter } from "../pipeline/src/index.ts";

/** `--redis-grace` of `run --queue` and `worker`: a Redis restarted within it goes unnoticed (pipeline/src/queue/redis-watch.ts). */
export const REDIS_GRACE_HELP = "seconds Redis may stay unreachable before a queued run or worker stops with an error";

export function graceSeconds(text: string): number {
  const s = Number(text);
  if (!(s >= 1 && s <= 86_400)) throw new BadParameter(`--redis-grace ${text}: expected seconds from 1 to 86400`);
  return s;
}
