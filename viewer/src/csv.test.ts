import { describe, expect, it } from "vitest";
import { csvName, pixelCsv, toCsv, zonalCsv } from "./csv.ts";

describe("CSV", () => {
  it("quotes commas, quotes and line breaks (RFC 4180) and leaves missing values empty", () => {
    expect(toCsv([["a,b", 'say "hi"', "x\ny", null, Number.NaN, 0.25]])).toBe('"a,b","say ""hi""","x\ny",,,0.25\r\n');
  });

  it("writes one row per composite date, masked ones flagged, SIMULATED in every row", () => {
    const text = pixelCsv(
      "ganzhou",
      {
        lon: 115.05,
        lat: 24.9,
        product: "nbr",
        series: [
          { date: "2016", value: 0.5, fitted: 0.49, observations: [{ date: "2016-10-20", value: 0.52 }] },
          { date: "2017", value: null, fitted: 0.3 },
        ],
      },
      true,
    );
    expect(text.split("\r\n")).toEqual([
      "site,product,lon,lat,kind,date,value,fitted,masked,data",
      "ganzhou,nbr,115.05,24.9,composite,2016,0.5,0.49,0,SIMULATED",
      "ganzhou,nbr,115.05,24.9,composite,2017,,0.3,1,SIMULATED",
      "ganzhou,nbr,115.05,24.9,observation,2016-10-20,0.52,,0,SIMULATED",
      "",
    ]);
  });

  it("writes the polygon's rows, then the control's", () => {
    const row = { date: "2020", mean: 0.4, p10: 0.1, p50: 0.4, p90: 0.7, count: 615, validFraction: 1 };
    const lines = zonalCsv("ganzhou", "ndvi", 2.214, [row], [{ ...row, mean: 0.66 }], false).split("\r\n");
    expect(lines[1]).toBe("ganzhou,ndvi,drawn,2.214,2020,0.4,0.1,0.4,0.7,615,1,observed");
    expect(lines[2]).toBe("ganzhou,ndvi,control,,2020,0.66,0.1,0.4,0.7,615,1,observed");
  });

  it("names files safely and marks simulated data", () => {
    expect(csvName(["bayan-obo", "ndvi", "109.9/41.8"], true)).toBe("reewatch-bayan-obo-ndvi-109.9_41.8-SIMULATED.csv");
    expect(csvName(["brumadinho", "ndvi", "polygon"], false)).toBe("reewatch-brumadinho-ndvi-polygon.csv");
  });
});
