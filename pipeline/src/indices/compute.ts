/** Applying index kernels to a block of bands. */
import type { Sensor } from "../raster.ts";
import type { Bands } from "./families.ts";
import type { IndexDef } from "./table.ts";

/** Writes `def` over the block into `out` (NaN for masked pixels, bad inputs, zero denominators). */
export function computeIndexInto(def: IndexDef, bands: Bands, valid: Uint8Array | undefined, out: Float32Array, sensor: Sensor): Float32Array {
  def.kernel(bands, valid, out, sensor);
  return out;
}

export function computeIndex(def: IndexDef, bands: Bands, valid: Uint8Array | undefined, sensor: Sensor): Float32Array {
  const n = bands[def.bands[0]!]!.length;
  return computeIndexInto(def, bands, valid, new Float32Array(n), sensor);
}
