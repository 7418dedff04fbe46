import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { reewatch } from "./helpers/cli.ts";

const COUNTS = "samples/estimate/olofsson2014-counts.csv";
const AREAS = "samples/estimate/olofsson2014-areas-ha.csv";
const FIXTURE = "samples/estimate/olofsson2014";
const HA_PER_PIXEL = 0.09; // a 30 m Landsat pixel

/**
 * The labels.csv + strata.json that encode the worked example exactly: per map class (stratum)
 * as many rows labelled with each reference class as the counts table says, no coordinates (the
 * paper gives none), and each stratum's mapped area as 30 m pixels. `UPDATE=1` rewrites the files.
 */
function olofssonFixture(): { labels: string; strata: string } {
  const counts: string[][] = parse(readFileSync(COUNTS, "utf8"), { trim: true });
  const areas = new Map((parse(readFileSync(AREAS, "utf8"), { trim: true }) as string[][]).slice(1).map(([c, a]) => [c!, Number(a)]));
  const names = counts[0]!.slice(1);
  const rows: string[][] = [];
  for (const r of counts.slice(1))
    r.slice(1).forEach((n, j) => {
      for (let k = 0; k < Number(n); k++) rows.push([String(rows.length + 1), "", "", "", "", r[0]!, names[j]!, "", "", "", ""]);
    });
  const header = ["id", "lon", "lat", "x", "y", "stratum", "reference_class", "labeller", "confidence", "note", "stratum_shown"];
  const strata = {
    type: "reewatch-strata",
    version: 1,
    map: null,
    year: null,
    crs: null,
    pixelAreaKm2: HA_PER_PIXEL / 100,
    seed: null,
    allocation:
      "the sample of the worked example of Olofsson et al. (2014), section 5: 75, 75, 165 and 325 units (tests/estimate-cli.test.ts builds this file from olofsson2014-counts.csv and olofsson2014-areas-ha.csv)",
    classes: counts.slice(1).map((r, i) => {
      const pixels = Math.round(areas.get(r[0]!)! / HA_PER_PIXEL);
      return {
        code: i + 1,
        name: r[0],
        pixels,
        areaKm2: Number(((pixels * HA_PER_PIXEL) / 100).toPrecision(12)),
        sampled: r.slice(1).reduce((s, n) => s + Number(n), 0),
      };
    }),
  };
  return { labels: stringify([header, ...rows], { record_delimiter: "windows" }), strata: `${JSON.stringify(strata, null, 1)}\n` };
}

function labelsDir(strataClasses: [string, number, number][], labels: string): string {
  const d = mkdtempSync(join(tmpdir(), "rw-est-"));
  const strata = {
    type: "reewatch-strata",
    version: 1,
    map: "change/class_2024.tif",
    year: 2024,
    crs: "EPSG:32650",
    pixelAreaKm2: 0.0004,
    seed: 1,
    allocation: "test",
    classes: strataClasses.map(([name, pixels, sampled], i) => ({ code: i + 1, name, pixels, areaKm2: pixels * 0.0004, sampled })),
  };
  writeFileSync(join(d, "strata.json"), JSON.stringify(strata));
  writeFileSync(join(d, "labels.csv"), labels);
  return d;
}

const HEADER = "id,lon,lat,x,y,stratum,reference_class,labeller,confidence,note,stratum_shown\n";
const row = (id: number, stratum: string, ref: string, who = "ana", shown = "false") =>
  `${id},110.1,40.2,500000.00,4400000.00,${stratum},${ref},${who},high,,${shown}\n`;

describe("reewatch estimate --counts", () => {
  it("prints the published Olofsson 2014 deforestation estimate (21,158 +- 6,158 ha)", () => {
    const r = reewatch(["estimate", "--counts", COUNTS, "--mapped-areas", AREAS]);
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

  it("reads quoted class names (RFC 4180) and prints a table", () => {
    const d = mkdtempSync(join(tmpdir(), "rw-est-"));
    writeFileSync(join(d, "c.csv"), 'map_class,"forest, stable",bare\n"forest, stable",8,2\nbare,1,9\n');
    writeFileSync(join(d, "a.csv"), 'class,area\n"forest, stable",10\nbare,90\n');
    const r = reewatch(["estimate", "--counts", join(d, "c.csv"), "--mapped-areas", join(d, "a.csv"), "--table"]);
    expect(r.code, r.stderr).toBe(0);
    // p_.forest = 0.1 * 0.8 + 0.9 * 0.1 = 0.17 -> 17 of 100 (olofsson.test.ts, the 2x2 case by hand)
    expect(r.stdout).toMatch(/^forest, stable\s+10\.00\s+17\.00/m);
  });
});

describe("reewatch estimate --labels", () => {
  it("keeps the worked-example fixture equal to the counts and areas it encodes (UPDATE=1 rewrites it)", () => {
    const want = olofssonFixture();
    if (process.env.UPDATE) {
      mkdirSync(FIXTURE, { recursive: true });
      writeFileSync(join(FIXTURE, "labels.csv"), want.labels);
      writeFileSync(join(FIXTURE, "strata.json"), want.strata);
    }
    expect(readFileSync(join(FIXTURE, "labels.csv"), "utf8")).toBe(want.labels);
    expect(readFileSync(join(FIXTURE, "strata.json"), "utf8")).toBe(want.strata);
  });

  it("prints the published Olofsson 2014 figures from a labels.csv + strata.json", () => {
    const r = reewatch(["estimate", "--labels", join(FIXTURE, "labels.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const ha = (km2: number) => km2 * 100;
    // Published (Olofsson et al. 2014, section 5; see olofsson.test.ts): area +- 95 % half-width (ha), user's accuracy.
    const published: [string, number, number, number][] = [
      ["deforestation", 21158, 6158, 0.88],
      ["forest gain", 11686, 3756, 0.73],
      ["stable forest", 285770, 15510, 0.93],
      ["stable non-forest", 581386, 16282, 0.96],
    ];
    for (const [name, area, half, users] of published) {
      const c = out.classes.find((x: { class: string }) => x.class === name);
      expect(Math.abs(ha(c.area) - area), name).toBeLessThan(1);
      // The finite population correction (1 - n/N, N = millions of pixels) moves a half-width by under 1 ha.
      expect(Math.abs(ha((c.areaCi95[1] - c.areaCi95[0]) / 2) - half), name).toBeLessThan(1.5);
      expect(c.usersAccuracy, name).toBeCloseTo(users, 2);
    }
    // 21,158 +- 6,158 ha: the half-width is 6,157.4 here (6,157.6 without the correction).
    const d = out.classes.find((c: { class: string }) => c.class === "deforestation");
    expect(Math.round(ha(d.area))).toBe(21158);
    expect(Math.abs(ha((d.areaCi95[1] - d.areaCi95[0]) / 2) - 6158)).toBeLessThan(1);
    expect(out.overallAccuracy).toBeCloseTo(0.95, 2);
    expect(out.unit).toBe("km2");
    expect(out.labelled).toBe(640);
    expect(out.unlabelled).toBe(0);
    // Error matrix in area proportions: p_11 = W_1 * 66/75 = 0.02 * 0.88 (the paper's table 9: 0.0176).
    expect(out.errorMatrix.proportions[0][0]).toBeCloseTo(0.0176, 6);
    expect(out.errorMatrix.proportions.flat().reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    expect(out.stratumShown).toEqual({ shown: 0, hidden: 0, unrecorded: 640, blind: null });
  });

  it("prints the estimate, the error matrix and who labelled as a table", () => {
    const r = reewatch(["estimate", "--labels", join(FIXTURE, "labels.csv"), "--table"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^deforestation\s+180\.00\s+211\.58\s+\[150\.00, 273\.15\]/m);
    expect(r.stdout).toContain("labelled 640, unlabelled 0");
    expect(r.stdout).toMatch(/^deforestation\s+0\.0176\s/m);
  });

  it("names the row of a label that is not a class of the map", () => {
    const names = ["stable", "disturbed", "recovering", "restored"];
    let text = HEADER;
    for (let id = 1; id <= 20; id++) text += row(id, names[(id - 1) % 4]!, id === 16 ? "forest" : names[(id - 1) % 4]!);
    const d = labelsDir(
      names.map((n) => [n, 1000, 5]),
      text,
    );
    const r = reewatch(["estimate", "--labels", join(d, "labels.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'reewatch estimate: labels.csv row 17: reference_class "forest" is not a class of the map (stable, disturbed, recovering, restored)',
    );
  });

  it("counts unlabelled points (empty, or missing from the sheet) and estimates from the rest", () => {
    // Stratum a: 4 drawn, 3 rows, 2 labelled (a, b); stratum b: 3 drawn, 3 labelled (b, b, b).
    const text = `${HEADER}${row(1, "a", "a")}${row(2, "a", "b")}${row(3, "a", "")}${row(5, "b", "b", "bo", "true")}${row(6, "b", "b", "bo", "true")}${row(7, "b", "b", "bo", "true")}`;
    const d = labelsDir(
      [
        ["a", 100, 4],
        ["b", 300, 3],
      ],
      text,
    );
    const r = reewatch(["estimate", "--labels", join(d, "labels.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.labelled).toBe(5);
    expect(out.unlabelled).toBe(2);
    expect(out.unlabelledIds).toEqual([3]);
    expect(out.labellers).toEqual([
      { name: "bo", labelled: 3 },
      { name: "ana", labelled: 2 },
    ]);
    expect(out.stratumShown).toEqual({ shown: 3, hidden: 2, unrecorded: 0, blind: false });
    // W = 0.25, 0.75; p_.a = 0.25 * 1/2 -> area of a = 0.125 * 400 px * 0.0004 km2
    expect(out.classes[0].area).toBeCloseTo(0.125 * 400 * 0.0004, 12);
    expect(out.classes[0].labelled).toBe(2);
  });
});

describe("reewatch estimate with two labellers", () => {
  // 10 points, 5 per stratum. ana and bo disagree on ids 2 and 7; bo skipped id 10.
  const ana = ["a", "b", "a", "a", "a", "b", "b", "b", "b", "b"];
  const bo = ["a", "a", "a", "a", "a", "b", "a", "b", "b", ""];
  const sheet = (labels: string[], who: string) => HEADER + labels.map((l, k) => row(k + 1, k < 5 ? "a" : "b", l, who)).join("");
  const dir = () => {
    const d = labelsDir(
      [
        ["a", 500, 5],
        ["b", 500, 5],
      ],
      sheet(ana, "ana"),
    );
    writeFileSync(join(d, "labels-bo.csv"), sheet(bo, "bo"));
    return d;
  };

  it("reports Cohen's kappa and the disagreements, and estimates from the agreed points", () => {
    const r = reewatch(["estimate", "--labels", join(dir(), "labels.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    // 9 points labelled by both; ana: a 4, b 5; bo: a 6, b 3; agree on 7.
    // p_o = 7/9, p_e = (4*6 + 5*3)/81 = 39/81, kappa = (63/81 - 39/81) / (42/81) = 24/42 = 4/7
    expect(out.agreement.n).toBe(9);
    expect(out.agreement.kappa).toBeCloseTo(4 / 7, 12);
    expect(out.agreement.disagreements).toEqual([
      { id: 2, first: "b", second: "a" },
      { id: 7, first: "b", second: "a" },
    ]);
    expect(out.agreement.onlyFirst).toEqual([10]);
    expect(out.agreement.rule).toBe("agreed");
    expect(out.labelled).toBe(7);
    expect(out.unlabelled).toBe(3);
    expect(out.labellers).toEqual([{ name: "ana + bo", labelled: 7 }]);
  });

  it("uses one labeller's sheet with --agreement first|second, and names bad rules", () => {
    const d = dir();
    const first = JSON.parse(reewatch(["estimate", "--labels", join(d, "labels.csv"), "--agreement", "first"]).stdout);
    expect(first.labelled).toBe(10);
    const second = JSON.parse(reewatch(["estimate", "--labels", join(d, "labels.csv"), "--labels", join(d, "labels-bo.csv"), "--agreement", "second"]).stdout);
    expect(second.labelled).toBe(9);
    expect(second.labellers).toEqual([{ name: "bo", labelled: 9 }]);
    const bad = reewatch(["estimate", "--labels", join(d, "labels.csv"), "--agreement", "best"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--agreement best: expected agreed, first, second");
    const table = reewatch(["estimate", "--labels", join(d, "labels.csv"), "--table"]);
    expect(table.stdout).toContain("kappa 0.571 over 9 points");
    expect(table.stdout).toMatch(/id 2: b \/ a/);
  });

  it("refuses a third sheet, and two sheets of different samples", () => {
    const d = dir();
    writeFileSync(join(d, "labels-cy.csv"), sheet(bo, "cy"));
    const three = reewatch(["estimate", "--labels", join(d, "labels.csv")]);
    expect(three.code).toBe(2);
    expect(three.stderr).toContain("labels-bo.csv, labels-cy.csv");
    const other = sheet(bo, "dee").replace("\n2,110.1,40.2,500000.00", "\n2,110.1,40.2,500030.00");
    writeFileSync(join(d, "labels-cy.csv"), other);
    const r = reewatch(["estimate", "--labels", join(d, "labels.csv"), "--labels", join(d, "labels-cy.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/labels-cy.csv row 3: id 2 .* not of the same sample/);
  });
});
