/** The generic SceneReader over band sources: every sensor reader ends here. */
import { MissingBand, OutsideBounds } from "../errors.ts";
import type { BandLetter, Grid, Window } from "../raster.ts";
import { type BandSource, readManyOnGrid, readOnGrid, rescaleInto } from "./band-source.ts";
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
  // Outside a QA band's footprint: SCL 0 (no data), QA_PIXEL bit 0 (fill), QA_RADSAT 0.
  const readQaOf = async (src: BandSource | undefined, fill: number, win: Window, signal?: AbortSignal) => {
    if (!src) return undefined;
    checkWindow(info.id, info.grid, win);
    const raw = await readOnGrid(src, info.grid, win, fill, signal);
    return raw instanceof Uint16Array ? raw : Uint16Array.from(raw as ArrayLike<number>);
  };
  return {
    ...info,
    async readBands(win, letters, signal) {
      checkWindow(info.id, info.grid, win);
      for (const l of letters)
        if (!p.bands[l] || !info.bands[l]) throw new MissingBand(`${info.id}: band ${l} is not available (have ${Object.keys(p.bands).join(", ")})`);
      const out: Partial<Record<BandLetter, Float32Array>> = {};
      await Promise.all(
        groupByFile(letters, p.bands).map(async (group) => {
          const nodata = info.bands[group[0]!]!.nodata;
          const raws = await readManyOnGrid(
            group.map((l) => p.bands[l]!),
            info.grid,
            win,
            nodata,
            signal,
          );
          group.forEach((l, k) => {
            const meta = info.bands[l]!;
            out[l] = rescaleInto(raws[k]!, meta.scale, meta.offset, meta.nodata, new Float32Array(raws[k]!.length));
          });
        }),
      );
      return out;
    },
    readQa: (win, signal) => readQaOf(p.qa, info.qa?.kind === "landsat-qa-pixel" ? 1 : 0, win, signal),
    readRadsat: (win, signal) => readQaOf(p.radsat, 0, win, signal),
    async close() {
      await Promise.all(p.files.map((f) => f.close()));
    },
  };
}

function checkWindow(id: string, grid: Grid, win: Window): void {
  const { x, y, width, height } = win;
  if (![x, y, width, height].every(Number.isInteger) || width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > grid.width || y + height > grid.height)
    throw new OutsideBounds(`${id}: window x=${x} y=${y} ${width}x${height} is not inside the ${grid.width}x${grid.height} scene grid`);
}

/** Letters whose bands share one file and native grid (and no-data) are read together. */
function groupByFile(letters: readonly BandLetter[], bands: Partial<Record<BandLetter, BandSource>>): BandLetter[][] {
  const groups: BandLetter[][] = [];
  for (const l of new Set(letters)) {
    const s = bands[l]!;
    const g = groups.find((gr) => bands[gr[0]!]!.tiff === s.tiff && bands[gr[0]!]!.grid === s.grid);
    if (g) g.push(l);
    else groups.push([l]);
  }
  return groups;
}
