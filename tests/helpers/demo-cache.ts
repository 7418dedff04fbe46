/**
 * vitest global setup: one cache folder per test run for the shared demo (demo-fixture.ts), so
 * the eight test files that serve a demo build it once instead of eight times (about 40 s each).
 * Forked test workers inherit the variable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function setup(): void {
  process.env.REEWATCH_DEMO_CACHE = mkdtempSync(join(tmpdir(), "reewatch-demo-cache-"));
}

export function teardown(): void {
  if (process.env.REEWATCH_DEMO_CACHE) rmSync(process.env.REEWATCH_DEMO_CACHE, { recursive: true, force: true });
}
