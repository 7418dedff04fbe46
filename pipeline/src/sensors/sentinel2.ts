/**
 * Sentinel-2 L2A: band letters (docs/science.md: Band letters) and the radiometric offset rule
 * (docs/science.md: Radiometry): SR = (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE, with the -1000
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
  const pb = props["s2:processing_baseline"] ?? props["sentinel:processing_baseline"];
  if (typeof pb === "number" && Number.isFinite(pb)) return pb.toFixed(2).padStart(5, "0");
  if (typeof pb === "string" && /^\d{1,2}\.\d{1,2}$/.test(pb.trim())) return pb.trim();
  for (const k of ["s2:product_uri", "s2:granule_id", "s2:datatake_id", "s2:datastrip_id"]) {
    const m = /_N(\d{2})\.?(\d{2})(?!\d)/.exec(String(props[k] ?? ""));
    if (m) return `${m[1]}.${m[2]}`;
  }
  return undefined;
}

/** Earth Search's flag: true = Earth Search already added BOA_ADD_OFFSET to the DNs of its COGs. */
function offsetApplied(props: Record<string, unknown>): boolean | undefined {
  const v = props["earthsearch:boa_offset_applied"] ?? props["sentinel:boa_offset_applied"];
  return typeof v === "boolean" ? v : undefined;
}

const scaled = (offsetDn: number, source: string): S2Radiometry => ({
  scale: 1 / QUANTIFICATION,
  offset: offsetDn / QUANTIFICATION,
  source,
});

/**
 * The rule, first that applies:
 * 1. explicit `raster:bands` scale and offset of the band's asset;
 * 2. the processing baseline (property, else the N-number in the product/granule id): < 04.00 no
 *    offset; >= 04.00 BOA_ADD_OFFSET -1000, unless Earth Search says it already applied it;
 * 3. Earth Search's `boa_offset_applied: true` alone (DNs already offset);
 * otherwise UnknownScale. Never the acquisition date.
 * The flag is known to read false on some items whose DNs were in fact shifted
 * (cirrus-geo/cirrus-earth-search#33, Element84/earth-search#66), so false never decides on its own.
 */
export function s2Radiometry(sceneId: string, props: Record<string, unknown>, rasterBand?: { scale?: number; offset?: number }): S2Radiometry {
  const pb = processingBaseline(props);
  const applied = offsetApplied(props);
  if (rasterBand && Number.isFinite(rasterBand.scale) && Number.isFinite(rasterBand.offset)) {
    const { scale, offset } = rasterBand as { scale: number; offset: number };
    const byBaseline = pb === undefined ? undefined : Number(pb) >= 4 && applied !== true ? -0.1 : 0;
    const note =
      byBaseline === undefined
        ? ""
        : Math.abs(byBaseline - offset) < 1e-9
          ? ` (agrees with processing baseline ${pb})`
          : ` (processing baseline ${pb} alone would give offset ${byBaseline})`;
    return { scale, offset, source: `raster:bands scale ${scale} offset ${offset} of the STAC item${note}` };
  }
  if (pb !== undefined) {
    if (Number(pb) < 4) return scaled(0, `processing baseline ${pb} < 04.00: no BOA_ADD_OFFSET, quantification ${QUANTIFICATION}`);
    if (applied === true)
      return scaled(0, `processing baseline ${pb} >= 04.00 but earthsearch:boa_offset_applied is true: the DNs already carry BOA_ADD_OFFSET`);
    return scaled(-1000, `processing baseline ${pb} >= 04.00: BOA_ADD_OFFSET -1000, quantification ${QUANTIFICATION}`);
  }
  if (applied === true) return scaled(0, "earthsearch:boa_offset_applied is true (no baseline given): the DNs already carry BOA_ADD_OFFSET");
  throw new UnknownScale(
    `${sceneId}: cannot establish Sentinel-2 scale/offset (no raster:bands scale/offset, no s2:processing_baseline, no baseline in the product id${applied === false ? "; earthsearch:boa_offset_applied false alone does not decide" : ""})`,
  );
}
