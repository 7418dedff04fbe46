/**
 * COG write of one full-size float32 index band with overviews: our streaming writer against
 * `gdal_translate -of COG` (DEFLATE, predictor 3, one thread) from the same raw data.
 * Run: npx tsx bench/cog-write.ts [--size 10980]
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { CogWriter } from "../pipeline/src/write/cog.ts";
import { arg, hasGdalPython, peakRssMb, report, seededField, tempDir, writeEnvi } from "./lib.ts";

const size = arg("size", 10980);
const { dir, cleanup } = tempDir("cogwrite");
try {
  const data = new Float32Array(size * size);
  seededField(size, size, 7, 0.3, 0.8, data);
  for (let i = 0; i < data.length; i += 997) data[i] = Number.NaN;
  const grid = {
    crs: "EPSG:32649",
    transform: [10, 0, 500000, 0, -10, 4600000] as const,
    width: size,
    height: size,
  };
  const ours = join(dir, "ours.tif");
  const t0 = performance.now();
  const w = await CogWriter.create(ours, grid, "float32", 1, { overviewResampling: "average" });
  for (let y = 0; y < size; y += 512) await w.writeRows(y, [data.subarray(y * size, Math.min(size, y + 512) * size)]);
  await w.finish();
  const oursS = (performance.now() - t0) / 1000;
  const fields: Record<string, number | string> = {
    size: `${size}x${size} float32`,
    "reewatch seconds": oursS,
    "reewatch MB": statSync(ours).size / 1e6,
    "peak RSS MB (process)": peakRssMb(),
  };
  if (hasGdalPython) {
    const raw = writeEnvi(dir, size, data);
    const g0 = performance.now();
    const r = spawnSync(
      "gdal_translate",
      [
        "-q",
        "-of",
        "COG",
        "-a_srs",
        "EPSG:32649",
        "-a_ullr",
        "500000",
        "4600000",
        String(500000 + 10 * size),
        String(4600000 - 10 * size),
        "-a_nodata",
        "nan",
        "-co",
        "COMPRESS=DEFLATE",
        "-co",
        "PREDICTOR=YES",
        "-co",
        "NUM_THREADS=1",
        "-co",
        "RESAMPLING=AVERAGE",
        raw,
        join(dir, "gdal.tif"),
      ],
      { stdio: "inherit" },
    );
    const gdalS = (performance.now() - g0) / 1000;
    if (r.status === 0)
      Object.assign(fields, {
        "gdal_translate seconds": gdalS,
        "gdal MB": statSync(join(dir, "gdal.tif")).size / 1e6,
        "ratio gdal/reewatch (>1 = faster)": gdalS / oursS,
      });
  } else fields.reference = "GDAL not found: no reference run";
  report("cog-write", fields);
} finally {
  cleanup();
}
