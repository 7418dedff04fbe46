/**
 * What the server sends and the viewer reads (docs/api.md): one definition for both. This module
 * (and common/ as a whole) is the only code the viewer shares with the server: types and data,
 * no Node APIs.
 */
export interface ProductInfo {
  key: string;
  label: { en: string; zh: string };
  unit: string;
  kind: "continuous" | "categorical" | "rgb";
  range: [number, number];
  colormap: string;
  dates: string[];
  /** Per date: the COG and its STAC item, relative to the run directory, as the run's catalog links them. */
  files: Record<string, { cog: string; item: string }>;
}

export interface ClaimSummary {
  id: string;
  text: string;
  verdict: string;
  measured: { value: number | null; ci95: [number | null, number | null]; unit: string };
  report: string;
}

export interface PublicSite {
  key: string;
  name: { en: string; zh: string };
  simulated: boolean;
  bbox: [number, number, number, number];
  center: [number, number];
  zoom: number;
  dates: string[];
  products: ProductInfo[];
  zones: { type: "FeatureCollection"; features: unknown[] };
  claims: ClaimSummary[];
  changeIndex: string;
  /** Season window of the annual composites ("MM-DD"), for placing them on a time axis; absent for pairs. */
  season?: { start: string; end: string };
  provenance: { software: string; run: string };
}

/** Files of a run besides the products, relative to the run directory: the segmentation fit per year, each year's observation stack per index. */
export interface RunFiles {
  fitted: Record<string, string>;
  observations: Record<string, Record<string, string>>;
}

/**
 * A site in a static export (`reewatch tiles`): what the viewer needs to answer a click without
 * the server, by reading the copied COGs under stac/<site>/ with range requests.
 */
export interface StaticSite extends PublicSite {
  grid: {
    crs: string;
    /** The CRS as a proj4 definition (the viewer has no EPSG database). */
    proj4: string;
    /** Affine (rasterio order) from the grid's CRS to pixel column and row. */
    toPixel: [number, number, number, number, number, number];
    width: number;
    height: number;
  };
  runFiles: RunFiles;
}

/** api/sites.json of a static export: tiles as one PMTiles archive per product and date, or an XYZ folder tree. */
export interface StaticSites {
  static: true;
  tiles: "pmtiles" | "xyz";
  minzoom: number;
  maxzoom: number;
  sites: StaticSite[];
}

/** A class of the sample's map (estimate/strata.json). */
export interface StrataClass {
  code: number;
  name: string;
  pixels: number;
  areaKm2: number;
  sampled: number;
}

/** estimate/strata.json as the labelling API sends it (docs/outputs.md). */
export interface Strata {
  type: "reewatch-strata";
  version: 1;
  /** The class map relative to the run (null for a sample without a raster). */
  map: string | null;
  year: number | string | null;
  crs: string | null;
  pixelAreaKm2: number;
  seed: number | null;
  allocation: string;
  classes: StrataClass[];
}

/** A point of the sample (estimate/sample.csv). */
export interface SamplePoint {
  id: string;
  lon: number;
  lat: number;
  x: number;
  y: number;
  stratum: string;
}

/** What a labeller says about one point: a class name, or "" for a skipped point. */
export interface Label {
  labeller: string;
  reference_class: string;
  confidence: string;
  note: string;
  stratum_shown: boolean;
}

/** A saved row of a label sheet, as text (as in the file). */
export interface SavedRow {
  id: string;
  reference_class: string;
  labeller: string;
  confidence: string;
  note: string;
  stratum_shown: string;
}

/** The answer to a saved label: the sheet and its progress. */
export interface Saved {
  file: string;
  total: number;
  labelled: number;
  skipped: number;
}
