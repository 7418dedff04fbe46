import { Command } from "commander";
import { queueStatus } from "../pipeline/src/index.ts";
import { say, setResult } from "./output.ts";

export function command(): Command {
  return new Command("status")
    .description("show a queue's waiting, active, done and failed jobs, with the failures' reasons")
    .requiredOption("--queue <url>", "the Redis of the queue (redis://HOST:PORT)")
    .action(async (opts) => {
      const s = await queueStatus(opts.queue);
      const c = s.counts;
      say(`waiting ${c.waiting ?? 0}, delayed ${c.delayed ?? 0} (retry backoff), active ${c.active ?? 0}, done ${c.completed ?? 0}, failed ${c.failed ?? 0}`);
      for (const j of s.active) say(`  active ${j.name} ${j.id} (attempt ${j.attempts + 1})`);
      for (const j of s.failed) say(`  failed ${j.name} ${j.id} after ${j.attempts} attempt(s): ${j.reason}`);
      setResult(s);
    });
}
