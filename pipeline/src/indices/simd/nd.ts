/**
 * WebAssembly SIMD kernels (kernels.wat): normalized difference and six-band linear combinations,
 * four pixels at a time, with the NaN rules of families.ts. Inputs are copied into the module's
 * memory unless they already live there (`views` hands out arrays inside it). Copies go through
 * chunks of CHUNK pixels, small enough that a chunk's inputs and output stay in L2 cache: the
 * copies then cost cache bandwidth, not memory bandwidth, and the module's memory stays small
 * whatever the array length.
 */
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"));

/** Pixels per chunk: 7 arrays of 8192 float32 = 224 KiB (six-band case), inside a 256 KiB+ L2. */
export const CHUNK = 8192;

const f32 = Math.fround;
/** The kernels' no-data threshold as the float32 constant they compare against. */
const EPS32 = f32(1e-10);

/**
 * ND of one pixel in float32 arithmetic, bit for bit as the SIMD kernel: each float32 operation
 * done in float64 and rounded once gives the correctly rounded float32 result (53 >= 2 x 24 + 2
 * bits), so a pixel's value does not depend on whether it falls in a SIMD body, a tail or a short
 * array (before, the scalar paths computed in float64 and a value depended on where a strip cut).
 */
export function nd32(a: number, b: number): number {
  const s = f32(a + b);
  return Math.abs(s) >= EPS32 ? f32(f32(a - b) / s) : Number.NaN;
}

/** sum c[k] * v[k] + k0 in float32 as the lin6 kernel (coefficients rounded to float32 as it takes them). */
export function lin32(v: ArrayLike<number>[], i: number, c: number[], k0: number): number {
  let s = f32(k0);
  for (let k = 0; k < c.length; k++) s = f32(s + f32(f32(c[k]!) * v[k]![i]!));
  return Math.abs(s) < Number.POSITIVE_INFINITY ? s : Number.NaN;
}

type Nd = (a: number, b: number, o: number, n: number) => void;
type Lin6 = (b0: number, stride: number, o: number, n: number, c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, k: number) => void;

export class SimdNd {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });

  /** `count` Float32Array views of n elements, consecutive in the module's memory, each 16-byte aligned. */
  views(n: number, count = 3): Float32Array[] {
    const bytes = ((n + 3) & ~3) * 4;
    const need = Math.ceil((count * bytes - this.memory.buffer.byteLength) / 65536);
    if (need > 0) this.memory.grow(need);
    const buf = this.memory.buffer;
    return Array.from({ length: count }, (_, k) => new Float32Array(buf, k * bytes, n));
  }

  /** out = ND(a, b) for arrays already in this module's memory (from `views`). */
  runInPlace(a: Float32Array, b: Float32Array, out: Float32Array): void {
    const n = a.length;
    const body = n & ~3;
    (this.instance.exports.nd as Nd)(a.byteOffset, b.byteOffset, out.byteOffset, body);
    for (let i = body; i < n; i++) out[i] = nd32(a[i]!, b[i]!);
  }

  /**
   * out = ND(a, b) for ordinary arrays: copied in, computed, copied out, a chunk at a time; pixels
   * with valid[i] = 0 become NaN while their chunk is still in cache.
   */
  run(a: Float32Array, b: Float32Array, out: Float32Array, valid?: Uint8Array): void {
    const [va, vb, vo] = this.views(CHUNK);
    for (let i = 0; i < a.length; i += CHUNK) {
      const m = Math.min(CHUNK, a.length - i);
      const [ca, cb, co] = m === CHUNK ? [va!, vb!, vo!] : [va!.subarray(0, m), vb!.subarray(0, m), vo!.subarray(0, m)];
      ca.set(a.subarray(i, i + m));
      cb.set(b.subarray(i, i + m));
      this.runInPlace(ca, cb, co);
      if (valid) maskChunk(co, valid, i);
      out.set(co, i);
    }
  }

  /** out = sum c[k] * bands[k] + k0 over six bands (copied in by chunks); non-finite results and invalid pixels are NaN. */
  linear6(bands: Float32Array[], c: number[], k0: number, out: Float32Array, valid?: Uint8Array): void {
    const v = this.views(CHUNK, 7);
    for (let i = 0; i < out.length; i += CHUNK) {
      const m = Math.min(CHUNK, out.length - i);
      // Views of length m at the same offsets keep the stride linear6InPlace derives from them.
      const cv = m === CHUNK ? v : v.map((x) => x.subarray(0, m));
      for (let k = 0; k < 6; k++) cv[k]!.set(bands[k]!.subarray(i, i + m));
      this.linear6InPlace(cv, c, k0);
      if (valid) maskChunk(cv[6]!, valid, i);
      out.set(cv[6]!, i);
    }
  }

  /** The same on seven consecutive views from `views(n, 7)`: six bands in, the result in the seventh. */
  linear6InPlace(v: Float32Array[], c: number[], k0: number): void {
    const n = v[6]!.length;
    const body = n & ~3;
    const stride = v[1]!.byteOffset - v[0]!.byteOffset;
    (this.instance.exports.lin6 as Lin6)(v[0]!.byteOffset, stride, v[6]!.byteOffset, body, c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, k0);
    for (let i = body; i < n; i++) v[6]![i] = lin32(v, i, c, k0);
  }
}

/** NaN where valid[at + j] is 0, for the chunk starting at pixel `at`. */
function maskChunk(chunk: Float32Array, valid: Uint8Array, at: number): void {
  for (let j = 0; j < chunk.length; j++) if (!valid[at + j]) chunk[j] = Number.NaN;
}

let shared: SimdNd | undefined;
export function simdNd(): SimdNd {
  shared ??= new SimdNd();
  return shared;
}
