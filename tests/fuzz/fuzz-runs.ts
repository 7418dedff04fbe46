/**
 * Shared settings of the fuzz targets (tests/fuzz/*.fuzz.test.ts). `npm test` runs a few thousand
 * cases per target; `npm run fuzz` sets REEWATCH_FUZZ_RUNS for a longer run. REEWATCH_FUZZ_SEED
 * replays a run (fast-check prints the seed and the shrunk counterexample of a failure).
 */
import { oneLine, ReewatchError } from "../../pipeline/src/errors.ts";

export const FUZZ_RUNS = Number(process.env.REEWATCH_FUZZ_RUNS ?? 2000);

/**
 * The seed: REEWATCH_FUZZ_SEED when one is replayed; a fixed one in `npm test`, so a test run is
 * repeatable and a red run names a case anyone can rerun; a fresh one in `npm run fuzz` (which
 * sets REEWATCH_FUZZ_RUNS), where new cases are the point.
 */
const SEED = process.env.REEWATCH_FUZZ_SEED ? Number(process.env.REEWATCH_FUZZ_SEED) : process.env.REEWATCH_FUZZ_RUNS ? undefined : 20261203;

/** fast-check parameters every target uses: the case count and the seed. */
export const fuzzParams = (runs = FUZZ_RUNS) => ({
  numRuns: runs,
  ...(SEED === undefined ? {} : { seed: SEED }),
});

/** Per-target test timeout: generous for `npm run fuzz`, bounded in `npm test`. */
export const fuzzTimeout = (runs = FUZZ_RUNS) => Math.max(60_000, runs * 50);

/**
 * How a parser may end on outside bytes: a result, or a named reewatch error with a one-line
 * message. Anything else (TypeError, RangeError, an unnamed Error, a multi-line message) is a
 * crash the fuzzer reports.
 */
export function isNamedFailure(err: unknown): boolean {
  return err instanceof ReewatchError && err.message.length > 0 && oneLine(err) === err.message;
}

/** Runs `parse`; returns normally on a result or a named failure, rethrows anything else. */
export async function endsCleanly<T>(parse: () => T | Promise<T>): Promise<void> {
  try {
    await parse();
  } catch (err) {
    if (!isNamedFailure(err)) throw err;
  }
}
