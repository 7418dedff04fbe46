/** The generic SceneReader over band sources: every sensor reader ends here. */
import { MissingBand } from "../errors.ts";
import type { BandLetter, Window } from "../raster.ts";
import { type BandSource, readOnGrid, rescaleInto } from "./band-source.ts";
import type { GeoTiff } from "./geotiff.ts";
import type { SceneInfo, SceneReader } from "./scene.ts";

export interface SceneParts {
  info: SceneInfo;
  bands: Partial<Record<BandLetter, BandSource>>;
  qa?: BandSource;
  radsat?: BandSource;
  /** Every open file, closed with the scene. */
  files: GeoTiff[];
}

export function sceneReader(p: SceneParts): SceneReader {
  const { info } = p;
  const readQaOf = async (src: BandSource | undefined, win: Window, signal?: AbortSignal) => {
    if (!src) return undefined;
    const raw = await readOnGrid(src, info.grid, win, 0, signal);
    return raw instanceof Uint16Array ? raw : Uint16Array.from(raw as ArrayLike<number>);
  };
  return {
    ...info,
    async readBands(win, letters, signal) {
      const out: Partial<Record<BandLetter, Float32Array>> = {};
      await Promise.all(
        letters.map(async (l) => {
          const src = p.bands[l];
          const meta = info.bands[l];
          if (!src || !meta) throw new MissingBand(`${info.id}: band ${l} is not available (have ${Object.keys(p.bands).join(", ")})`);
          const raw = await readOnGrid(src, info.grid, win, meta.nodata, signal);
          out[l] = rescaleInto(raw, meta.scale, meta.offset, meta.nodata, new Float32Array(raw.length));
        }),
      );
      return out;
    },
    readQa: (win, signal) => readQaOf(p.qa, win, signal),
    readRadsat: (win, signal) => readQaOf(p.radsat, win, signal),
    async close() {
      await Promise.all(p.files.map((f) => f.close()));
    },
  };
}
