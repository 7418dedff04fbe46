/**
 * Endmember surface reflectances of the SIMULATED scenes at the Sentinel-2 L2A bands the
 * pipeline reads, band order B02 B03 B04 B08 B8A B11 B12 (blue, green, red, NIR, narrow NIR,
 * SWIR1, SWIR2). APPROXIMATE values chosen by the developers to sit inside the ranges of typical
 * library spectra of each cover (USGS spectral library splib07 classes: vegetation, soils,
 * rocks, water, snow), convolved by eye to the band centres; they are not measurements of
 * either site. samples/sites/README.md lists them with their NDVI, BSI and MNDWI.
 * A pixel's spectrum is the linear mixture of endmembers by area fraction (mix, mixInto).
 */
export const BAND_NAMES = ["B02", "B03", "B04", "B08", "B8A", "B11", "B12"] as const;
/** Indices into a spectrum. */
export const BLUE = 0;
export const GREEN = 1;
export const RED = 2;
export const NIR = 3;
export const NIR08 = 4;
export const SWIR1 = 5;
export const SWIR2 = 6;

export type Endmember = "steppe" | "forest" | "npv" | "soilSteppe" | "laterite" | "rock" | "tailings" | "water" | "waterClear" | "snow" | "cloud" | "cirrus";

export const ENDMEMBERS: Record<Endmember, readonly number[]> = {
  // Green semi-arid grass canopy at full cover (Stipa/Leymus steppe): red well, NIR plateau ~0.30.
  steppe: [0.04, 0.075, 0.06, 0.3, 0.31, 0.25, 0.15],
  // Subtropical evergreen broadleaf / Masson pine canopy: dark visible, high NIR, low SWIR (wet leaves).
  forest: [0.025, 0.055, 0.03, 0.36, 0.37, 0.17, 0.075],
  // Non-photosynthetic vegetation (dry grass, litter): no red well, cellulose-bright SWIR1.
  npv: [0.08, 0.11, 0.14, 0.22, 0.23, 0.3, 0.24],
  // Light-brown chestnut steppe soil (kastanozem): reflectance rising with wavelength.
  soilSteppe: [0.1, 0.14, 0.18, 0.23, 0.24, 0.31, 0.27],
  // Red ion-adsorption clay of weathered granite (laterite): iron oxides lift red over green.
  laterite: [0.07, 0.11, 0.21, 0.27, 0.28, 0.36, 0.31],
  // Pit benches and waste rock (dolomite, slate, iron ore mix): moderately bright, SWIR-bright.
  rock: [0.14, 0.165, 0.19, 0.23, 0.24, 0.32, 0.28],
  // Dry fine tailings (beaches, dumps of processed ore): the brightest bare surface, flat spectrum.
  tailings: [0.24, 0.28, 0.31, 0.34, 0.35, 0.42, 0.37],
  // Turbid water (tailings and leaching ponds): suspended sediment lifts green and red.
  water: [0.09, 0.12, 0.12, 0.07, 0.06, 0.02, 0.012],
  // Clear deep water.
  waterClear: [0.06, 0.06, 0.035, 0.02, 0.015, 0.005, 0.003],
  // Fresh snow: bright visible and NIR, dark SWIR (NDSI ~0.8).
  snow: [0.88, 0.87, 0.85, 0.76, 0.74, 0.1, 0.07],
  // Optically thick cloud as seen at the surface-reflectance level: bright, SWIR still high.
  cloud: [0.55, 0.54, 0.55, 0.58, 0.58, 0.42, 0.3],
  // Thin cirrus at full strength, added on top of the surface (more in the visible).
  cirrus: [0.06, 0.055, 0.05, 0.045, 0.045, 0.03, 0.02],
};

/** Linear mixture of two endmembers: fraction f of `a` and 1 - f of `b`, band k. */
export function mix(a: readonly number[], b: readonly number[], f: number, k: number): number {
  return f * a[k]! + (1 - f) * b[k]!;
}

/** out[k] = sum of fractions[j] * spectra[j][k] (fractions are area shares summing to 1). */
export function mixInto(out: Float64Array, spectra: readonly (readonly number[])[], fractions: readonly number[]): Float64Array {
  out.fill(0);
  for (let j = 0; j < spectra.length; j++) {
    const f = fractions[j]!;
    if (f === 0) continue;
    const s = spectra[j]!;
    for (let k = 0; k < out.length; k++) out[k]! += f * s[k]!;
  }
  return out;
}

/** NDVI of a spectrum: (B08 - B04) / (B08 + B04). */
export function ndviOf(s: ArrayLike<number>): number {
  return (s[NIR]! - s[RED]!) / (s[NIR]! + s[RED]!);
}
