/** Colour maps as data files (tiles/colormaps/*.json): continuous ramps and categorical tables. */
import { readdirSync, readFileSync } from "node:fs";
import { BadParameter } from "../../pipeline/src/errors.ts";

export interface ColorMap {
  name: string;
  kind: "continuous" | "categorical";
  description: string;
  stops?: [number, string][];
  classes?: { value: number; color: string; label: { en: string; zh: string } }[];
}

const DIR = new URL("../colormaps/", import.meta.url);
const cache = new Map<string, { map: ColorMap; lut: Uint8Array }>();

export function colormapNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

function hex(c: string): [number, number, number] {
  const v = Number.parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The colour map and a 256-entry RGBA lookup table (continuous) or a value-indexed table (categorical). */
export function loadColormap(name: string): { map: ColorMap; lut: Uint8Array } {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!/^[a-z0-9_-]+$/.test(name) || !colormapNames().includes(name))
    throw new BadParameter(`colormap "${name}" is unknown (known: ${colormapNames().join(", ")})`);
  const map = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as ColorMap;
  const lut = new Uint8Array(256 * 4);
  if (map.kind === "categorical") {
    for (const c of map.classes ?? []) lut.set([...hex(c.color), 255], c.value * 4);
  } else {
    const stops = map.stops!;
    for (let k = 0; k < 256; k++) {
      const t = k / 255;
      let j = 0;
      while (j < stops.length - 2 && t > stops[j + 1]![0]) j++;
      const [t0, c0] = stops[j]!;
      const [t1, c1] = stops[j + 1]!;
      const f = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
      const a = hex(c0);
      const b = hex(c1);
      lut.set([0, 1, 2].map((q) => Math.round(a[q]! + f * (b[q]! - a[q]!))).concat(255), k * 4);
    }
  }
  const out = { map, lut };
  cache.set(name, out);
  return out;
}

/** RGBA pixels of values through a colour map; NaN/no-data -> transparent. */
export function colorize(values: ArrayLike<number>, name: string, range: [number, number], nodata?: number): Uint8Array {
  const { map, lut } = loadColormap(name);
  const out = new Uint8Array(values.length * 4);
  const [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v || v === nodata) continue;
    const k = map.kind === "categorical" ? v : Math.round((255 * (Math.min(hi, Math.max(lo, v)) - lo)) / (hi - lo || 1));
    if (k < 0 || k > 255) continue;
    out.set(lut.subarray(k * 4, k * 4 + 4), i * 4);
  }
  return out;
}
