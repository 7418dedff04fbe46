/**
 * WebAssembly SIMD normalized difference: (a - b) / (a + b) four pixels at a time, with the NaN
 * rules of families.ts. Inputs are copied into the module's memory unless they already live there
 * (`SimdNd.views` hands out arrays inside it, for callers that can fill them in place).
 */
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"));

export class SimdNd {
  private memory = new WebAssembly.Memory({ initial: 1 });
  private instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
  private capacity = 0;

  /** Three Float32Array views (a, b, out) of n elements inside the module's memory. */
  views(n: number): [Float32Array, Float32Array, Float32Array] {
    const bytes = ((n + 3) & ~3) * 4;
    if (3 * bytes > this.capacity) {
      const need = Math.ceil((3 * bytes - this.memory.buffer.byteLength) / 65536);
      if (need > 0) this.memory.grow(need);
      this.capacity = this.memory.buffer.byteLength;
    }
    const buf = this.memory.buffer;
    return [new Float32Array(buf, 0, n), new Float32Array(buf, bytes, n), new Float32Array(buf, 2 * bytes, n)];
  }

  /** out = ND(a, b) for arrays already in this module's memory (from `views`). */
  runInPlace(a: Float32Array, b: Float32Array, out: Float32Array): void {
    const n = a.length;
    const body = n & ~3;
    (this.instance.exports.nd as (a: number, b: number, o: number, n: number) => void)(a.byteOffset, b.byteOffset, out.byteOffset, body);
    for (let i = body; i < n; i++) {
      const s = a[i]! + b[i]!;
      out[i] = Math.abs(s) >= 1e-10 ? (a[i]! - b[i]!) / s : Number.NaN;
    }
  }

  /** out = ND(a, b) for ordinary arrays: copied in, computed, copied out. */
  run(a: Float32Array, b: Float32Array, out: Float32Array): void {
    const [va, vb, vo] = this.views(a.length);
    va.set(a);
    vb.set(b);
    this.runInPlace(va, vb, vo);
    out.set(vo);
  }
}

let shared: SimdNd | undefined;
export function simdNd(): SimdNd {
  shared ??= new SimdNd();
  return shared;
}
