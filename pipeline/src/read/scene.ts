/**
 * The scene contract between readers (Sentinel-2 L2A, Landsat C2 L2) and the stages after them.
 * A reader resolves bands, scale/offset and QA once; `readBands` then returns reflectance for any
 * window of the scene's target grid, so memory is bounded by the window, not the scene.
 */
import type { BandLetter, Grid, Sensor, Window } from "../raster.ts";

export interface BandInfo {
  letter: BandLetter;
  /** Band name in the product: "B04", "B8A", "SR_B4", "ST_B10". */
  name: string;
  /** Path or URL of the file holding it (with `#b=N` for band N of a multiband stack). */
  href: string;
  /** Physical value = DN * scale + offset (reflectance, or Kelvin for thermal). */
  scale: number;
  offset: number;
  /** DN meaning "no data" (0 for both S2 L2A and Landsat C2 L2). */
  nodata: number;
  /** Native grid of the band (a 20 m S2 band differs from the 10 m target grid). */
  grid: Grid;
  /** Where scale/offset came from, in words (e.g. "s2:processing_baseline 02.14 < 04.00: offset 0"). */
  scaleSource: string;
}

/** QA bands: Sentinel-2 SCL classes, Landsat QA_PIXEL bits, Landsat QA_RADSAT saturation bits. */
export type QaKind = "s2-scl" | "landsat-qa-pixel" | "landsat-qa-radsat";

export interface QaInfo {
  kind: QaKind;
  name: string;
  href: string;
  grid: Grid;
}

export interface SceneInfo {
  /** Stable id used for output folders: the product id ("S2A_29RKH_20200219_0_L2A", "LC08_L2SP_..."). */
  id: string;
  sensor: Sensor;
  /** ISO 8601 acquisition time. */
  datetime: string;
  /** The grid every band is delivered on (the finest band grid by default, or the one asked for). */
  grid: Grid;
  bands: Partial<Record<BandLetter, BandInfo>>;
  qa?: QaInfo;
  /** Landsat QA_RADSAT (saturation), when present. */
  radsat?: QaInfo;
  /** Which NIR band N is ("B08", "B8A", "SR_B5", ...). */
  nirBand: string;
  /** Cloud cover reported by the provider, percent, when known. */
  cloudCover?: number;
  /** True for scenes made by `reewatch simulate`. Simulated data says so everywhere. */
  simulated: boolean;
  /** Every file read, for provenance (SHA-256 is computed by the run stage). */
  inputs: string[];
  /** Provider metadata worth keeping (processing baseline, MTL fields, STAC properties). */
  metadata: Record<string, unknown>;
}

export interface SceneReader extends SceneInfo {
  /** Reflectance (Kelvin for T) as Float32 for a window of `grid`; NaN where the DN is no-data. */
  readBands(win: Window, letters: readonly BandLetter[], signal?: AbortSignal): Promise<Partial<Record<BandLetter, Float32Array>>>;
  /** Raw QA values (SCL classes or QA_PIXEL bits) for a window of `grid`, nearest-resampled; undefined without QA. */
  readQa(win: Window, signal?: AbortSignal): Promise<Uint16Array | undefined>;
  /** Raw QA_RADSAT for a window, when present. */
  readRadsat?(win: Window, signal?: AbortSignal): Promise<Uint16Array | undefined>;
  close(): Promise<void>;
}

export interface OpenSceneOptions {
  /** Deliver bands on this grid instead of the finest native one (nearest; another CRS is sampled through proj4). */
  grid?: Grid;
  /** Sentinel-2 NIR choice: B08 (10 m, default) or B8A (20 m, closer to OLI). */
  nir?: "B08" | "B8A";
}
