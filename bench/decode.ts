/**
 * Full-band COG decode (uint16, DEFLATE + predictor 2, written by GDAL): our reader against
 * GDAL's ReadAsArray with one thread on the same file.
 * Run: npx tsx bench/decode.ts [--size 10980]
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { openGeoTiff } from "../pipeline/src/read/geotiff.ts";
import { arg, hasGdalPython, peakRssMb, python, report, seededField, tempDir, timeIt, writeEnvi } from "./lib.ts";

const size = arg("size", 10980);
const { dir, cleanup } = tempDir("decode");
try {
  if (!hasGdalPython) {
    report("decode", { reference: "GDAL not found: cannot make the GDAL-written COG; skipped" });
    process.exit(0);
  }
  const dn = new Uint16Array(size * size);
  seededField(size, size, 11, 0.2, 0.3, dn, 10000);
  const raw = writeEnvi(dir, size, dn);
  const cog = join(dir, "band.tif");
  spawnSync(
    "gdal_translate",
    [
      "-q",
      "-of",
      "COG",
      "-a_srs",
      "EPSG:32649",
      "-a_ullr",
      "0",
      String(10 * size),
      String(10 * size),
      "0",
      "-co",
      "COMPRESS=DEFLATE",
      "-co",
      "PREDICTOR=YES",
      raw,
      cog,
    ],
    { stdio: "inherit" },
  );
  const tiff = await openGeoTiff(cog);
  let sum = 0;
  const ours = await timeIt(async () => {
    const [a] = await tiff.read({ x: 0, y: 0, width: size, height: size });
    sum = a![12345]!;
  });
  await tiff.close();
  const gdal = Number(
    python(
      `
import time, sys
from osgeo import gdal
gdal.SetCacheMax(64*1024*1024)
ts=[]
for i in range(3):
    d=gdal.Open(sys.argv[1]); t=time.perf_counter(); a=d.ReadAsArray(); ts.append(time.perf_counter()-t); d=None
ts.sort(); print(ts[1])`,
      [cog],
    ),
  );
  report("decode", {
    size: `${size}x${size} uint16 deflate+pred2`,
    "reewatch seconds": ours,
    "GDAL ReadAsArray seconds (1 thread)": gdal,
    "ratio gdal/reewatch (>1 = faster)": gdal / ours,
    "peak RSS MB": peakRssMb(),
    checksum: sum,
  });
} finally {
  cleanup();
}
