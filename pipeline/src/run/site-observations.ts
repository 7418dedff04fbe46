/**
 * Stage 1 of a site run: every scene read onto the site grid as reflectance, with its valid mask
 * (QA rule AND inside the AOI AND all bands present) and masked fraction. Scenes are sorted by
 * (datetime, id) so every executor sees them in the same order.
 */

import { harmonizeToOli, s2Platform } from "../composite/harmonize.ts";
import { applyRadsat, maskRuleFor } from "../mask/rule.ts";
import type { BandLetter, Grid } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import type { SceneInfo } from "../read/scene.ts";

export const OBSERVATION_BANDS: readonly BandLetter[] = ["B", "G", "R", "N", "S1", "S2"];

export interface Observation {
  sceneId: string;
  sensor: SceneInfo["sensor"];
  datetime: string;
  simulated: boolean;
  bands: Record<string, Float32Array>;
  valid: Uint8Array;
  /** Masked share of the AOI pixels (clouds, shadow, snow, fill). */
  maskedFraction: number;
  inputs: string[];
  nirBand: string;
  /** Cross-sensor adjustment applied (composite/harmonize.ts). */
  harmonization: string;
}

export interface ObservationOptions {
  grid: Grid;
  /** 1 inside the site AOI, on `grid`. */
  aoiMask: Uint8Array;
  maskSpec: string;
  /** Adjust reflectance to OLI (composite/harmonize.ts): for stacks that mix sensor families. */
  harmonize?: boolean;
  /** Site mask overrides applied after the QA rule: may set pixels valid again (bright tailings). */
  override?: (qa: Uint16Array, valid: Uint8Array, bands: Record<string, Float32Array>) => void;
}

/** Reads one scene onto the site grid. Site grids are small (a few Mpx): one block per scene. */
export async function readObservation(path: string, o: ObservationOptions): Promise<Observation> {
  const scene = await openScene(path, { grid: o.grid });
  try {
    const win = { x: 0, y: 0, width: o.grid.width, height: o.grid.height };
    // Surface temperature (Landsat ST_B10/ST_B6, Kelvin) rides along where the scene has it: RSEI's heat.
    const letters: BandLetter[] = scene.bands.T ? [...OBSERVATION_BANDS, "T"] : [...OBSERVATION_BANDS];
    const bands = (await scene.readBands(win, letters)) as Record<string, Float32Array>;
    const harmonization = o.harmonize
      ? harmonizeToOli(scene.sensor, bands, s2Platform(scene.metadata.platform, scene.id), scene.nirBand)
      : `${scene.sensor}: one sensor family in the stack, no cross-sensor adjustment`;
    const n = o.grid.width * o.grid.height;
    const valid = Uint8Array.from(o.aoiMask);
    const qa = scene.qa ? await scene.readQa(win) : undefined;
    if (qa && scene.qa) {
      const before = Uint8Array.from(valid);
      maskRuleFor(scene.qa.kind, o.maskSpec).apply(qa, valid);
      if (o.override) {
        o.override(qa, valid, bands);
        for (let i = 0; i < n; i++) valid[i]! &= before[i]!;
      }
    }
    // Landsat QA_RADSAT: a saturated band makes every index of the pixel wrong (as in `indices`).
    const radsat = o.maskSpec === "none" ? undefined : await scene.readRadsat?.(win);
    if (radsat) applyRadsat(radsat, valid);
    let inAoi = 0;
    let ok = 0;
    for (let i = 0; i < n; i++) {
      if (!o.aoiMask[i]) continue;
      inAoi++;
      for (const b of letters) if (Number.isNaN(bands[b]![i])) valid[i] = 0;
      ok += valid[i]!;
    }
    return {
      sceneId: scene.id,
      sensor: scene.sensor,
      datetime: scene.datetime,
      simulated: scene.simulated,
      bands,
      valid,
      maskedFraction: inAoi ? 1 - ok / inAoi : 1,
      inputs: scene.inputs,
      nirBand: scene.nirBand,
      harmonization,
    };
  } finally {
    await scene.close();
  }
}
