/** GeoTIFF georeferencing tags (OGC GeoTIFF 1.1) for an EPSG-coded grid. */
import { BadParameter } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { DOUBLE, SHORT, type Tag } from "./tiff-ifd.ts";

const MODEL_PIXEL_SCALE = 33550;
const MODEL_TIEPOINT = 33922;
const MODEL_TRANSFORMATION = 34264;
const GEO_KEY_DIRECTORY = 34735;

/** Geographic 2D CRSs (WGS 84, NAD83, ETRS89, CGCS2000, GDA94, GDA2020, SIRGAS 2000, NAD83(2011), JGD2000/2011); other codes are written as projected. */
const GEOGRAPHIC = new Set([4326, 4269, 4258, 4490, 4283, 7844, 4674, 6318, 4612, 6668]);

export function geoTags(grid: Grid): Tag[] {
  const m = /^EPSG:(\d+)$/i.exec(grid.crs);
  if (!m) throw new BadParameter(`grid CRS "${grid.crs}" is not an EPSG code`);
  const code = Number(m[1]);
  if (code < 1024 || code > 32766) throw new BadParameter(`grid CRS "${grid.crs}" is outside the GeoTIFF EPSG code range`);
  if (!grid.transform.every(Number.isFinite)) throw new BadParameter(`grid transform [${grid.transform.join(", ")}] is not finite`);
  const geographic = GEOGRAPHIC.has(code);
  // [version 1, revision 1.0, key count] then (key id, location 0 = value inline, count 1, value)
  const keys: number[][] = [
    [1024, 0, 1, geographic ? 2 : 1], // GTModelTypeGeoKey: projected or geographic
    [1025, 0, 1, 1], // GTRasterTypeGeoKey: PixelIsArea
    geographic ? [2048, 0, 1, code] : [3072, 0, 1, code], // GeographicTypeGeoKey / ProjectedCSTypeGeoKey
  ];
  const dir = [1, 1, 0, keys.length, ...keys.flat()];
  const [a, b, c, d, e, f] = grid.transform;
  // North-up grids: pixel scale + tie point (as GDAL writes them); anything else: the full matrix.
  const placement: Tag[] =
    b === 0 && d === 0 && a > 0 && e < 0
      ? [
          { tag: MODEL_PIXEL_SCALE, type: DOUBLE, values: [a, -e, 0] },
          { tag: MODEL_TIEPOINT, type: DOUBLE, values: [0, 0, 0, c, f, 0] },
        ]
      : [{ tag: MODEL_TRANSFORMATION, type: DOUBLE, values: [a, b, 0, c, d, e, 0, f, 0, 0, 0, 0, 0, 0, 0, 1] }];
  return [...placement, { tag: GEO_KEY_DIRECTORY, type: SHORT, values: dir }];
}
