/**
 * Sentinel-2 Scene Classification (SCL) of a SIMULATED scene on the 20 m-band grid, from the
 * planted fields rather than from the pixels, so the truth of every flag is known:
 * 0 no data (beyond the swath), 9 cloud high probability (opacity >= 0.5), 8 cloud medium
 * probability (opacity >= 0.03), 10 thin cirrus (strength >= 0.35), 3 cloud shadow (>= 0.15 of
 * direct light blocked), 11 snow (cover >= 0.5), 6 water (>= half the pixel), 4 vegetation
 * (NDVI >= 0.4, the Sen2Cor-like threshold), 5 not vegetated. False clouds: in scenes that have
 * them, bright bare ground (visible reflectance >= 0.15, NDVI < 0.2) and water inside the
 * planted patches become 9 (visible >= 0.25) or 8, as L2A does to tailings, benches and
 * turbid ponds.
 */
import { BLUE, GREEN, NIR, RED } from "./spectra.ts";

export const SCL = { nodata: 0, shadow: 3, vegetation: 4, bare: 5, water: 6, cloudMedium: 8, cloudHigh: 9, cirrus: 10, snow: 11 } as const;

export interface SclInputs {
  /** Clear-sky surface reflectance, 7 bands. */
  surface: Float32Array[];
  /** Shares of the pixel: water surface, cloud opacity, shadow depth, cirrus strength, snow, false-cloud patch. */
  water: Float32Array;
  cloud: Float32Array;
  shadow: Float32Array;
  cirrus: Float32Array;
  snow: Float32Array;
  falseCloud: Float32Array;
  nodata: Uint8Array;
}

export function visible(b: Float32Array[], i: number): number {
  return (b[BLUE]![i]! + b[GREEN]![i]! + b[RED]![i]!) / 3;
}

export function ndviAt(b: Float32Array[], i: number): number {
  return (b[NIR]![i]! - b[RED]![i]!) / (b[NIR]![i]! + b[RED]![i]!);
}

export function classifyScl(p: SclInputs, falseClouds: boolean): Uint8Array {
  const out = new Uint8Array(p.nodata.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = clearSkyClass(p, i);
    if (falseClouds && p.falseCloud[i]! >= 0.5 && (out[i] === SCL.bare || out[i] === SCL.water)) {
      const bright = visible(p.surface, i);
      if (out[i] === SCL.water || (bright >= 0.15 && ndviAt(p.surface, i) < 0.2)) out[i] = bright >= 0.25 ? SCL.cloudHigh : SCL.cloudMedium;
    }
  }
  return out;
}

function clearSkyClass(p: SclInputs, i: number): number {
  if (p.nodata[i]) return SCL.nodata;
  if (p.cloud[i]! >= 0.5) return SCL.cloudHigh;
  if (p.cloud[i]! >= 0.03) return SCL.cloudMedium;
  if (p.cirrus[i]! >= 0.35) return SCL.cirrus;
  if (p.shadow[i]! >= 0.15) return SCL.shadow;
  if (p.snow[i]! >= 0.5) return SCL.snow;
  if (p.water[i]! >= 0.5) return SCL.water;
  return ndviAt(p.surface, i) >= 0.4 ? SCL.vegetation : SCL.bare;
}
