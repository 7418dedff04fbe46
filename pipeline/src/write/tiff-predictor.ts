/**
 * TIFF predictors applied before deflate, in place on one tile's bytes (little-endian "II" file).
 * Predictor 2 (horizontal differencing, TIFF 6.0 section 14) for integers; predictor 3
 * (floating point, Adobe Photoshop TIFF TechNote 3, as libtiff's fpDiff): each row's floats are
 * split into byte planes, most significant first, then every byte of the row is differenced with
 * the one `samples` bytes before it. The hot single-sample float path packs four bytes per 32-bit
 * word and subtracts the lanes at once (SWAR), so no per-byte loop runs over a float tile.
 */

const HI = 0x80808080;
const LO = 0x7f7f7f7f;

/** Per-byte a - b (mod 256) of four bytes packed in 32-bit words, without borrows across lanes. */
function laneSub(a: number, b: number): number {
  return ((a | HI) - (b & LO)) ^ ((a ^ ~b) & HI);
}

/** Predictor 2 on rows of `width` pixels x `samples` interleaved values of 8/16 bits. */
export function horizontalDiff(bytes: Uint8Array, width: number, rows: number, samples: number, bytesPerSample: 1 | 2): void {
  const wc = width * samples;
  if (bytesPerSample === 1) {
    for (let r = 0; r < rows; r++) {
      const base = r * wc;
      for (let i = base + wc - 1; i >= base + samples; i--) bytes[i] = bytes[i]! - bytes[i - samples]!;
    }
    return;
  }
  const v = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  for (let r = 0; r < rows; r++) {
    const base = r * wc;
    for (let i = base + wc - 1; i >= base + samples; i--) v[i] = v[i]! - v[i - samples]!;
  }
}

/** Inverse of horizontalDiff (what a TIFF reader does). */
export function undoHorizontalDiff(bytes: Uint8Array, width: number, rows: number, samples: number, bytesPerSample: 1 | 2): void {
  const wc = width * samples;
  const v = bytesPerSample === 1 ? bytes : new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  for (let r = 0; r < rows; r++) {
    const base = r * wc;
    for (let i = base + samples; i < base + wc; i++) v[i] = v[i]! + v[i - samples]!;
  }
}

/**
 * Predictor 3 on one row: `src` holds the row's `n` float32 values (n = width * samples) as raw
 * little-endian words; `out` receives the n * 4 predicted bytes and must be 4-byte aligned.
 */
export function floatRowDiff(src: Uint32Array, n: number, samples: number, out: Uint8Array): void {
  if (samples !== 1 || (n & 3) !== 0) {
    genericFloatRowDiff(src, n, samples, out);
    return;
  }
  const q = n >> 2;
  const w = new Uint32Array(out.buffer, out.byteOffset, n);
  // Byte planes, MSB first: plane k holds byte (3 - k) of every value, four values per word.
  for (let g = 0, i = 0; g < q; g++, i += 4) {
    const a = src[i]!;
    const b = src[i + 1]!;
    const c = src[i + 2]!;
    const d = src[i + 3]!;
    w[g] = (a >>> 24) | ((b >>> 24) << 8) | ((c >>> 24) << 16) | ((d >>> 24) << 24);
    w[q + g] = ((a >>> 16) & 255) | (((b >>> 16) & 255) << 8) | (((c >>> 16) & 255) << 16) | ((d >>> 16) << 24);
    w[2 * q + g] = ((a >>> 8) & 255) | (b & 0xff00) | (((c >>> 8) & 255) << 16) | ((d >>> 8) << 24);
    w[3 * q + g] = (a & 255) | ((b & 255) << 8) | ((c & 255) << 16) | (d << 24);
  }
  // Each byte minus the byte before it, across plane boundaries, four lanes per step.
  let carry = 0;
  for (let j = 0; j < n; j++) {
    const cur = w[j]!;
    w[j] = laneSub(cur, (cur << 8) | carry);
    carry = cur >>> 24;
  }
}

function genericFloatRowDiff(src: Uint32Array, n: number, samples: number, out: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v >>> 24;
    out[n + i] = v >>> 16;
    out[2 * n + i] = v >>> 8;
    out[3 * n + i] = v;
  }
  for (let i = 4 * n - 1; i >= samples; i--) out[i] = out[i]! - out[i - samples]!;
}

/** Predictor 3 in place on `rows` rows of `width` x `samples` float32 values. */
export function floatingPointDiff(bytes: Uint8Array, width: number, rows: number, samples: number): void {
  const n = width * samples;
  const row = new Uint32Array(n);
  const rowBytes = new Uint8Array(row.buffer);
  for (let r = 0; r < rows; r++) {
    const at = r * n * 4;
    rowBytes.set(bytes.subarray(at, at + n * 4));
    floatRowDiff(row, n, samples, bytes.subarray(at, at + n * 4));
  }
}

/** Inverse of floatingPointDiff (what a TIFF reader does), for tests. */
export function undoFloatingPointDiff(bytes: Uint8Array, width: number, rows: number, samples: number): void {
  const n = width * samples;
  const tmp = new Uint8Array(n * 4);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * n * 4, (r + 1) * n * 4);
    for (let i = samples; i < n * 4; i++) row[i] = row[i]! + row[i - samples]!;
    tmp.set(row);
    for (let i = 0; i < n; i++) {
      row[i * 4 + 3] = tmp[i]!;
      row[i * 4 + 2] = tmp[n + i]!;
      row[i * 4 + 1] = tmp[2 * n + i]!;
      row[i * 4] = tmp[3 * n + i]!;
    }
  }
}
