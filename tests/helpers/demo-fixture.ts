/**
 * A small demo run (SIMULATED sites at 60 m + the real Brumadinho pair) shared by server and
 * browser tests. It is built once per test run: the global setup (demo-cache.ts) names a cache
 * folder in REEWATCH_DEMO_CACHE, the first test file that asks builds the demo there while the
 * others wait on a lock, and every caller gets a copy of its own (some tests write labels into
 * it). Without the variable each call builds its own.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runDemo } from "../../pipeline/src/run/demo.ts";

/** How long a test file waits for another one's build of the demo. */
const WAIT_MS = 600_000;

export async function makeDemo(): Promise<string> {
  const cache = process.env.REEWATCH_DEMO_CACHE;
  if (!cache) return makeFreshDemo();
  const out = join(mkdtempSync(join(tmpdir(), "reewatch-demo-")), "demo");
  cpSync(await cachedDemo(cache), out, { recursive: true });
  return out;
}

/** A demo built here and now, for a test of the build itself (reports record the folder they were written in). */
export async function makeFreshDemo(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), "reewatch-demo-")), "demo");
  await runDemo({ out, resolution: 60 });
  return out;
}

/** The demo in `cache`, built by whichever test file gets the lock (a directory: mkdir is atomic) first. */
async function cachedDemo(cache: string): Promise<string> {
  const done = join(cache, "demo");
  const lock = join(cache, "building");
  const t0 = performance.now();
  while (!existsSync(done)) {
    if (performance.now() - t0 > WAIT_MS) throw new Error(`the shared demo in ${cache} was not built within ${WAIT_MS / 1000} s`);
    if (!tryLock(lock)) {
      await sleep(250);
      continue;
    }
    try {
      const partial = join(cache, "demo.partial");
      rmSync(partial, { recursive: true, force: true });
      await runDemo({ out: partial, resolution: 60 });
      renameSync(partial, done);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return done;
}

function tryLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
