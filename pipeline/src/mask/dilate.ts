/** Grows the masked area by `radius` pixels (square window): cloud edges are usually under-flagged. */
export function dilateMasked(valid: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return valid;
  // Separable: rows then columns, each a running count of masked pixels in the window.
  const tmp = new Uint8Array(valid.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let ok = 1;
      for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k++)
        if (!valid[row + k]) {
          ok = 0;
          break;
        }
      tmp[row + x] = ok;
    }
  }
  const out = new Uint8Array(valid.length);
  for (let x = 0; x < width; x++)
    for (let y = 0; y < height; y++) {
      let ok = 1;
      for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius); k++)
        if (!tmp[k * width + x]) {
          ok = 0;
          break;
        }
      out[y * width + x] = ok;
    }
  return out;
}
