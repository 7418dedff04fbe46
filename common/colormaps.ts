/**
 * The colour maps of every product, one definition for the tile renderer, the report quicklooks and
 * the viewer's legend. Continuous ramps are d3-scale-chromatic's schemes (the ColorBrewer and
 * matplotlib ramps, Harrower & Brewer 2003; van der Walt & Smith 2015), sampled at 256 levels;
 * categorical tables are the project's own classes. No Node APIs: the viewer bundles this file.
 */
import {
  interpolateBlues,
  interpolateBrBG,
  interpolateGreys,
  interpolateInferno,
  interpolatePlasma,
  interpolateRdBu,
  interpolateRdYlGn,
  interpolateViridis,
  interpolateYlOrBr,
  interpolateYlOrRd,
} from "d3-scale-chromatic";

export interface ColorClass {
  value: number;
  color: string;
  label: { en: string; zh: string };
}

export interface ColorMapDef {
  name: string;
  kind: "continuous" | "categorical";
  description: string;
  /** The scheme a continuous ramp samples (d3-scale-chromatic's name), for the record. */
  scheme?: string;
  /** Colour at t in [0, 1] (continuous maps). */
  ramp?: (t: number) => string;
  classes?: ColorClass[];
}

const continuous = (name: string, description: string, scheme: string, ramp: (t: number) => string): ColorMapDef => ({
  name,
  kind: "continuous",
  description,
  scheme,
  ramp,
});

const reversed = (f: (t: number) => string) => (t: number) => f(1 - t);

export const COLORMAPS: Record<string, ColorMapDef> = Object.fromEntries(
  (
    [
      continuous("bare", "sequential for bare-soil and built-up indices (pale yellow to brown)", "YlOrBr", interpolateYlOrBr),
      continuous("change", "diverging for change: loss red, gain blue, white at the middle of the range", "RdBu", interpolateRdBu),
      continuous("gray", "grey ramp, black to white", "Greys (reversed)", reversed(interpolateGreys)),
      continuous("heat", "sequential for temperature", "Inferno", interpolateInferno),
      continuous("magnitude", "sequential for disturbance magnitude", "YlOrRd", interpolateYlOrRd),
      continuous("mask", "valid mask: masked dark, valid light", "Greys (reversed)", reversed(interpolateGreys)),
      continuous("moisture", "diverging for moisture and wetness: dry brown to wet blue-green", "BrBG", interpolateBrBG),
      continuous("ndvi", "diverging for vegetation indices: bare red-brown through yellow to dense green", "RdYlGn", interpolateRdYlGn),
      continuous("recovery", "for recovery: none red, full green", "RdYlGn", interpolateRdYlGn),
      continuous("viridis", "perceptually uniform sequential", "Viridis", interpolateViridis),
      continuous("water", "sequential for water indices: land pale to water blue", "Blues", interpolateBlues),
      continuous("years", "sequential for years: early purple to late yellow", "Plasma", interpolatePlasma),
      {
        name: "classes",
        kind: "categorical",
        description: "change classes",
        classes: [
          { value: 1, color: "#bdbdbd", label: { en: "stable", zh: "稳定" } },
          { value: 2, color: "#d7301f", label: { en: "disturbed", zh: "扰动" } },
          { value: 3, color: "#fdae61", label: { en: "recovering (partially restored)", zh: "恢复中（部分恢复）" } },
          { value: 4, color: "#1a9850", label: { en: "restored", zh: "已恢复" } },
        ],
      },
    ] satisfies ColorMapDef[]
  ).map((m) => [m.name, m]),
);

/** [r, g, b] of a CSS colour as d3 writes it: "#rrggbb" or "rgb(r, g, b)". */
export function rgbOf(css: string): [number, number, number] {
  if (css.startsWith("#")) {
    const v = Number.parseInt(css.slice(1, 7), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (!m) throw new RangeError(`colour "${css}" is neither #rrggbb nor rgb(r, g, b)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Evenly spaced stops of a continuous map, [t, css colour], for CSS gradients. */
export function rampStops(map: ColorMapDef, n = 11): [number, string][] {
  if (!map.ramp) return [];
  return Array.from({ length: n }, (_, k) => [k / (n - 1), map.ramp!(k / (n - 1))]);
}
