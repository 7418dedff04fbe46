import { describe, expect, it } from "vitest";
import { UnknownScale } from "../errors.ts";
import { processingBaseline, S2_BANDS, s2Radiometry } from "./sentinel2.ts";

/** Reflectance of one DN under a radiometry: SR = (DN + BOA_ADD_OFFSET) / 10000 written as DN * scale + offset. */
const sr = (dn: number, r: { scale: number; offset: number }) => dn * r.scale + r.offset;

describe("Sentinel-2 band letters (docs/science.md: Band letters)", () => {
  it("maps B G R N S1 S2 to B02 B03 B04 B08 B11 B12", () => {
    expect(S2_BANDS).toEqual({ B: "B02", G: "B03", R: "B04", N: "B08", S1: "B11", S2: "B12" });
  });
});

describe("processing baseline", () => {
  it("comes from the property, else the N-number of the product or granule id", () => {
    expect(processingBaseline({ "s2:processing_baseline": "02.14" })).toBe("02.14");
    expect(processingBaseline({ "s2:processing_baseline": 5.1 })).toBe("05.10");
    expect(processingBaseline({ "s2:product_uri": "S2B_MSIL2A_20220301T031649_N0400_R118_T49TCF_20220301T070303.SAFE" })).toBe("04.00");
    expect(processingBaseline({ "s2:datatake_id": "GS2A_20200219T112111_024344_N02.14" })).toBe("02.14");
    expect(processingBaseline({ platform: "sentinel-2a" })).toBeUndefined();
  });
});

describe("Sentinel-2 L2A scale/offset decided from metadata, never the date", () => {
  it("baseline 02.14: DN 1234 -> 0.1234", () => {
    const r = s2Radiometry("S2A_x", { "s2:processing_baseline": "02.14", datetime: "2023-06-01T00:00:00Z" });
    expect(sr(1234, r)).toBeCloseTo(0.1234, 12);
    expect(r.source).toMatch(/02\.14 < 04\.00/);
  });

  it("baseline 04.00 and 05.09 (compared as numbers): DN 1234 -> (1234 - 1000) / 10000 = 0.0234", () => {
    for (const pb of ["04.00", "05.09"]) {
      const r = s2Radiometry("S2B_x", { "s2:processing_baseline": pb, datetime: "2019-06-01T00:00:00Z" });
      expect(sr(1234, r)).toBeCloseTo(0.0234, 12);
    }
    // "10.00" sorts before "04.00" as a string but is the larger baseline.
    expect(sr(1234, s2Radiometry("x", { "s2:processing_baseline": "10.00" }))).toBeCloseTo(0.0234, 12);
  });

  it("explicit raster:bands scale/offset win over the baseline", () => {
    const r = s2Radiometry("x", { "s2:processing_baseline": "02.14" }, { scale: 0.0001, offset: -0.1 });
    expect(sr(1234, r)).toBeCloseTo(0.0234, 12);
    expect(r.source).toMatch(/raster:bands/);
  });

  it("a raster:bands entry with a scale but no offset does not decide on its own", () => {
    const r = s2Radiometry("x", { "s2:processing_baseline": "04.00" }, { scale: 0.0001 });
    expect(sr(1234, r)).toBeCloseTo(0.0234, 12);
    expect(r.source).toMatch(/baseline 04\.00/);
  });

  it("a baseline wins over earthsearch:boa_offset_applied false; true means the DNs were already shifted", () => {
    const before = s2Radiometry("x", { "s2:processing_baseline": "02.14", "earthsearch:boa_offset_applied": true });
    expect(sr(1234, before)).toBeCloseTo(0.1234, 12);
    const notApplied = s2Radiometry("x", { "s2:processing_baseline": "04.00", "earthsearch:boa_offset_applied": false });
    expect(sr(1234, notApplied)).toBeCloseTo(0.0234, 12);
    const applied = s2Radiometry("x", { "s2:processing_baseline": "04.00", "earthsearch:boa_offset_applied": true });
    expect(sr(234, applied)).toBeCloseTo(0.0234, 12);
    expect(applied.source).toMatch(/already/);
  });

  it("the flag alone: true decides (already applied), false cannot", () => {
    expect(sr(234, s2Radiometry("x", { "earthsearch:boa_offset_applied": true }))).toBeCloseTo(0.0234, 12);
    expect(() => s2Radiometry("S2A_NOBASE", { "earthsearch:boa_offset_applied": false })).toThrow(UnknownScale);
  });

  it("no baseline, no raster:bands, no flag: UnknownScale naming the scene, whatever the date", () => {
    const f = () => s2Radiometry("S2A_29RKH_20230219_0_L2A", { datetime: "2023-02-19T11:34:25Z" });
    expect(f).toThrow(UnknownScale);
    expect(f).toThrow(/^S2A_29RKH_20230219_0_L2A: cannot establish Sentinel-2 scale\/offset/);
  });
});
