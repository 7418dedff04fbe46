/**
 * Endmember surface reflectances for the SIMULATED scenes, band order B, G, R, N, S1, S2
 * (Sentinel-2 B02, B03, B04, B08, B11, B12). Values are typical of library spectra of each cover
 * (USGS splib07 classes, approximate, chosen by the developers) and are not measurements.
 */
export type Endmember = "steppe" | "forest" | "soilSteppe" | "laterite" | "rock" | "water" | "cloud" | "snow";

export const ENDMEMBERS: Record<Endmember, readonly number[]> = {
  steppe: [0.04, 0.07, 0.065, 0.3, 0.24, 0.14], // semi-arid grass, NDVI 0.64
  forest: [0.03, 0.06, 0.035, 0.38, 0.18, 0.08], // subtropical broadleaf/pine, NDVI 0.83
  soilSteppe: [0.12, 0.16, 0.2, 0.25, 0.32, 0.28], // light brown soil, NDVI 0.11
  laterite: [0.08, 0.12, 0.22, 0.28, 0.34, 0.29], // red ion-adsorption clay, NDVI 0.12
  rock: [0.18, 0.21, 0.24, 0.27, 0.3, 0.27], // pit benches, waste rock
  water: [0.08, 0.1, 0.09, 0.05, 0.02, 0.01], // turbid pond
  cloud: [0.55, 0.55, 0.56, 0.58, 0.45, 0.35],
  snow: [0.85, 0.85, 0.82, 0.75, 0.1, 0.08],
};

/** Linear mixture of vegetation (fraction f) and its bare substrate, band k. */
export function mix(veg: readonly number[], bare: readonly number[], f: number, k: number): number {
  return f * veg[k]! + (1 - f) * bare[k]!;
}
