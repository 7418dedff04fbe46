import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reewatch } from "./helpers/cli.ts";

describe("reewatch estimate", () => {
  it("prints the published Olofsson 2014 deforestation estimate (21,158 +- 6,158 ha)", () => {
    const r = reewatch(["estimate", "--counts", "samples/estimate/olofsson2014-counts.csv", "--mapped-areas", "samples/estimate/olofsson2014-areas-ha.csv"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const d = out.classes.find((c: { class: string }) => c.class === "deforestation");
    expect(Math.round(d.area)).toBe(21158);
    expect(Math.round((d.areaCi95[1] - d.areaCi95[0]) / 2)).toBe(6158);
    expect(out.overallAccuracy).toBeCloseTo(0.95, 2);
  });

  it("names the bad cell of a malformed counts file", () => {
    const d = mkdtempSync(join(tmpdir(), "rw-est-"));
    writeFileSync(join(d, "c.csv"), "map_class,a,b\na,3,x\nb,1,4\n");
    writeFileSync(join(d, "a.csv"), "class,area\na,10\nb,20\n");
    const r = reewatch(["estimate", "--counts", join(d, "c.csv"), "--mapped-areas", join(d, "a.csv")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/--counts .*c.csv: row 2 column 3 "x" is not a number/);
  });
});
