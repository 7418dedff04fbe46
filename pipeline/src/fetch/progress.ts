/**
 * Fetch progress on stderr: a cli-progress bar with scene counts, bytes and ETA on a terminal,
 * one plain line per scene otherwise (CI logs, pipes), nothing with --quiet or --json.
 */
import cliProgress from "cli-progress";
import type { FetchEvents } from "./fetch.ts";

export function fetchProgress(collection: string, o: { quiet: boolean; tty: boolean }): { events: FetchEvents; stop(): void } {
  if (o.quiet) return { events: {}, stop() {} };
  if (!o.tty) return { events: plainEvents(collection), stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${collection} [{bar}] {value}/{total} scenes | {mb} MB read | ETA {eta_formatted} | {last}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let bytes = 0;
  const mb = () => (bytes / 1e6).toFixed(1);
  return {
    events: {
      onFound: (n) => bar.start(n, 0, { mb: mb(), last: "" }),
      onBytes: (n) => {
        bytes += n;
        bar.update({ mb: mb() });
      },
      onItem: (e, kept, done) => bar.update(done, { mb: mb(), last: `${e.id} ${kept ? "kept" : e.status}` }),
    },
    stop: () => bar.stop(),
  };
}

function plainEvents(collection: string): FetchEvents {
  return {
    onFound: (n, pages) => process.stderr.write(`${collection}: ${n} scene(s) found (${pages} page(s))\n`),
    onItem: (e, kept, done, total) =>
      process.stderr.write(`[${done}/${total}] ${e.id}: ${kept ? "kept (checksums match)" : e.status}${e.reason ? ` (${e.reason})` : ""}\n`),
  };
}
