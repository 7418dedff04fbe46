/**
 * Landsat Collection 2 Level-2: band letters per sensor family (docs/science.md: Band letters) and the
 * published scale/offset (docs/science.md, Radiometry; USGS Landsat C2 L2 Science Product Guide).
 */
import { UnknownScale, UnsupportedFormat } from "../errors.ts";
import type { BandLetter, Sensor } from "../raster.ts";

export const SR_SCALE = 0.0000275;
export const SR_OFFSET = -0.2;
export const ST_SCALE = 0.00341802;
export const ST_OFFSET = 149.0;

const OLI: Record<BandLetter, string> = {
  B: "SR_B2",
  G: "SR_B3",
  R: "SR_B4",
  N: "SR_B5",
  S1: "SR_B6",
  S2: "SR_B7",
  T: "ST_B10",
};
const TM_ETM: Record<BandLetter, string> = {
  B: "SR_B1",
  G: "SR_B2",
  R: "SR_B3",
  N: "SR_B4",
  S1: "SR_B5",
  S2: "SR_B7",
  T: "ST_B6",
};

export function landsatBandNames(sensor: Sensor): Record<BandLetter, string> {
  return sensor === "landsat-8" || sensor === "landsat-9" ? OLI : TM_ETM;
}

/** Sensor from a product id "LC08_L2SP_218074_20190114_20200829_02_T1" (or a file name starting with one). */
export function parseLandsatId(name: string): { id: string; sensor: Sensor; date: string; level: string } | null {
  const m = /(L[CTOE]0([45789])_(L\w{3})_\d{6}_(\d{4})(\d{2})(\d{2})_\d{8}_\d{2}_(?:T1|T2|RT))/.exec(name);
  if (!m) return null;
  return { id: m[1]!, sensor: `landsat-${m[2]}` as Sensor, date: `${m[4]}-${m[5]}-${m[6]}`, level: m[3]! };
}

/** The sensor named by an MTL SPACECRAFT_ID ("LANDSAT_8"). */
export function sensorFromSpacecraft(id: string, where: string): Sensor {
  const m = /LANDSAT_([4-9])/.exec(id);
  if (!m) throw new UnsupportedFormat(`${where}: unknown spacecraft "${id}" (Landsat 4-9 are supported)`);
  return `landsat-${m[1]}` as Sensor;
}

/** Letter of a Landsat band name ("SR_B5" on Landsat 8 -> "N"), or undefined. */
export function letterOf(sensor: Sensor, bandName: string): BandLetter | undefined {
  const names = landsatBandNames(sensor);
  return (Object.keys(names) as BandLetter[]).find((k) => names[k] === bandName);
}

export interface Radiometry {
  /** Physical value = DN * scale + offset (reflectance, or Kelvin for ST). */
  scale: number;
  offset: number;
  /** Where the numbers came from, in words. */
  source: string;
}

export interface LandsatScaleInputs {
  /** Value lookup in the scene's MTL (group, key), when an MTL is at hand. */
  mtl?: (group: string, key: string) => string | undefined;
  /** Processing level from the product id: "L2SP" (SR + ST), "L2SR" (SR only), "L1TP"... */
  level?: string;
  /** Scale/offset the band's own GeoTIFF declares (GDAL metadata), when it declares any. */
  gdal?: { scale: number; offset: number };
}

/**
 * Scale/offset of a Level-2 band ("SR_B5", "ST_B10"): the MTL's LEVEL2_* groups first, else the
 * published Collection 2 Level-2 constants for a known Level-2 product, else the file's own GDAL
 * scale/offset; none of these -> UnknownScale naming the band.
 */
export function landsatRadiometry(where: string, band: string, inp: LandsatScaleInputs): Radiometry {
  const st = band.startsWith("ST_");
  const n = band.replace(/^(SR|ST)_B/, "");
  if (inp.mtl) {
    const group = st ? "LEVEL2_SURFACE_TEMPERATURE_PARAMETERS" : "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS";
    const mult = Number(inp.mtl(group, st ? `TEMPERATURE_MULT_BAND_ST_B${n}` : `REFLECTANCE_MULT_BAND_${n}`) ?? Number.NaN);
    const add = Number(inp.mtl(group, st ? `TEMPERATURE_ADD_BAND_ST_B${n}` : `REFLECTANCE_ADD_BAND_${n}`) ?? Number.NaN);
    if (Number.isFinite(mult) && Number.isFinite(add)) return { scale: mult, offset: add, source: `MTL ${group}` };
  }
  if (inp.level === "L2SP" || (inp.level === "L2SR" && !st))
    return st
      ? { scale: ST_SCALE, offset: ST_OFFSET, source: `Landsat C2 L2 constants for ${inp.level} ST (USGS product guide)` }
      : { scale: SR_SCALE, offset: SR_OFFSET, source: `Landsat C2 L2 constants for ${inp.level} SR (USGS product guide)` };
  if (inp.gdal && (inp.gdal.scale !== 1 || inp.gdal.offset !== 0))
    return { scale: inp.gdal.scale, offset: inp.gdal.offset, source: "GDAL scale/offset in the file" };
  throw new UnknownScale(
    `${where}: cannot establish the scale/offset of ${band} (no MTL LEVEL2 parameters, product level ${inp.level ?? "unknown"} is not L2SP/L2SR, no scale/offset in the file)`,
  );
}
