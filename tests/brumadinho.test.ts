/** The real Brumadinho pair: disturbed area with a 95 % CI, next to published estimates. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonResult, reewatch } from "./helpers/cli.ts";

const out = mkdtempSync(join(tmpdir(), "reewatch-brum-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("Brumadinho (real Landsat 8 pair around the 2019-01-25 collapse)", () => {
  it("estimates the disturbed area with a CI that holds the published figures", () => {
    const r = reewatch(["run", "brumadinho", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const est = JSON.parse(readFileSync(join(out, "estimate", "estimate.json"), "utf8")).estimate;
    // Published mud-covered areas: 2.48 km2 (Casagrande et al. 2020, Sentinel-2 classification) and
    // 2.82 km2 (282 ha, supervised classification of Sentinel-2, 2019-01-07 / 2019-02-01).
    for (const published of [2.48, 2.82]) {
      expect(est.ci95[0]).toBeLessThanOrEqual(published);
      expect(est.ci95[1]).toBeGreaterThanOrEqual(published);
    }
    expect(est.ci95[1] - est.ci95[0]).toBeLessThan(3);
  });

  it("reports the example claim as inconclusive when the CI straddles its threshold", () => {
    const r = reewatch(["verify", "samples/claims/brumadinho-disturbed-area.json", "--run", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rep = jsonResult(r)[0];
    expect(rep.simulated).toBe(false);
    expect(rep.verdict).toBe(
      rep.measured.ci95[0] < 1.5 && rep.measured.ci95[1] > 1.5 ? "inconclusive" : rep.measured.ci95[0] >= 1.5 ? "supported" : "not_supported",
    );
    expect(readFileSync(join(out, "reports", "brumadinho-disturbed-area", "report.html"), "utf8")).not.toContain("SIMULATED DATA");
  });
});
