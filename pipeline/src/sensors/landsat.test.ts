import { describe, expect, it } from "vitest";
import { UnknownScale } from "../errors.ts";
import { landsatBandNames, landsatRadiometry, letterOf, parseLandsatId, sensorFromSpacecraft } from "./landsat.ts";

const value = (dn: number, r: { scale: number; offset: number }) => dn * r.scale + r.offset;

describe("Landsat band letters (docs/science.md: Band letters)", () => {
  it("OLI (8/9) and TM/ETM+ (4/5/7) differ", () => {
    expect(landsatBandNames("landsat-8")).toEqual({ B: "SR_B2", G: "SR_B3", R: "SR_B4", N: "SR_B5", S1: "SR_B6", S2: "SR_B7", T: "ST_B10" });
    expect(landsatBandNames("landsat-9").N).toBe("SR_B5");
    for (const s of ["landsat-4", "landsat-5", "landsat-7"] as const)
      expect(landsatBandNames(s)).toEqual({ B: "SR_B1", G: "SR_B2", R: "SR_B3", N: "SR_B4", S1: "SR_B5", S2: "SR_B7", T: "ST_B6" });
    expect(letterOf("landsat-8", "SR_B5")).toBe("N");
    expect(letterOf("landsat-5", "SR_B5")).toBe("S1");
  });

  it("parses product ids and spacecraft names", () => {
    expect(parseLandsatId("LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif")).toEqual({
      id: "LC08_L2SP_218074_20190114_20200829_02_T1",
      sensor: "landsat-8",
      date: "2019-01-14",
      level: "L2SP",
    });
    expect(parseLandsatId("LT05_L2SP_123032_20060704_20200831_02_T1")?.sensor).toBe("landsat-5");
    expect(parseLandsatId("LE07_L2SR_001002_20010101_20200101_02_T2")?.level).toBe("L2SR");
    expect(parseLandsatId("S2A_29RKH_20200219_0_L2A")).toBeNull();
    expect(sensorFromSpacecraft("LANDSAT_9", "x")).toBe("landsat-9");
    expect(() => sensorFromSpacecraft("SENTINEL_2A", "mtl.txt")).toThrow(/mtl\.txt: unknown spacecraft "SENTINEL_2A"/);
  });
});

describe("Landsat C2 L2 scale/offset (docs/science.md: Radiometry)", () => {
  const mtl = (table: Record<string, string>) => (group: string, key: string) => table[`${group}.${key}`];

  it("from the MTL's LEVEL2 groups, not the Level-1 rescaling", () => {
    const r = landsatRadiometry("s", "SR_B4", {
      mtl: mtl({
        "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS.REFLECTANCE_MULT_BAND_4": "2.75e-05",
        "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS.REFLECTANCE_ADD_BAND_4": "-0.2",
        "LEVEL1_RADIOMETRIC_RESCALING.REFLECTANCE_MULT_BAND_4": "2.0000E-05",
      }),
      level: "L2SP",
    });
    // SR = DN * 0.0000275 - 0.2: DN 10000 -> 0.075.
    expect(value(10000, r)).toBeCloseTo(0.075, 12);
    expect(r.source).toBe("MTL LEVEL2_SURFACE_REFLECTANCE_PARAMETERS");
    const t = landsatRadiometry("s", "ST_B10", {
      mtl: mtl({
        "LEVEL2_SURFACE_TEMPERATURE_PARAMETERS.TEMPERATURE_MULT_BAND_ST_B10": "0.00341802",
        "LEVEL2_SURFACE_TEMPERATURE_PARAMETERS.TEMPERATURE_ADD_BAND_ST_B10": "149.0",
      }),
    });
    // T = DN * 0.00341802 + 149: DN 44000 -> 299.39288 K.
    expect(value(44000, t)).toBeCloseTo(299.39288, 9);
  });

  it("without an MTL: the C2 L2 constants for a Level-2 product", () => {
    expect(value(10000, landsatRadiometry("s", "SR_B5", { level: "L2SP" }))).toBeCloseTo(0.075, 12);
    expect(value(44000, landsatRadiometry("s", "ST_B6", { level: "L2SP" }))).toBeCloseTo(299.39288, 9);
    expect(value(10000, landsatRadiometry("s", "SR_B5", { level: "L2SR" }))).toBeCloseTo(0.075, 12);
  });

  it("then the file's own GDAL scale/offset; otherwise UnknownScale naming the band", () => {
    const r = landsatRadiometry("s", "SR_B4", { level: "L1TP", gdal: { scale: 0.0001, offset: 0 } });
    expect(value(1234, r)).toBeCloseTo(0.1234, 12);
    expect(() => landsatRadiometry("scene.tif", "ST_B10", { level: "L2SR" })).toThrow(UnknownScale);
    expect(() => landsatRadiometry("scene.tif", "SR_B4", { level: "L1TP", gdal: { scale: 1, offset: 0 } })).toThrow(
      /scene\.tif: cannot establish the scale\/offset of SR_B4/,
    );
  });
});
