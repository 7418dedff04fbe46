/**
 * Landsat Collection 2 Level-2: band letters per sensor family (SCIENCE.md section 2) and the
 * published scale/offset (SCIENCE.md section 1; USGS Landsat C2 L2 Science Product Guide).
 */
import { UnsupportedFormat } from "../errors.ts";
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
  const m = /(L[CTOE]0([4-9])_(L\w{3})_\d{6}_(\d{4})(\d{2})(\d{2})_\d{8}_\d{2}_(?:T1|T2|RT))/.exec(name);
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
