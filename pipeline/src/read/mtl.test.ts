import { describe, expect, it } from "vitest";
import { UnsupportedFormat } from "../errors.ts";
import { mtlGrid, mtlValue, parseMtl } from "./mtl.ts";

// A cut-down MTL in the USGS layout (values from the Brumadinho crop's MTL).
const MTL = `GROUP = LANDSAT_METADATA_FILE
  GROUP = PRODUCT_CONTENTS
    LANDSAT_PRODUCT_ID = "LC08_L2SP_218074_20190114_20200829_02_T1"
    PROCESSING_LEVEL = "L2SP"
  END_GROUP = PRODUCT_CONTENTS
  GROUP = PROJECTION_ATTRIBUTES
    MAP_PROJECTION = "UTM"
    UTM_ZONE = 23
    GRID_CELL_SIZE_REFLECTIVE = 30.00
    GRID_CELL_SIZE_THERMAL = 30.00
    CORNER_UL_PROJECTION_X_PRODUCT = 583500.000
    CORNER_UL_PROJECTION_Y_PRODUCT = -2222700.000
    CORNER_LR_PROJECTION_X_PRODUCT = 595470.000
    CORNER_LR_PROJECTION_Y_PRODUCT = -2231670.000
  END_GROUP = PROJECTION_ATTRIBUTES
  GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
    REFLECTANCE_MULT_BAND_4 = 2.75e-05
  END_GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
  GROUP = LEVEL1_RADIOMETRIC_RESCALING
    REFLECTANCE_MULT_BAND_4 = 2.0000E-05
  END_GROUP = LEVEL1_RADIOMETRIC_RESCALING
END_GROUP = LANDSAT_METADATA_FILE
END
`;

describe("MTL", () => {
  it("parses nested groups; values are looked up per group, quotes stripped", () => {
    const m = parseMtl(MTL.replace(/\n/g, "\r\n"));
    expect(mtlValue(m, "PRODUCT_CONTENTS", "LANDSAT_PRODUCT_ID")).toBe("LC08_L2SP_218074_20190114_20200829_02_T1");
    expect(mtlValue(m, "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS", "REFLECTANCE_MULT_BAND_4")).toBe("2.75e-05");
    expect(mtlValue(m, "LEVEL1_RADIOMETRIC_RESCALING", "REFLECTANCE_MULT_BAND_4")).toBe("2.0000E-05");
    expect(mtlValue(m, "NO_SUCH_GROUP", "X")).toBeUndefined();
  });

  it("grid: corners are pixel centres, so the edge is half a cell out; 400 x 300 cells of 30 m", () => {
    const g = mtlGrid(parseMtl(MTL), 400, 300, false, "x");
    // (595470 - 583500) / 30 + 1 = 400 columns; (-2222700 + 2231670) / 30 + 1 = 300 rows.
    expect(g).toEqual({ crs: "EPSG:32623", transform: [30, 0, 583485, 0, -30, -2222685], width: 400, height: 300 });
  });

  it("refuses a file whose size the corners do not span, or a non-UTM projection", () => {
    expect(() => mtlGrid(parseMtl(MTL), 379, 386, false, "B4.TIF")).toThrow(UnsupportedFormat);
    expect(() => mtlGrid(parseMtl(MTL), 379, 386, false, "B4.TIF")).toThrow(
      /B4\.TIF: MTL corners span 400 x 300 cells of 30 m but the file is 379 x 386 pixels/,
    );
    expect(() => mtlGrid(parseMtl(MTL.replace('"UTM"', '"PS"')), 400, 300, false, "B4.TIF")).toThrow(/MAP_PROJECTION PS is not supported/);
  });
});
