/**
 * Tile rendering on a full-size COG through `reewatch serve`: cold tiles (first render) and warm
 * tiles (in-memory cache), tiles/s and p95 latency, against gdal2tiles (XYZ, one process) rendering
 * the same COG at the same zoom, when GDAL is present.
 * Run: npx tsx bench/tiles.ts [--size 10980] [--tiles 300]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CogWriter } from "../pipeline/src/write/cog.ts";
import { COG_MEDIA_TYPE, footprint } from "../pipeline/src/write/stac.ts";
import { tileCover } from "../tiles/src/mercator.ts";
import { startServer } from "../tiles/src/server.ts";
import { arg, hasGdalPython, report, seededField, tempDir } from "./lib.ts";

const size = arg("size", 10980);
const count = arg("tiles", 300);
const { dir, cleanup } = tempDir("tiles");
try {
  const grid = {
    crs: "EPSG:32649",
    transform: [10, 0, 399960, 0, -10, 4700040] as const,
    width: size,
    height: size,
  };
  const run = join(dir, "run");
  mkdirSync(join(run, "composites", "2020"), { recursive: true });
  const w = await CogWriter.create(join(run, "composites", "2020", "ndvi.tif"), grid, "float32", 1);
  const strip = new Float32Array(512 * size);
  for (let y = 0; y < size; y += 512) {
    const h = Math.min(512, size - y);
    seededField(size, h, 3 + y, 0.4, 0.6, strip.subarray(0, h * size));
    await w.writeRows(y, [strip.subarray(0, h * size)]);
  }
  await w.finish();
  const { bbox } = footprint(grid);
  const asset = {
    href: "./ndvi.tif",
    type: COG_MEDIA_TYPE,
    title: "NDVI",
    "reewatch:range": [-0.2, 0.9],
    "reewatch:colormap": "ndvi",
  };
  writeFileSync(join(run, "composites", "2020", "2020.json"), JSON.stringify({ type: "Feature", properties: {}, assets: { ndvi: asset } }));
  // The server finds a run's composites through its catalog (pipeline/src/read/run-catalog.ts).
  const link = (rel: string, href: string) => ({ rel, href });
  writeFileSync(
    join(run, "composites", "collection.json"),
    JSON.stringify({ type: "Collection", id: "bench-composites", links: [link("item", "./2020/2020.json")] }),
  );
  const aoi = {
    type: "Polygon",
    coordinates: [
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[1]],
        [bbox[2], bbox[3]],
        [bbox[0], bbox[3]],
        [bbox[0], bbox[1]],
      ],
    ],
  };
  writeFileSync(
    join(run, "site.json"),
    JSON.stringify({
      key: "bench",
      name: { en: "bench", zh: "bench" },
      simulated: true,
      aoi,
      zones: [],
      controls: [],
      changeIndex: "ndvi",
    }),
  );
  writeFileSync(join(run, "catalog.json"), JSON.stringify({ type: "Catalog", id: "bench", links: [link("child", "./composites/collection.json")] }));
  const { server, url } = await startServer({ dir: run, port: 0 });
  const tiles = [12, 13, 14].flatMap((z) => tileCover(bbox as [number, number, number, number], z).map(([x, y]) => [z, x, y] as const));
  const pick = Array.from({ length: Math.min(count, tiles.length) }, (_, i) => tiles[(i * 7919) % tiles.length]!);
  const time = async () => {
    const lat: number[] = [];
    const t0 = performance.now();
    for (const [z, x, y] of pick) {
      const s = performance.now();
      const r = await fetch(`${url}/tiles/bench/ndvi/2020/${z}/${x}/${y}.png`);
      await r.arrayBuffer();
      lat.push(performance.now() - s);
    }
    lat.sort((a, b) => a - b);
    return {
      perSec: pick.length / ((performance.now() - t0) / 1000),
      p95: lat[Math.floor(0.95 * (lat.length - 1))]!,
    };
  };
  const cold = await time();
  const warm = await time();
  server.close();
  const fields: Record<string, number | string> = {
    cog: `${size}x${size} float32`,
    tiles: pick.length,
    "cold tiles/s": cold.perSec,
    "cold p95 ms": cold.p95,
    "warm tiles/s": warm.perSec,
    "warm p95 ms": warm.p95,
  };
  if (hasGdalPython && spawnSync("gdal2tiles.py", ["--help"], { stdio: "ignore" }).status === 0) {
    const out = join(dir, "gdal");
    // gdal2tiles only takes 8-bit input: a VRT scales the same COG on the fly (as our colour map does).
    const vrt = join(dir, "ndvi8.vrt");
    const t0 = performance.now();
    spawnSync("gdal_translate", ["-q", "-of", "VRT", "-ot", "Byte", "-scale", "-0.2", "0.9", "1", "255", join(run, "composites", "2020", "ndvi.tif"), vrt], {
      stdio: "inherit",
    });
    spawnSync("gdal2tiles.py", ["--xyz", "-z", "12", "--processes=1", "-r", "near", "-q", vrt, out], {
      stdio: "inherit",
    });
    const secs = (performance.now() - t0) / 1000;
    const n = readdirSync(join(out, "12"), { recursive: true }).filter((f) => String(f).endsWith(".png")).length;
    Object.assign(fields, {
      "gdal2tiles z12 tiles": n,
      "gdal2tiles tiles/s (incl. start-up)": n / secs,
      "ratio cold reewatch/gdal2tiles": cold.perSec / (n / secs),
    });
  } else fields.reference = "gdal2tiles not found: no reference run";
  report("tiles", fields);
} finally {
  cleanup();
}
