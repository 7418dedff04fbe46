/**
 * TIFF predictors applied before deflate, in place on one tile's bytes (little-endian "II" file).
 * Predictor 2 (horizontal differencing, TIFF 6.0 section 14) for integers; predictor 3
 * (floating point, Adobe TechNote 3): each row's floats are split into byte planes, most
 * significant first, then every byte is differenced with the one `samples` bytes before it.
 */

/** Predictor 2 on rows of `width` pixels x `samples` interleaved values of 8/16 bits. */
export function horizontalDiff(bytes: Uint8Array, width: number, rows: number, samples: number, bytesPerSample: 1 | 2): void {
  const stride = samples;
  if (bytesPerSample === 1) {
    for (let r = 0; r < rows; r++) {
      const base = r * width * samples;
      for (let i = width * samples - 1; i >= stride; i--) bytes[base + i] = (bytes[base + i]! - bytes[base + i - stride]!) & 0xff;
    }
    return;
  }
  const v = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  for (let r = 0; r < rows; r++) {
    const base = r * width * samples;
    for (let i = width * samples - 1; i >= stride; i--) v[base + i] = (v[base + i]! - v[base + i - stride]!) & 0xffff;
  }
}

/** Predictor 3 on rows of `width` x `samples` float32 values; `scratch` holds one row of bytes. */
export function floatingPointDiff(bytes: Uint8Array, width: number, rows: number, samples: number, scratch: Uint8Array): void {
  const wc = width * samples;
  const rowBytes = wc * 4;
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    scratch.set(row);
    // Little-endian input: byte b of value i goes to plane (3 - b), so plane 0 is the MSB.
    for (let i = 0; i < wc; i++) {
      const s = i * 4;
      row[i] = scratch[s + 3]!;
      row[wc + i] = scratch[s + 2]!;
      row[2 * wc + i] = scratch[s + 1]!;
      row[3 * wc + i] = scratch[s]!;
    }
    for (let i = rowBytes - 1; i >= samples; i--) row[i] = (row[i]! - row[i - samples]!) & 0xff;
  }
}

/** Inverse of floatingPointDiff, for tests. */
export function undoFloatingPointDiff(bytes: Uint8Array, width: number, rows: number, samples: number): void {
  const wc = width * samples;
  const rowBytes = wc * 4;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = samples; i < rowBytes; i++) row[i] = (row[i]! + row[i - samples]!) & 0xff;
    tmp.set(row);
    for (let i = 0; i < wc; i++) {
      row[i * 4 + 3] = tmp[i]!;
      row[i * 4 + 2] = tmp[wc + i]!;
      row[i * 4 + 1] = tmp[2 * wc + i]!;
      row[i * 4] = tmp[3 * wc + i]!;
    }
  }
}
