/**
 * How cloudy the AOI is in one scene, from its quality band alone (read before any reflectance
 * band, so mostly cloudy scenes cost one small window). Clouds are the classes/bits the default
 * mask rules call cloud, cirrus or shadow (docs/science.md, masks); no-data pixels count neither way.
 */
import type { MaskKind } from "./profiles.ts";

/** SCL 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus; 0 no data. */
const SCL_CLOUD = new Set([3, 8, 9, 10]);
/** QA_PIXEL bits 1 dilated cloud, 2 cirrus, 3 cloud, 4 cloud shadow; bit 0 fill. */
const QA_CLOUD_BITS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4);

export interface AoiCloud {
  /** AOI pixels with data. */
  valid: number;
  cloudy: number;
  /** Percent of valid AOI pixels that are cloud, cirrus or shadow; NaN when none has data. */
  percent: number;
}

export function aoiCloud(kind: MaskKind, qa: ArrayLike<number>, inside: Uint8Array): AoiCloud {
  let valid = 0;
  let cloudy = 0;
  for (let i = 0; i < qa.length; i++) {
    if (!inside[i]) continue;
    const v = qa[i]!;
    const noData = kind === "s2-scl" ? v === 0 : (v & 1) === 1;
    if (noData) continue;
    valid++;
    if (kind === "s2-scl" ? SCL_CLOUD.has(v) : (v & QA_CLOUD_BITS) !== 0) cloudy++;
  }
  return { valid, cloudy, percent: valid ? (100 * cloudy) / valid : Number.NaN };
}
