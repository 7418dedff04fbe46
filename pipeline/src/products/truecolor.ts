/**
 * True-colour quicklook: red, green, blue reflectance to 8-bit with one fixed stretch for every
 * date and site (0 -> 1, `max` -> 255, with a display gamma), so years can be compared by eye.
 * 0 is reserved for no data.
 */
export interface TrueColorStretch {
  max: number;
  gamma: number;
}

export const DEFAULT_STRETCH: TrueColorStretch = { max: 0.3, gamma: 1 / 1.6 };

/** RGBA pixels of true-colour bytes (as trueColorInto writes them): opaque, transparent where the bytes are 0 (no data). */
export function trueColorRgba(rgb: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>], n: number): Uint8Array {
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) if (rgb[0][i]) rgba.set([rgb[0][i]!, rgb[1][i]!, rgb[2][i]!, 255], i * 4);
  return rgba;
}

/** Writes 3 Uint8Array bands (R, G, B); pixels with any band NaN become 0 in all three. */
export function trueColorInto(
  red: Float32Array,
  green: Float32Array,
  blue: Float32Array,
  out: [Uint8Array, Uint8Array, Uint8Array],
  stretch: TrueColorStretch = DEFAULT_STRETCH,
): void {
  const lut = (v: number) => {
    const t = Math.min(1, Math.max(0, v / stretch.max));
    return 1 + Math.round(254 * t ** stretch.gamma);
  };
  for (let i = 0; i < red.length; i++) {
    const r = red[i]!;
    const g = green[i]!;
    const b = blue[i]!;
    if (r !== r || g !== g || b !== b) {
      out[0][i] = out[1][i] = out[2][i] = 0;
      continue;
    }
    out[0][i] = lut(r);
    out[1][i] = lut(g);
    out[2][i] = lut(b);
  }
}
