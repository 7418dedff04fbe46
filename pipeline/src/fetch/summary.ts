/** The closing lines of a fetch: counts, why scenes were skipped, bytes read against full files, retries. */
import type { FetchOptions, FetchSummary } from "./fetch.ts";

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

export function formatSummary(s: FetchSummary, o: FetchOptions): string {
  const head = `${o.collection} ${o.from}..${o.to}: ${s.found} scene(s) found`;
  if (s.found === 0) return `${head}: 0 scenes to fetch (nothing matches the AOI, dates, season and cloud limits)`;
  if (s.dryRun) return dryRunLines(s, head).join("\n");
  const lines = [`${head}; ${s.fetched} fetched, ${s.kept} kept from an earlier fetch, ${s.skipped.length} skipped, ${s.failed.length} failed -> ${o.outDir}`];
  const reasons = new Map<string, number>();
  for (const e of s.skipped) {
    const why = (e.reason ?? "").replace(/AOI [\d.]+ %/, "AOI too cloudy:");
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  for (const [why, n] of reasons) lines.push(`  skipped ${n}: ${why}`);
  for (const e of s.failed) lines.push(`  failed ${e.id}: ${e.reason}`);
  if (s.fullBytes > 0)
    lines.push(
      `  read ${mb(s.bytesRead)} of ${mb(s.fullBytes)} in the full files (${((100 * s.bytesRead) / s.fullBytes).toFixed(2)} %); ${s.retries} retried request(s); ${s.tokens} SAS token(s)`,
    );
  return lines.join("\n");
}

function dryRunLines(s: FetchSummary, head: string): string[] {
  const lines = [`${head} (dry run: nothing fetched)`];
  for (const it of s.items) lines.push(`  ${it.datetime.slice(0, 10)}  ${it.id}  cloud ${it.cloudCover ?? "?"} %`);
  if (s.estimate)
    lines.push(
      `  estimated ${mb(s.estimate.total)} in all: ${mb(s.estimate.perScene)} per scene, from the tile byte counts of ${s.estimate.measuredOn} (before --max-aoi-cloud skips any)`,
    );
  return lines;
}
