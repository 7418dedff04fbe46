import { describe, expect, it } from "vitest";
import { cogTags, gdalMetadataXml, nodataText } from "./cog-tags.ts";
import { geoTags } from "./geokeys.ts";
import { DOUBLE, LONG, LONG8, SHORT, type Tag } from "./tiff-ifd.ts";

const byId = (tags: Tag[]) => Object.fromEntries(tags.map((t) => [t.tag, typeof t.values === "string" ? t.values : Array.from(t.values)]));

describe("GeoTIFF keys", () => {
  it("UTM north-up: projected model, PixelIsArea, ProjectedCSType, pixel scale and tie point", () => {
    const t = byId(geoTags({ crs: "EPSG:32649", transform: [20, 0, 408540, 0, -20, 4632600], width: 10, height: 10 }));
    expect(t[34735]).toEqual([1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32649]);
    expect(t[33550]).toEqual([20, 20, 0]);
    expect(t[33922]).toEqual([0, 0, 0, 408540, 4632600, 0]);
    expect(t[34264]).toBeUndefined();
  });

  it("EPSG:4326 and CGCS2000 (EPSG:4490) are geographic: GTModelType 2 and GeographicType", () => {
    for (const code of [4326, 4490]) {
      const t = byId(geoTags({ crs: `EPSG:${code}`, transform: [0.001, 0, 114.5, 0, -0.001, 25.3], width: 1, height: 1 }));
      expect(t[34735]).toEqual([1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, code]);
    }
  });

  it("rotated or south-up grids get a ModelTransformation matrix instead", () => {
    for (const transform of [
      [20, 2, 100, 1, -20, 200],
      [20, 0, 100, 0, 20, 200],
    ] as const) {
      const tags = geoTags({ crs: "EPSG:32649", transform, width: 1, height: 1 });
      const [a, b, c, d, e, f] = transform;
      expect(byId(tags)[34264]).toEqual([a, b, 0, c, d, e, 0, f, 0, 0, 0, 0, 0, 0, 0, 1]);
      expect(tags.find((x) => x.tag === 34264)!.type).toBe(DOUBLE);
      expect(byId(tags)[33550]).toBeUndefined();
    }
  });

  it("rejects what is not an EPSG code or not finite", () => {
    expect(() => geoTags({ crs: "WGS84", transform: [1, 0, 0, 0, -1, 0], width: 1, height: 1 })).toThrow(/grid CRS "WGS84" is not an EPSG code/);
    expect(() => geoTags({ crs: "EPSG:32649", transform: [Number.NaN, 0, 0, 0, -1, 0], width: 1, height: 1 })).toThrow(/not finite/);
  });
});

describe("level tags", () => {
  const base = {
    width: 1037,
    height: 531,
    tile: 512,
    dataType: "float32" as const,
    bands: 1,
    rgb: false,
    offsets: [10, 20, 30, 40, 50, 60],
    counts: [1, 2, 3, 4, 5, 6],
  };
  it("full resolution: subfile 0, deflate, predictor 3, float sample format, geokeys, GDAL metadata and nodata", () => {
    const grid = { crs: "EPSG:32649", transform: [20, 0, 408540, 0, -20, 4632600] as const, width: 1037, height: 531 };
    const tags = cogTags({ ...base, grid, big: false, nodata: Number.NaN, metadata: "<GDALMetadata/>" });
    const t = byId(tags);
    expect([t[254], t[256], t[257], t[258], t[259], t[262], t[277], t[284], t[317], t[322], t[323], t[339]]).toEqual([
      [0],
      [1037],
      [531],
      [32],
      [8],
      [1],
      [1],
      [1],
      [3],
      [512],
      [512],
      [3],
    ]);
    expect([t[324], t[325], t[42113], t[42112]]).toEqual([base.offsets, base.counts, "nan", "<GDALMetadata/>"]);
    expect(tags.find((x) => x.tag === 324)!.type).toBe(LONG);
    expect(t[34735]).toBeDefined();
  });

  it("overviews: subfile 1, no geokeys; BigTIFF offsets are LONG8; RGB vs extra samples; integer predictor 2", () => {
    const ov = cogTags({ ...base, grid: undefined, big: true, nodata: undefined, metadata: undefined });
    expect(byId(ov)[254]).toEqual([1]);
    expect(byId(ov)[34735]).toBeUndefined();
    expect(byId(ov)[42113]).toBeUndefined();
    expect(ov.find((x) => x.tag === 324)!.type).toBe(LONG8);
    const rgb = byId(cogTags({ ...base, dataType: "uint8", bands: 3, rgb: true, grid: undefined, big: false, nodata: 0, metadata: undefined }));
    expect([rgb[262], rgb[338], rgb[317], rgb[339], rgb[42113]]).toEqual([[2], undefined, [2], [1, 1, 1], "0"]);
    const plain = byId(cogTags({ ...base, dataType: "int16", bands: 3, rgb: false, grid: undefined, big: false, nodata: -32768, metadata: undefined }));
    expect([plain[262], plain[338], plain[258], plain[339], plain[42113]]).toEqual([[1], [0, 0], [16, 16, 16], [2, 2, 2], "-32768"]);
    expect(cogTags({ ...base, grid: undefined, big: false, nodata: undefined, metadata: undefined }).find((x) => x.tag === 258)!.type).toBe(SHORT);
  });

  it("GDAL_METADATA XML: items sorted by name and escaped, then per-band description, scale, offset", () => {
    expect(gdalMetadataXml({ SIMULATED: "true", A: 'x<y & "z"' }, ["ndvi"], [0.5], [-1])).toBe(
      [
        "<GDALMetadata>",
        '  <Item name="A">x&lt;y &amp; &quot;z&quot;</Item>',
        '  <Item name="SIMULATED">true</Item>',
        '  <Item name="DESCRIPTION" sample="0" role="description">ndvi</Item>',
        '  <Item name="SCALE" sample="0" role="scale">0.5</Item>',
        '  <Item name="OFFSET" sample="0" role="offset">-1</Item>',
        "</GDALMetadata>",
      ].join("\n"),
    );
    expect(gdalMetadataXml({})).toBeUndefined();
    expect([nodataText(Number.NaN), nodataText(-9999), nodataText(0.5), nodataText(-Infinity)]).toEqual(["nan", "-9999", "0.5", "-inf"]);
  });
});
