/**
 * Colour lookup tables from the shared colour-map definitions (common/colormaps.ts): a 256-entry
 * RGBA table per continuous map (the d3 ramp sampled at k/255) and a value-indexed table per
 * categorical one. Tiles, chips and report quicklooks all colour through colorize.
 */
import { COLORMAPS, type ColorMapDef, rgbOf } from "../../../common/colormaps.ts";
import { BadParameter } from "../errors.ts";

export type ColorMap = ColorMapDef;

const cache = new Map<string, { map: ColorMap; lut: Uint8Array }>();

export function colormapNames(): string[] {
  return Object.keys(COLORMAPS).sort();
}

/** The colour map and its lookup table; BadParameter naming the known maps for an unknown name. */
export function loadColormap(name: string): { map: ColorMap; lut: Uint8Array } {
  const hit = cache.get(name);
  if (hit) return hit;
  const map = Object.hasOwn(COLORMAPS, name) ? COLORMAPS[name] : undefined;
  if (!map) throw new BadParameter(`colormap "${name}" is unknown (known: ${colormapNames().join(", ")})`);
  const lut = new Uint8Array(256 * 4);
  if (map.kind === "categorical") for (const c of map.classes ?? []) lut.set([...rgbOf(c.color), 255], c.value * 4);
  else for (let k = 0; k < 256; k++) lut.set([...rgbOf(map.ramp!(k / 255)), 255], k * 4);
  const out = { map, lut };
  cache.set(name, out);
  return out;
}

/** RGBA pixels of values through a colour map; NaN/no-data -> transparent. */
export function colorize(values: ArrayLike<number>, name: string, range: [number, number], nodata?: number): Uint8Array {
  const { map, lut } = loadColormap(name);
  const out = new Uint8Array(values.length * 4);
  const [lo, hi] = range;
  const categorical = map.kind === "categorical";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v || v === nodata) continue;
    const k = categorical ? v : Math.round((255 * (Math.min(hi, Math.max(lo, v)) - lo)) / (hi - lo || 1));
    if (k < 0 || k > 255) continue;
    // Four byte copies, not lut.subarray(): a view per pixel made the garbage collector a fifth of a cold tile.
    const from = Math.trunc(k) * 4;
    const to = i * 4;
    out[to] = lut[from]!;
    out[to + 1] = lut[from + 1]!;
    out[to + 2] = lut[from + 2]!;
    out[to + 3] = lut[from + 3]!;
  }
  return out;
}
