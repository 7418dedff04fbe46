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
import type { Override } from "./site-override.ts";

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
  override?: Override;
}

/** What a scene says about itself, read once when it is opened. */
type SceneFacts = Omit<Observation, "bands" | "valid" | "maskedFraction" | "harmonization">;

/** One strip's observation of a scene: its bands and valid mask, and the AOI pixels it had and kept. */
export interface StripObservation {
  bands: Record<string, Float32Array>;
  valid: Uint8Array;
  harmonization: string;
  inAoi: number;
  ok: number;
}

/**
 * A scene opened on the site grid, read strip by strip (full-width row ranges), so a site run
 * holds one strip of every scene at a time however large the AOI; each pixel's values do not
 * depend on the strip it is read in.
 */
export class ObservationSource {
  private constructor(
    private readonly scene: Awaited<ReturnType<typeof openScene>>,
    private readonly o: ObservationOptions,
    readonly facts: SceneFacts,
  ) {}

  static async open(path: string, o: ObservationOptions): Promise<ObservationSource> {
    const scene = await openScene(path, { grid: o.grid });
    const facts = {
      sceneId: scene.id,
      sensor: scene.sensor,
      datetime: scene.datetime,
      simulated: scene.simulated,
      inputs: scene.inputs,
      nirBand: scene.nirBand,
    };
    return new ObservationSource(scene, o, facts);
  }

  /** Rows y0 .. y0 + rows - 1 of the site grid. */
  async read(y0: number, rows: number): Promise<StripObservation> {
    const { scene, o } = this;
    const win = { x: 0, y: y0, width: o.grid.width, height: rows };
    // Surface temperature (Landsat ST_B10/ST_B6, Kelvin) rides along where the scene has it: RSEI's heat.
    const letters: BandLetter[] = scene.bands.T ? [...OBSERVATION_BANDS, "T"] : [...OBSERVATION_BANDS];
    const bands = (await scene.readBands(win, letters)) as Record<string, Float32Array>;
    const harmonization = o.harmonize
      ? harmonizeToOli(scene.sensor, bands, s2Platform(scene.metadata.platform, scene.id), scene.nirBand)
      : `${scene.sensor}: one sensor family in the stack, no cross-sensor adjustment`;
    const n = o.grid.width * rows;
    const aoi = o.aoiMask.subarray(y0 * o.grid.width, y0 * o.grid.width + n);
    const valid = Uint8Array.from(aoi);
    const qa = scene.qa ? await scene.readQa(win) : undefined;
    if (qa && scene.qa) {
      const before = Uint8Array.from(valid);
      maskRuleFor(scene.qa.kind, o.maskSpec).apply(qa, valid);
      if (o.override) {
        o.override(qa, valid, bands, y0 * o.grid.width);
        for (let i = 0; i < n; i++) valid[i]! &= before[i]!;
      }
    }
    // Landsat QA_RADSAT: a saturated band makes every index of the pixel wrong (as in `indices`).
    const radsat = o.maskSpec === "none" ? undefined : await scene.readRadsat?.(win);
    if (radsat) applyRadsat(radsat, valid);
    let inAoi = 0;
    let ok = 0;
    for (let i = 0; i < n; i++) {
      if (!aoi[i]) continue;
      inAoi++;
      for (const b of letters) if (Number.isNaN(bands[b]![i])) valid[i] = 0;
      ok += valid[i]!;
    }
    return { bands, valid, harmonization, inAoi, ok };
  }

  close(): Promise<void> {
    return this.scene.close();
  }
}

/** Masked share of the AOI pixels from the counts of every strip. */
export const maskedFractionOf = (inAoi: number, ok: number): number => (inAoi ? 1 - ok / inAoi : 1);

/** Reads one scene onto the whole site grid at once (a pair site's two dates). */
export async function readObservation(path: string, o: ObservationOptions): Promise<Observation> {
  const src = await ObservationSource.open(path, o);
  try {
    const s = await src.read(0, o.grid.height);
    return { ...src.facts, bands: s.bands, valid: s.valid, harmonization: s.harmonization, maskedFraction: maskedFractionOf(s.inAoi, s.ok) };
  } finally {
    await src.close();
  }
}
