/**
 * The sample a run writes (estimate/sample.csv + strata.json) and `reewatch sample`, which redraws
 * it: on the real Brumadinho pair (with its reference labels converted to labels.csv) and on a
 * SIMULATED annual site at a coarse resolution.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reewatch, reewatchSteps, sampleSiteSteps } from "./helpers/cli.ts";

const root = mkdtempSync(join(tmpdir(), "reewatch-sample-"));
const brum = join(root, "brumadinho");
const annual = join(root, "bayan-obo");
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  reewatchSteps(sampleSiteSteps(root));
}, 300_000);

const read = (p: string) => readFileSync(p, "utf8");
const copy = (run: string) => {
  const d = join(mkdtempSync(join(root, "copy-")), "run");
  cpSync(run, d, { recursive: true });
  return d;
};

describe("the sample a run writes", () => {
  it("writes sample.csv (RFC 4180, CRLF) with the agreed columns, one row per point, labels empty", () => {
    const text = read(join(annual, "estimate", "sample.csv"));
    expect(text.split("\r\n")[0]).toBe("id,lon,lat,x,y,stratum,reference_class,labeller,confidence,note");
    const rows: string[][] = parse(text).slice(1);
    const strata = JSON.parse(read(join(annual, "estimate", "strata.json")));
    expect(rows.length).toBe(strata.classes.reduce((s: number, c: { sampled: number }) => s + c.sampled, 0));
    rows.forEach((r, k) => {
      expect(r[0]).toBe(String(k + 1));
      expect(r[1]).toMatch(/^-?\d+\.\d{7}$/);
      expect(r[2]).toMatch(/^-?\d+\.\d{7}$/);
      expect(r[3]).toMatch(/^-?\d+\.\d{2}$/);
      expect(r[4]).toMatch(/^-?\d+\.\d{2}$/);
      expect(r.slice(6)).toEqual(["", "", "", ""]);
    });
    for (const c of strata.classes) expect(rows.filter((r) => r[5] === c.name).length).toBe(c.sampled);
  });

  it("writes strata.json with every class of the map, its pixels, area and allocation", () => {
    const s = JSON.parse(read(join(annual, "estimate", "strata.json")));
    expect(s).toMatchObject({
      type: "reewatch-strata",
      version: 1,
      map: "change/class_2024.tif",
      year: 2024,
      crs: "EPSG:32649",
      seed: 1,
      total: 600,
      minPerClass: 75,
    });
    expect(s.pixelAreaKm2).toBeCloseTo(0.0144, 12);
    expect(s.classes.map((c: { code: number; name: string }) => [c.code, c.name])).toEqual([
      [1, "stable"],
      [2, "disturbed"],
      [3, "recovering"],
      [4, "restored"],
    ]);
    const N = s.classes.reduce((a: number, c: { pixels: number }) => a + c.pixels, 0);
    for (const c of s.classes) {
      expect(c.areaKm2).toBeCloseTo(c.pixels * s.pixelAreaKm2, 9);
      expect(c.sampled).toBe(Math.min(c.pixels, Math.max(75, Math.round((600 * c.pixels) / N))));
    }
    expect(s.allocation).toContain("max(75, round(600 * N_h / N))");
  });

  it("converts the Brumadinho reference labels into a labels.csv of the same sample", () => {
    const labels: string[][] = parse(read(join(brum, "estimate", "labels.csv")));
    expect(labels[0]).toEqual(["id", "lon", "lat", "x", "y", "stratum", "reference_class", "labeller", "confidence", "note", "stratum_shown"]);
    const sample: string[][] = parse(read(join(brum, "estimate", "sample.csv")));
    expect(labels.length).toBe(sample.length);
    expect(labels.slice(1).map((r) => r.slice(0, 6))).toEqual(sample.slice(1).map((r) => r.slice(0, 6)));
    expect(labels.slice(1).every((r) => r[6] && r[10] === "true")).toBe(true);
    const est = JSON.parse(reewatch(["estimate", "--labels", join(brum, "estimate", "labels.csv")]).stdout);
    const run = JSON.parse(read(join(brum, "estimate", "estimate.json"))).estimate;
    expect(est.classes[1].area).toBeCloseTo(run.disturbedKm2, 12);
    expect(est.labelled).toBe(146);
    // The legacy sheet itself is accepted as a filled sheet, with the run's strata.
    const legacy = reewatch(["estimate", "--labels", "samples/labels/brumadinho-labels.csv", "--strata", join(brum, "estimate", "strata.json")]);
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(JSON.parse(legacy.stdout).classes[1].area).toBeCloseTo(run.disturbedKm2, 12);
  });
});

describe("reewatch sample", () => {
  it("redraws the run's own sample exactly, from strata.json or from the catalog", () => {
    for (const run of [annual, brum]) {
      const d = copy(run);
      rmSync(join(d, "estimate", "labels.csv"), { force: true });
      let r = reewatch(["sample", d]);
      expect(r.code, r.stderr).toBe(0);
      expect(read(join(d, "estimate", "sample.csv"))).toBe(read(join(run, "estimate", "sample.csv")));
      rmSync(join(d, "estimate", "strata.json"));
      r = reewatch(["sample", d]);
      expect(r.code, r.stderr).toBe(0);
      expect(read(join(d, "estimate", "sample.csv"))).toBe(read(join(run, "estimate", "sample.csv")));
      expect(read(join(d, "estimate", "strata.json"))).toBe(read(join(run, "estimate", "strata.json")));
    }
  });

  it("draws with --n-per-class and --seed", () => {
    const d = copy(annual);
    const r = reewatch(["sample", d, "--n-per-class", "90", "--seed", "7"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(read(join(d, "estimate", "strata.json")));
    expect(s.seed).toBe(7);
    expect(s.minPerClass).toBe(90);
    const N = s.classes.reduce((a: number, c: { pixels: number }) => a + c.pixels, 0);
    for (const c of s.classes) expect(c.sampled).toBe(Math.min(c.pixels, Math.max(90, Math.round((600 * c.pixels) / N))));
    expect(s.classes.some((c: { sampled: number }) => c.sampled === 90)).toBe(true);
    expect(read(join(d, "estimate", "sample.csv"))).not.toBe(read(join(annual, "estimate", "sample.csv")));
    expect(reewatch(["sample", d, "--n-per-class", "1"]).code).toBe(2);
  });

  it("refuses to replace a labelled sample unless --overwrite, which keeps the old one aside", () => {
    const d = copy(brum);
    const before = read(join(d, "estimate", "labels.csv"));
    const r = reewatch(["sample", d, "--seed", "2"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("labels.csv: 146 labelled");
    expect(r.stderr).toContain("--overwrite");
    expect(read(join(d, "estimate", "labels.csv"))).toBe(before);
    const o = reewatch(["sample", d, "--seed", "2", "--overwrite"]);
    expect(o.code, o.stderr).toBe(0);
    expect(existsSync(join(d, "estimate", "labels.csv"))).toBe(false);
    const [stamp] = readdirSync(join(d, "estimate", "superseded"));
    const aside = join(d, "estimate", "superseded", stamp!);
    expect(readdirSync(aside).sort()).toEqual(["labels.csv", "sample.csv", "strata.json"]);
    expect(read(join(aside, "labels.csv"))).toBe(before);
    expect(read(join(aside, "sample.csv"))).toBe(read(join(brum, "estimate", "sample.csv")));
    expect(JSON.parse(read(join(d, "estimate", "strata.json"))).seed).toBe(2);
  });

  it("names a folder that is not a run", () => {
    const r = reewatch(["sample", join(root, "nowhere")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/catalog\.json: cannot read the run catalog .*is this a reewatch run directory/);
  });
});
