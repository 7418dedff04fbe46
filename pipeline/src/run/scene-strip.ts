/**
 * One strip of a scene's indices: read the bands, build the valid mask (AOI, QA rule, saturation,
 * missing bands), compute each index. Shared by `reewatch indices` in one thread and by its
 * column workers (scene-columns.ts), so both compute the same numbers by construction.
 */
import { type Aoi, rasterizeAoi } from "../aoi/aoi.ts";
import { computeIndexInto } from "../indices/compute.ts";
import type { IndexDef } from "../indices/table.ts";
import { applyRadsat, type MaskRule } from "../mask/rule.ts";
import type { BandLetter, Window } from "../raster.ts";
import type { SceneReader } from "../read/scene.ts";

export interface StripSpec {
  defs: IndexDef[];
  rule: MaskRule | undefined;
  /** The mask spec ("none" skips the saturation mask too). */
  mask: string;
  aoi?: Aoi;
}

/** A computed strip: its indices one at a time (each array is valid until the next call), the mask and counts. */
export interface StripValues {
  /** Def k's values over the strip, in `defs` order; NaN where the pixel is not valid. */
  value: (k: number) => Float32Array;
  /** 1 = valid observation. */
  mask: Uint8Array;
  /** Pixels inside the AOI, and valid ones among them. */
  inAoi: number;
  valid: number;
}

/** A read strip: its bands and valid mask, before any index. */
export interface StripInputs {
  bands: Partial<Record<BandLetter, Float32Array>>;
  mask: Uint8Array;
  inAoi: number;
  valid: number;
}

/** Reads the strip's bands and builds its valid mask (AOI, QA rule, saturation, missing bands). */
export async function readStrip(scene: SceneReader, spec: StripSpec, strip: Window): Promise<StripInputs> {
  const n = strip.width * strip.height;
  const letters = [...new Set(spec.defs.flatMap((d) => d.bands))];
  const bands = await scene.readBands(strip, letters);
  const mask = spec.aoi ? rasterizeAoi(spec.aoi, scene.grid, strip) : new Uint8Array(n).fill(1);
  let inAoi = 0;
  for (let i = 0; i < n; i++) inAoi += mask[i]!;
  const qa = spec.rule ? await scene.readQa(strip) : undefined;
  if (spec.rule && qa) spec.rule.apply(qa, mask);
  // Landsat QA_RADSAT: a saturated band makes the pixel invalid (docs/science.md: Masks).
  const radsat = spec.mask !== "none" && scene.readRadsat ? await scene.readRadsat(strip) : undefined;
  if (radsat) applyRadsat(radsat, mask);
  validateFinite(bands, mask, n);
  let valid = 0;
  for (let i = 0; i < n; i++) valid += mask[i]!;
  return { bands, mask, inAoi, valid };
}

/** Def `k` of the strip into `out` (the strip's size). */
export function stripIndex(scene: SceneReader, spec: StripSpec, s: StripInputs, k: number, out: Float32Array): Float32Array {
  return computeIndexInto(spec.defs[k]!, s.bands, s.mask, out, scene.sensor);
}

/** The strip's indices computed one at a time into `shared` (one array of at least the strip's size): one index in memory at once. */
export async function computeStrip(scene: SceneReader, spec: StripSpec, strip: Window, shared: Float32Array): Promise<StripValues> {
  const s = await readStrip(scene, spec, strip);
  const out = shared.subarray(0, strip.width * strip.height);
  return { value: (k) => stripIndex(scene, spec, s, k, out), mask: s.mask, inAoi: s.inAoi, valid: s.valid };
}

/** A pixel with any needed band missing (NaN: fill DN) is not a valid observation. */
function validateFinite(bands: Partial<Record<BandLetter, Float32Array>>, mask: Uint8Array, n: number): void {
  for (const b of Object.values(bands)) {
    for (let i = 0; i < n; i++) if (b![i] !== b![i]) mask[i] = 0;
  }
}
