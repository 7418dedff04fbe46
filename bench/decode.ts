/**
 * Full-band COG decode: one seeded uint16 band (DEFLATE + horizontal predictor, 512 px tiles,
 * written by GDAL's COG driver) read whole by
 *   - reewatch's reader (inflate on libuv's thread pool; and with UV_THREADPOOL_SIZE=1),
 *   - GDAL ReadAsArray with GDAL_NUM_THREADS=1 (the reference),
 *   - geotiff.js 3.0.5 as shipped, and with a node:zlib decoder, row-wise predictor and our Source.
 * Each reader runs in its own process (median of 3 reads; peak RSS of that process).
 * Run: npx tsx bench/decode.ts [--size 10980] [--amp 0.05]
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { openGeoTiff } from "../pipeline/src/read/geotiff.ts";
import { FileSource } from "../pipeline/src/source/file.ts";
import { writeCog } from "../pipeline/src/write/cog.ts";
import { arg, hasGdalPython, peakRssMb, python, report, seededField, tempDir, writeEnvi } from "./lib.ts";

interface Run {
  seconds: number;
  rssMb: number;
  checksum: number;
}

/** Sum of every 9973rd pixel: the same for every reader that decodes correctly. */
const checksum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i += 9973) s += a[i]!;
  return s;
};

/** A reader opened on the file; `read` decodes the whole band (timed), `close` releases it. */
interface Opened {
  read: () => Promise<ArrayLike<number>>;
  close: () => Promise<void>;
}

async function openOurs(path: string): Promise<Opened> {
  const t = await openGeoTiff(path);
  return { read: async () => (await t.read({ x: 0, y: 0, width: t.image.width, height: t.image.height }))[0]!, close: () => t.close() };
}

async function openGeotiffJs(path: string, zlib: boolean): Promise<Opened> {
  const g = await import("geotiff");
  if (zlib) g.addDecoder([8, 32946], async () => ZlibDecoder(g.BaseDecoder), undefined, false);
  const src = await FileSource.open(path);
  // geotiff.js's BaseSource contract over our Source: fetch(slices) -> ArrayBuffers.
  const adaptor = {
    fileSize: await src.size(),
    fetch: (slices: { offset: number; length: number }[], signal?: AbortSignal) =>
      Promise.all(slices.map(async (s) => (await src.fetch(s.offset, s.length, signal)).slice().buffer)),
    close: async () => {},
  };
  const tiff = zlib ? await g.GeoTIFF.fromSource(adaptor as never) : await g.fromFile(path);
  const image = await tiff.getImage();
  return {
    read: async () => ((await image.readRasters({ samples: [0] })) as unknown as Uint16Array[])[0]!,
    close: () => src.close(),
  };
}

/** A decoder class for geotiff.js: node:zlib inflate, predictor 2 undone per row on a typed view. */
function ZlibDecoder(Base: typeof import("geotiff").BaseDecoder) {
  return class extends Base {
    override decodeBlock(buf: ArrayBuffer): ArrayBuffer {
      return Uint8Array.from(inflateSync(new Uint8Array(buf))).buffer;
    }
    override async decode(buf: ArrayBuffer): Promise<ArrayBuffer> {
      const p = this.parameters as { tileWidth: number; tileHeight: number; predictor: number; bitsPerSample: number | number[] };
      const bits = Array.isArray(p.bitsPerSample) ? p.bitsPerSample[0] : p.bitsPerSample;
      if (p.predictor !== 2 || bits !== 16) return (await super.decode(buf)) as ArrayBuffer;
      const d = this.decodeBlock(buf);
      const v = new Uint16Array(d);
      for (let r = 0; r < p.tileHeight; r++) for (let i = r * p.tileWidth + 1, end = (r + 1) * p.tileWidth; i < end; i++) v[i] = v[i]! + v[i - 1]!;
      return d;
    }
  };
}

/** Child process: one reader on one file; the median of 3 whole-band reads (open excluded, as for GDAL), as JSON. */
async function child(kind: string, path: string): Promise<void> {
  const times: number[] = [];
  let sum = 0;
  for (let rep = 0; rep < 3; rep++) {
    const r = kind === "ours" ? await openOurs(path) : await openGeotiffJs(path, kind === "geotiff.js+zlib");
    const t0 = performance.now();
    sum = checksum(await r.read());
    times.push((performance.now() - t0) / 1000);
    await r.close();
  }
  const seconds = times.sort((a, b) => a - b)[1]!;
  process.stdout.write(JSON.stringify({ seconds, rssMb: peakRssMb(), checksum: sum }));
}

function spawnReader(kind: string, path: string, env: Record<string, string> = {}): Run {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", kind, path], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${kind} reader failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function gdalRead(path: string): Run {
  return JSON.parse(
    python(
      `
import time, sys, json, resource
from osgeo import gdal
gdal.SetCacheMax(64*1024*1024)
ts=[]
for i in range(3):
    d=gdal.Open(sys.argv[1]); t=time.perf_counter(); a=d.ReadAsArray(); ts.append(time.perf_counter()-t); d=None
ts.sort()
print(json.dumps({"seconds": ts[1], "rssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, "checksum": int(a.ravel()[::9973].sum())}))`,
      [path],
    ),
  );
}

async function makeCog(dir: string, size: number, amp: number): Promise<string> {
  const dn = new Uint16Array(size * size);
  seededField(size, size, 11, 0.2, amp, dn, 10000);
  const cog = join(dir, "band.tif");
  if (!hasGdalPython) {
    const grid = { crs: "EPSG:32649", transform: [10, 0, 0, 0, -10, 10 * size] as const, width: size, height: size };
    await writeCog(cog, grid, [dn]);
    return cog;
  }
  const raw = writeEnvi(dir, size, dn);
  const args = ["-q", "-of", "COG", "-a_srs", "EPSG:32649", "-a_ullr", "0", String(10 * size), String(10 * size), "0"];
  const r = spawnSync("gdal_translate", [...args, "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", raw, cog], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("gdal_translate failed");
  return cog;
}

async function main(): Promise<void> {
  const size = arg("size", 10980);
  const amp = arg("amp", 0.05);
  const { dir, cleanup } = tempDir("decode");
  try {
    const cog = await makeCog(dir, size, amp);
    const ratio = statSync(cog).size / (2 * size * size);
    const ours = spawnReader("ours", cog);
    const ours1 = spawnReader("ours", cog, { UV_THREADPOOL_SIZE: "1" });
    const gdal = hasGdalPython ? gdalRead(cog) : undefined;
    const shipped = spawnReader("geotiff.js", cog);
    const zlib = spawnReader("geotiff.js+zlib", cog);
    const sameData = [ours1, shipped, zlib, ...(gdal ? [gdal] : [])].every((r) => r.checksum === ours.checksum);
    const vs = (r: Run) => (gdal ? `${(gdal.seconds / r.seconds).toFixed(2)}x GDAL` : "GDAL not found");
    const line = (r: Run) => `${r.seconds.toFixed(3)} s  ${vs(r)}  peak RSS ${r.rssMb.toFixed(0)} MB`;
    report("decode", {
      band: `${size}x${size} uint16, DEFLATE + predictor 2, 512 px tiles, file ${(100 * ratio).toFixed(0)} % of raw (${hasGdalPython ? "written by GDAL COG driver" : "written by reewatch: GDAL not found"})`,
      "reewatch (thread pool)": line(ours),
      "reewatch (UV_THREADPOOL_SIZE=1)": line(ours1),
      "GDAL ReadAsArray (1 thread)": gdal ? line(gdal) : "GDAL not found: skipped",
      "geotiff.js 3.0.5 as shipped": line(shipped),
      "geotiff.js + node:zlib + row predictor": line(zlib),
      "ratio gdal/reewatch (thread pool)": gdal ? gdal.seconds / ours.seconds : "n/a",
      "ratio gdal/reewatch (1 thread)": gdal ? gdal.seconds / ours1.seconds : "n/a",
      "same pixels (checksums agree)": sameData ? "yes" : "NO",
    });
    if (!sameData) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

const i = process.argv.indexOf("--child");
if (i > 0) await child(process.argv[i + 1]!, process.argv[i + 2]!);
else await main();
