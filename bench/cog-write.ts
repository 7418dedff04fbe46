/**
 * COG write of one full-size float32 index band with overviews: our streaming CogWriter against
 * `gdal_translate -of COG -co COMPRESS=DEFLATE -co PREDICTOR=YES -co NUM_THREADS=1` on the same
 * raw data (raw float32 + ENVI header). Both read the raw file from disk and write deflate with
 * predictor 3 and average overviews. Ours runs twice: with its defaults (zlib RLE strategy for
 * float32, which deflates on libuv's pool, so on up to all cores) and with strategy "default"
 * (full LZ77 at level 6, GDAL's setting). Prints wall times, sizes, peak RSS, the ratios
 * gdal/ours (> 1: we are faster), the machine's load, a GDAL check of our file, then one JSON line.
 * Run: npx tsx bench/cog-write.ts [--size 10980]
 */
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type CogOptions, CogWriter } from "../pipeline/src/write/cog.ts";
import { arg, hasGdalPython, peakRssMb, python, report, tempDir } from "./lib.ts";

const size = arg("size", 10980);
const STRIP = 512;
const grid = { crs: "EPSG:32649", transform: [10, 0, 500000, 0, -10, 4600000] as const, width: size, height: size };

/**
 * A seeded NDVI-like band written strip by strip: red and NIR digital numbers (integers, like
 * Sentinel-2 L2A) from smooth fields plus noise, NDVI = (N - R) / (N + R) in float32, values in
 * [-1, 1]; NaN over a no-data wedge (the swath edge) and over round cloud blobs.
 */
function writeRawIndex(path: string): void {
  let s = 20240607;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const sx = Float64Array.from({ length: size }, (_, x) => Math.sin(x * 0.0031) + 0.5 * Math.sin(x * 0.0173 + 1));
  const sy = Float64Array.from({ length: size }, (_, y) => Math.cos(y * 0.0027) + 0.5 * Math.sin(y * 0.0211 + 2));
  const clouds = Array.from({ length: 40 }, () => [rand() * size, rand() * size, (0.005 + 0.02 * rand()) * size] as const);
  const fd = openSync(path, "w");
  const strip = new Float32Array(STRIP * size);
  for (let y0 = 0; y0 < size; y0 += STRIP) {
    const h = Math.min(STRIP, size - y0);
    for (let r = 0; r < h; r++) {
      const y = y0 + r;
      const wedge = (size - y) * 0.12;
      for (let x = 0; x < size; x++) {
        const veg = 0.5 + 0.35 * sx[x]! * sy[y]!;
        const red = Math.round(600 + 900 * (1 - veg) + 120 * rand());
        const nir = Math.round(1500 + 2500 * veg + 200 * rand());
        strip[r * size + x] = x < wedge ? Number.NaN : (nir - red) / (nir + red);
      }
      for (const [cx, cy, rad] of clouds) {
        const dy = y - cy;
        if (Math.abs(dy) >= rad) continue;
        const half = Math.sqrt(rad * rad - dy * dy);
        strip.fill(Number.NaN, r * size + Math.max(0, Math.ceil(cx - half)), r * size + Math.min(size, Math.floor(cx + half)));
      }
    }
    writeSync(fd, new Uint8Array(strip.buffer, 0, h * size * 4));
  }
  closeSync(fd);
  writeFileSync(
    path.replace(/\.bin$/, ".hdr"),
    `ENVI\nsamples = ${size}\nlines = ${size}\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\ndata type = 4\ninterleave = bsq\nbyte order = 0\nmap info = {UTM, 1, 1, 500000, 4600000, 10, 10, 49, North, WGS-84}\n`,
  );
}

/** Our writer, reading the raw file strip by strip as a pipeline would. Seconds. */
async function writeOurs(raw: string, out: string, opts: CogOptions = {}): Promise<number> {
  const fd = openSync(raw, "r");
  const strip = new Float32Array(STRIP * size);
  const bytes = new Uint8Array(strip.buffer);
  const t0 = performance.now();
  const w = await CogWriter.create(out, grid, "float32", 1, { overviewResampling: "average", ...opts });
  for (let y0 = 0; y0 < size; y0 += STRIP) {
    const h = Math.min(STRIP, size - y0);
    readSync(fd, bytes, 0, h * size * 4, y0 * size * 4);
    await w.writeRows(y0, [strip.subarray(0, h * size)]);
  }
  await w.finish();
  const t = (performance.now() - t0) / 1000;
  closeSync(fd);
  return t;
}

/** gdal_translate timed inside Python, which also reports the child's peak RSS. */
function gdalTranslate(raw: string, out: string): { seconds: number; rssMb: number } {
  const args = ["gdal_translate", "-q", "-of", "COG", "-a_srs", "EPSG:32649", "-a_nodata", "nan"];
  args.push(...["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "NUM_THREADS=1", "-co", "RESAMPLING=AVERAGE", raw, out]);
  const r = python(
    `import subprocess, sys, time, resource, json
t0 = time.perf_counter(); subprocess.run(sys.argv[1:], check=True); t = time.perf_counter() - t0
print(json.dumps({"seconds": t, "rssMb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))`,
    args,
  );
  return JSON.parse(r);
}

/** GDAL reads our file back equal to the raw data (NaN positions included) and validates it. */
function gdalCheck(raw: string, ours: string): string {
  return python(
    `import sys
from osgeo import gdal
import numpy as np
from osgeo_utils.samples import validate_cloud_optimized_geotiff as v
gdal.UseExceptions()
a = gdal.Open(sys.argv[1]).ReadAsArray()
b = gdal.Open(sys.argv[2]).ReadAsArray()
w, e, _ = v.validate(sys.argv[2], full_check=True)
print("pixels identical" if np.array_equal(a, b, equal_nan=True) else "PIXELS DIFFER", "; valid COG" if not e else "; INVALID COG: %s" % e, "; %d warnings" % len(w))`,
    [raw, ours],
  );
}

const { dir, cleanup } = tempDir("cogwrite");
try {
  const raw = join(dir, "index.bin");
  writeRawIndex(raw);
  const ours = join(dir, "ours.tif");
  const oursS = await writeOurs(raw, ours);
  const fields: Record<string, number | string> = {
    size: `${size}x${size} float32, deflate, predictor 3, average overviews`,
    "load average (1 min) before": loadavg()[0]!,
    "reewatch seconds": oursS,
    "reewatch MB": statSync(ours).size / 1e6,
    "reewatch peak RSS MB": peakRssMb(),
  };
  const lz = join(dir, "lz77.tif");
  const lzS = await writeOurs(raw, lz, { strategy: "default" });
  Object.assign(fields, { "reewatch LZ77 (strategy default) s": lzS, "reewatch LZ77 MB": statSync(lz).size / 1e6 });
  rmSync(lz);
  if (hasGdalPython) {
    const g = gdalTranslate(raw, join(dir, "gdal.tif"));
    Object.assign(fields, {
      "gdal_translate seconds": g.seconds,
      "gdal MB": statSync(join(dir, "gdal.tif")).size / 1e6,
      "gdal peak RSS MB": g.rssMb,
      "ratio gdal/reewatch (>1 = faster)": g.seconds / oursS,
      "ratio gdal/reewatch LZ77": g.seconds / lzS,
      "GDAL check of our file": gdalCheck(raw, ours),
    });
  } else fields.reference = "GDAL not found: no reference run";
  report("cog-write", fields);
} finally {
  cleanup();
}
