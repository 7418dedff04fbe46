/**
 * Sentinel-2 L2A: band letters (SCIENCE.md section 2) and the radiometric offset rule
 * (SCIENCE.md section 1): SR = (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE, with the -1000
 * offset from processing baseline 04.00 on, decided from metadata and never from the date.
 */
import { UnknownScale } from "../errors.ts";
import type { BandLetter } from "../raster.ts";

export const S2_BANDS: Record<Exclude<BandLetter, "T">, string> = {
  B: "B02",
  G: "B03",
  R: "B04",
  N: "B08",
  S1: "B11",
  S2: "B12",
};
/** Earth Search asset keys per band name. */
export const S2_ASSET_KEYS: Record<string, string[]> = {
  B02: ["blue", "B02"],
  B03: ["green", "B03"],
  B04: ["red", "B04"],
  B08: ["nir", "B08"],
  B8A: ["nir08", "B8A"],
  B11: ["swir16", "B11"],
  B12: ["swir22", "B12"],
  SCL: ["scl", "SCL"],
};
export const QUANTIFICATION = 10000;

export interface S2Radiometry {
  /** Reflectance = DN * scale + offset. */
  scale: number;
  offset: number;
  source: string;
}

/** Processing baseline from item properties or the product/granule id ("..._N0214_..." -> "02.14"). */
export function processingBaseline(props: Record<string, unknown>): string | undefined {
  const pb = props["s2:processing_baseline"];
  if (typeof pb === "string" && /^\d{2}\.\d{2}$/.test(pb)) return pb;
  for (const k of ["s2:product_uri", "s2:granule_id", "s2:datatake_id"]) {
    const m = /_N(\d{2})\.?(\d{2})/.exec(String(props[k] ?? ""));
    if (m) return `${m[1]}.${m[2]}`;
  }
  return undefined;
}

/**
 * The rule: a known baseline decides (offset -1000 DN from 04.00 on); without one, explicit
 * raster:bands scale/offset in the item; otherwise refuse.
 */
export function s2Radiometry(sceneId: string, props: Record<string, unknown>, rasterBand?: { scale?: number; offset?: number }): S2Radiometry {
  const pb = processingBaseline(props);
  if (pb) {
    const offsetDn = Number(pb) >= 4 ? -1000 : 0;
    return {
      scale: 1 / QUANTIFICATION,
      offset: offsetDn / QUANTIFICATION,
      source: `processing baseline ${pb} ${offsetDn ? ">= 04.00: BOA_ADD_OFFSET -1000" : "< 04.00: no offset"}, quantification ${QUANTIFICATION}`,
    };
  }
  if (rasterBand && typeof rasterBand.scale === "number") {
    return {
      scale: rasterBand.scale,
      offset: rasterBand.offset ?? 0,
      source: "raster:bands scale/offset of the STAC item (no processing baseline given)",
    };
  }
  throw new UnknownScale(
    `${sceneId}: cannot establish Sentinel-2 scale/offset (no s2:processing_baseline, no product id with a baseline, no raster:bands scale)`,
  );
}
