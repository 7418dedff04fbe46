/**
 * Fuzzing of the claim reader (pipeline/src/verify/claim.ts): the samples/claims/*.json mutated
 * field by field (zone as a name or a GeoJSON geometry, periods, values), and noisy claim files.
 * Each case must end in a Claim or a named error.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadClaim, parseClaim } from "../../pipeline/src/verify/claim.ts";
import { fuzzParams, fuzzTimeout } from "./fuzz-runs.ts";
import { circleRing, DEEP_TEXTS, endsCleanlyWithin, hostileValue, mutatedJson, noisyText } from "./mutate.ts";

const CLAIMS_DIR = new URL("../../samples/claims/", import.meta.url).pathname;
const TEXTS = readdirSync(CLAIMS_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => readFileSync(join(CLAIMS_DIR, f), "utf8"));
const CLAIMS = TEXTS.map((t) => JSON.parse(t) as Record<string, unknown>);
/** A claim whose zone is a GeoJSON polygon rather than a zone name. */
const GEOMETRY_CLAIM = { ...CLAIMS[0]!, zone: { type: "Polygon", coordinates: [circleRing(6)] } };

const dir = mkdtempSync(join(tmpdir(), "reewatch-fuzz-claim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Claims with hostile values in the fields the verifier computes with. */
const hostileFields = fc
  .tuple(fc.constantFrom(...CLAIMS), fc.constantFrom("period", "value", "id", "zone", "metric", "comparator"), hostileValue, fc.string({ unit: "binary" }))
  .map(([seed, field, v, s]) => ({ ...seed, [field]: field === "period" ? [s, v] : field === "id" ? s : v }));

describe("fuzz: claim JSON", () => {
  it(
    "parseClaim on mutated claims ends in a Claim or a named error",
    async () => {
      for (const c of CLAIMS) expect(parseClaim(structuredClone(c), "seed.json").id).toBe(c.id);
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedJson([...CLAIMS, GEOMETRY_CLAIM]), hostileFields, hostileValue), async (json) => {
          await endsCleanlyWithin(1000, () => parseClaim(json, "fuzz-claim.json"));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    "loadClaim on noisy claim files",
    async () => {
      const path = join(dir, "claim.json");
      await fc.assert(
        fc.asyncProperty(noisyText(TEXTS), async (text) => {
          writeFileSync(path, text);
          await endsCleanlyWithin(1000, () => loadClaim(path));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it("loadClaim on files nested 100,000 deep", async () => {
    const path = join(dir, "deep.json");
    for (const text of DEEP_TEXTS) {
      writeFileSync(path, text);
      await endsCleanlyWithin(2000, () => loadClaim(path));
    }
  });
});
