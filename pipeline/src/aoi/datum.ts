/**
 * Chinese web-map datums. AMap/Gaode and Tencent publish GCJ-02, Baidu BD-09: WGS84 plus a
 * deliberate, smoothly varying offset of a few hundred metres (about 500 m at Bayan Obo and Ganzhou,
 * measured in datum.test.ts). An AOI traced on those maps lands beside the mine unless converted.
 * gcoord inverts the published forward formula iteratively to 1e-6 deg (about 0.1 m); outside its
 * China bounding box it returns positions unchanged, as the maps apply no offset there.
 */
import { createRequire } from "node:module";
import { BadParameter } from "../errors.ts";
import { library } from "./library.ts";
import type { AoiConversion } from "./parse.ts";

// gcoord's types declare an ES default export, but Node loads its CommonJS build (module.exports is
// that object) while Vite picks its ES build: require() gives the same object under both.
const gcoord: typeof import("gcoord").default = createRequire(import.meta.url)("gcoord");

export type AoiCrs = "wgs84" | "gcj02" | "bd09";

const GCOORD_CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function checkAoiCrs(crs: string, label: string): AoiCrs {
  if (crs === "wgs84" || crs === "gcj02" || crs === "bd09") return crs;
  throw new BadParameter(`${label}: crs "${crs}" is not one of wgs84, gcj02 (AMap/Gaode, Tencent), bd09 (Baidu)`);
}

/** Every position converted to WGS84 [lon, lat]; `conversion` is absent when nothing was done. */
export function toWgs84(polygons: number[][][][], crs: AoiCrs): { polygons: number[][][][]; conversion?: AoiConversion } {
  if (crs === "wgs84") return { polygons };
  const from = GCOORD_CRS[crs];
  const converted = polygons.map((poly) => poly.map((ring) => ring.map((p) => gcoord.transform([p[0]!, p[1]!], from, gcoord.WGS84) as number[])));
  return { polygons: converted, conversion: { from: crs, to: "wgs84", library: library("gcoord") } };
}
