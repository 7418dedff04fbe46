/**
 * Index math in Mpx/s on the same arrays: NDVI (2 bands) and TC wetness (6 bands), our kernels
 * against numpy (preallocated outputs), and the machine's copy bandwidth as the bound.
 * Run: npx tsx bench/index-math.ts [--mpx 120.6]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { computeIndexInto } from "../pipeline/src/indices/compute.ts";
import { SimdNd } from "../pipeline/src/indices/simd/nd.ts";
import { indexByName } from "../pipeline/src/indices/table.ts";
import { arg, hasGdalPython, python, report, seededField, tempDir, timeIt } from "./lib.ts";

const n = Math.round(arg("mpx", 120.6) * 1e6);
const w = 10980;
const h = Math.ceil(n / w);
const letters = ["B", "G", "R", "N", "S1", "S2"] as const;
const bands = Object.fromEntries(
  letters.map((l, k) => {
    const a = new Float32Array(w * h);
    seededField(w, h, 100 + k, 0.1 + 0.05 * k, 0.2, a);
    return [l, a];
  }),
);
const out = new Float32Array(w * h);
const mpx = (w * h) / 1e6;
const ndvi = await timeIt(() => computeIndexInto(indexByName("ndvi"), bands, undefined, out, "sentinel-2"));
const tcw = await timeIt(() => computeIndexInto(indexByName("tcw"), bands, undefined, out, "sentinel-2"));
const copy = await timeIt(() => out.set(bands.N!));
// The SIMD kernel on arrays that already live in WebAssembly memory (as numpy's live in its own).
const simd = new SimdNd();
const [va, vb, vo] = simd.views(w * h) as [Float32Array, Float32Array, Float32Array];
va.set(bands.N!);
vb.set(bands.R!);
const ndviInPlace = await timeIt(() => simd.runInPlace(va, vb, vo));
const tcSimd = new SimdNd();
const tcv = tcSimd.views(w * h, 7);
for (const [k, l] of letters.entries()) tcv[k]!.set(bands[l]!);
// Shi & Xu 2019 Sentinel-2 wetness coefficients, as the pipeline kernel uses for sentinel-2.
const tcwInPlace = await timeIt(() => tcSimd.linear6InPlace(tcv, [0.2578, 0.2305, 0.0883, 0.1071, -0.7611, -0.5308], 0));
const scalar = await timeIt(() => {
  const x = bands.N!;
  const y = bands.R!;
  for (let i = 0; i < out.length; i++) {
    const s = x[i]! + y[i]!;
    out[i] = Math.abs(s) >= 1e-10 ? (x[i]! - y[i]!) / s : Number.NaN;
  }
});
// NDVI moves 12 bytes per pixel (2 reads, 1 write); a copy moves 8 (1 read, 1 write).
const bound = (mpx * 8) / copy / 12;
const fields: Record<string, number | string> = {
  pixels: `${mpx.toFixed(1)} Mpx`,
  "reewatch NDVI Mpx/s (pipeline kernel, SIMD with copies)": mpx / ndvi,
  "reewatch NDVI Mpx/s (SIMD, arrays in wasm memory)": mpx / ndviInPlace,
  "plain JS loop NDVI Mpx/s": mpx / scalar,
  "reewatch TC wetness (6 bands) Mpx/s (pipeline kernel, SIMD with copies)": mpx / tcw,
  "reewatch TC wetness Mpx/s (SIMD, arrays in wasm memory)": mpx / tcwInPlace,
  "memory-bound NDVI Mpx/s (copy bandwidth)": bound,
  "NDVI fraction of memory bound (SIMD in place)": mpx / ndviInPlace / bound,
};
if (hasGdalPython) {
  const { dir, cleanup } = tempDir("indexmath");
  try {
    for (const l of letters) writeFileSync(join(dir, `${l}.f32`), new Uint8Array(bands[l]!.buffer));
    const r = JSON.parse(
      python(
        `
import numpy as np, time, sys, json
d=sys.argv[1]; n=${w * h}
b={k: np.fromfile(f"{d}/{k}.f32", dtype=np.float32) for k in ["B","G","R","N","S1","S2"]}
out=np.empty(n, np.float32); s=np.empty(n, np.float32)
def ndvi():
    np.subtract(b["N"], b["R"], out=out); np.add(b["N"], b["R"], out=s); np.divide(out, s, out=out)
c=[0.2578,0.2305,0.0883,0.1071,-0.7611,-0.5308]
def tcw():
    np.multiply(b["B"], c[0], out=out)
    for k,cc in zip(["G","R","N","S1","S2"], c[1:]):
        np.multiply(b[k], cc, out=s); np.add(out, s, out=out)
def med(f):
    ts=[]
    for i in range(3):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    return sorted(ts)[1]
print(json.dumps({"ndvi": med(ndvi), "tcw": med(tcw)}))`,
        [dir],
      ),
    );
    Object.assign(fields, {
      "numpy NDVI Mpx/s": mpx / r.ndvi,
      "numpy TC wetness Mpx/s": mpx / r.tcw,
      "ratio NDVI reewatch pipeline kernel/numpy": r.ndvi / ndvi,
      "ratio NDVI SIMD in place/numpy": r.ndvi / ndviInPlace,
      "ratio TC wetness reewatch pipeline kernel/numpy": r.tcw / tcw,
      "ratio TC wetness SIMD in place/numpy": r.tcw / tcwInPlace,
    });
  } finally {
    cleanup();
  }
} else fields.reference = "numpy not found: no reference run";
report("index-math", fields);
