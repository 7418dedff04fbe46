/** GeoTIFF georeferencing tags (OGC GeoTIFF 1.1) for an EPSG-coded grid. */
import { BadParameter } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { DOUBLE, SHORT, type Tag } from "./tiff-ifd.ts";

const MODEL_PIXEL_SCALE = 33550;
const MODEL_TIEPOINT = 33922;
const MODEL_TRANSFORMATION = 34264;
const GEO_KEY_DIRECTORY = 34735;

export function geoTags(grid: Grid): Tag[] {
  const m = /^EPSG:(\d+)$/i.exec(grid.crs);
  if (!m) throw new BadParameter(`grid CRS "${grid.crs}" is not an EPSG code`);
  const code = Number(m[1]);
  const geographic = code === 4326 || code === 4269 || code === 4258;
  // [version 1, revision 1.0, key count] then (key id, location 0 = value inline, count 1, value)
  const keys: number[][] = [
    [1024, 0, 1, geographic ? 2 : 1], // GTModelTypeGeoKey: projected or geographic
    [1025, 0, 1, 1], // GTRasterTypeGeoKey: PixelIsArea
    geographic ? [2048, 0, 1, code] : [3072, 0, 1, code], // GeographicType / ProjectedCSType
  ];
  if (!geographic) keys.push([3076, 0, 1, 9001]); // ProjLinearUnitsGeoKey: metre
  const dir = [1, 1, 0, keys.length, ...keys.flat()];
  const [a, b, c, d, e, f] = grid.transform;
  const placement: Tag[] =
    b === 0 && d === 0
      ? [
          { tag: MODEL_PIXEL_SCALE, type: DOUBLE, values: [a, -e, 0] },
          { tag: MODEL_TIEPOINT, type: DOUBLE, values: [0, 0, 0, c, f, 0] },
        ]
      : [
          {
            tag: MODEL_TRANSFORMATION,
            type: DOUBLE,
            values: [a, b, 0, c, d, e, 0, f, 0, 0, 0, 0, 0, 0, 0, 1],
          },
        ];
  return [...placement, { tag: GEO_KEY_DIRECTORY, type: SHORT, values: dir }];
}
