/**
 * What to fetch from each collection reewatch knows: the asset keys of the bands the pipeline
 * reads, the quality band read first for `--max-aoi-cloud`, and how asset URLs are signed.
 * Keys follow each API's own naming (Earth Search: `red`, `scl`; Planetary Computer Sentinel-2:
 * `B04`, `SCL`; Landsat C2 L2 on both: `red`, `qa_pixel`).
 */
import { BadParameter } from "../errors.ts";

export type MaskKind = "s2-scl" | "landsat-qa-pixel";

export interface CollectionProfile {
  /** Asset keys of the bands, in the order they are fetched. */
  bands: string[];
  /** Asset keys fetched when the item has them (thermal for Landsat). */
  optional: string[];
  /** The quality band, read first. */
  mask: { key: string; kind: MaskKind };
}

const S2_EARTH_SEARCH: CollectionProfile = {
  bands: ["blue", "green", "red", "nir", "nir08", "swir16", "swir22"],
  optional: [],
  mask: { key: "scl", kind: "s2-scl" },
};

const S2_PLANETARY: CollectionProfile = {
  bands: ["B02", "B03", "B04", "B08", "B8A", "B11", "B12"],
  optional: [],
  mask: { key: "SCL", kind: "s2-scl" },
};

const LANDSAT_C2_L2: CollectionProfile = {
  bands: ["blue", "green", "red", "nir08", "swir16", "swir22"],
  optional: ["lwir11", "lwir", "qa_radsat"],
  mask: { key: "qa_pixel", kind: "landsat-qa-pixel" },
};

/** The profile for a collection; items whose assets use the other Sentinel-2 naming are handled by `profileForItem`. */
export function profileFor(collection: string): CollectionProfile {
  if (/^sentinel-2(-c1)?-l2a$/.test(collection)) return S2_EARTH_SEARCH;
  if (/^landsat-c2-l2$|^landsat-c2l2-sr$/.test(collection)) return LANDSAT_C2_L2;
  throw new BadParameter(`--collection ${collection}: reewatch fetches sentinel-2-l2a, sentinel-2-c1-l2a and landsat-c2-l2`);
}

/** Picks the Sentinel-2 naming the item actually uses (Earth Search or Planetary Computer). */
export function profileForItem(collection: string, assets: Record<string, unknown>): CollectionProfile {
  const p = profileFor(collection);
  if (p === S2_EARTH_SEARCH && !assets.red && assets.B04) return S2_PLANETARY;
  return p;
}

/** Planetary Computer asset URLs need a SAS token; Earth Search's are public. */
export function needsSigning(apiUrl: string): boolean {
  return /planetarycomputer\.microsoft\.com/i.test(apiUrl);
}
