/**
 * A run directory's bytes as a map of relative path -> SHA-256, for "ends with the same bytes"
 * checks. run.json is compared without its timings (started, ended, stages), which change with
 * every run by design; everything else, the job records included, must match byte for byte.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    let bytes: Buffer | string = readFileSync(path);
    if (e.name === "run.json") {
      const { started: _s, ended: _e, stages: _t, ...rest } = JSON.parse(bytes.toString("utf8"));
      bytes = JSON.stringify(rest);
    }
    out.set(relative(dir, path), createHash("sha256").update(bytes).digest("hex"));
  }
  return new Map([...out].sort((a, b) => a[0].localeCompare(b[0])));
}

/** The paths whose bytes differ (or exist on one side only), for a readable failure. */
export function treeDifferences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
