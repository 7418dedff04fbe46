/**
 * The raster data model, written down once.
 *
 * Layout: row-major, pixel p = y * width + x, (0, 0) is the top-left pixel.
 * Float rasters use NaN for "no value". Integer inputs travel with a Uint8Array valid mask
 * (1 = valid). A raster is its grid plus one typed array per band, passed side by side (stages
 * share one grid, so it is not repeated per array); a time stack is an array per date.
 */

/** Affine transform in rasterio / STAC `proj:transform` order:
 *  x = a * col + b * row + c ;  y = d * col + e * row + f  (col,row at the pixel's top-left corner). */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export interface Grid {
  /** "EPSG:32649" style code. */
  crs: string;
  transform: Affine;
  width: number;
  height: number;
}

/** A pixel window inside a grid: columns [x, x + width), rows [y, y + height). */
export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Band letters shared by every sensor (docs/science.md: Band letters). */
export type BandLetter = "B" | "G" | "R" | "N" | "S1" | "S2" | "T";
export const BAND_LETTERS: readonly BandLetter[] = ["B", "G", "R", "N", "S1", "S2", "T"];

export type Sensor = "sentinel-2" | "landsat-4" | "landsat-5" | "landsat-7" | "landsat-8" | "landsat-9";
