/** Shared bench helpers: seeded data, timing, the GDAL/numpy reference runner, result lines. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PYTHON = "/usr/bin/python3";

export function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

export const hasGdalPython = spawnSync(PYTHON, ["-c", "import osgeo.gdal, numpy"], { stdio: "ignore" }).status === 0;

/** Runs python with GDAL/numpy; OPENBLAS_* are unset for this command only (they slow numpy). */
export function python(code: string, args: string[] = []): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GDAL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(PYTHON, ["-c", code, ...args], { encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout.trim();
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `reewatch-bench-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Median of `reps` timings of fn, in seconds. */
export async function timeIt(fn: () => unknown | Promise<unknown>, reps = 3): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
}

/** A smooth, seeded reflectance-like field plus noise: compresses like real imagery does. */
export function seededField(width: number, height: number, seed: number, base: number, amp: number, out: Float32Array | Uint16Array, scale = 1): void {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const fx = 0.002 + 0.003 * rand();
  const fy = 0.002 + 0.003 * rand();
  for (let y = 0; y < height; y++) {
    const sy = Math.sin(y * fy);
    for (let x = 0; x < width; x++) {
      const v = base + amp * (0.6 * Math.sin(x * fx) * sy + 0.4 * (rand() - 0.5));
      out[y * width + x] = v * scale;
    }
  }
}

export function report(name: string, fields: Record<string, number | string>): void {
  const rows = Object.entries(fields).map(([k, v]) => `  ${k.padEnd(34)} ${typeof v === "number" ? v.toFixed(3) : v}`);
  process.stdout.write(`${name}\n${rows.join("\n")}\n${JSON.stringify({ bench: name, ...fields })}\n`);
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A raw single-band file plus its ENVI header, so GDAL can read the same array (type 4 float32, 12 uint16). */
export function writeEnvi(dir: string, size: number, data: Float32Array | Uint16Array): string {
  const raw = join(dir, "raw.bin");
  writeFileSync(raw, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const type = data instanceof Float32Array ? 4 : 12;
  writeFileSync(
    join(dir, "raw.hdr"),
    `ENVI\nsamples = ${size}\nlines = ${size}\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\ndata type = ${type}\ninterleave = bsq\nbyte order = 0\n`,
  );
  return raw;
}
