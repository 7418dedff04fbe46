/**
 * `reewatch indices` end to end on a full-size Sentinel-2 tile (10980 x 10980 at 10 m; B11, B12
 * and SCL at 20 m), generated seeded as COGs with an Earth Search-like STAC item, with 6 indices:
 * wall time and the child process's peak RSS. Run: npx tsx bench/indices-e2e.ts [--size 10980]
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeCog } from "../pipeline/src/write/cog.ts";
import { arg, report, seededField, tempDir } from "./lib.ts";

const size = arg("size", 10980);
const half = size / 2;
const { dir, cleanup } = tempDir("e2e");
try {
  const scene = join(dir, "S2B_49TCF_20230715_0_L2A");
  spawnSync("mkdir", ["-p", scene]);
  const t0 = performance.now();
  const bands: [string, string, number, number][] = [
    ["B02", "blue", 0.06, 10],
    ["B03", "green", 0.08, 10],
    ["B04", "red", 0.1, 10],
    ["B08", "nir", 0.3, 10],
    ["B11", "swir16", 0.25, 20],
    ["B12", "swir22", 0.18, 20],
  ];
  const assets: Record<string, unknown> = {};
  for (const [name, key, base, res] of bands) {
    const n = res === 10 ? size : half;
    const a = new Uint16Array(n * n);
    seededField(n, n, name.charCodeAt(2), base, 0.1, a, 10000);
    for (let i = 0; i < a.length; i++) a[i]! += 1000; // baseline 05.09: DN = reflectance * 10000 + 1000
    await writeCog(join(scene, `${name}.tif`), { crs: "EPSG:32649", transform: [res, 0, 399960, 0, -res, 4700040], width: n, height: n }, [a], { nodata: 0 });
    assets[key] = { href: `./${name}.tif` };
  }
  const scl = new Uint8Array(half * half).map((_, i) => (i % 97 === 0 ? 9 : 5));
  await writeCog(join(scene, "SCL.tif"), { crs: "EPSG:32649", transform: [20, 0, 399960, 0, -20, 4700040], width: half, height: half }, [scl], { nodata: 0 });
  assets.scl = { href: "./SCL.tif" };
  const item = {
    type: "Feature",
    stac_version: "1.1.0",
    id: "S2B_49TCF_20230715_0_L2A",
    properties: {
      datetime: "2023-07-15T03:30:00Z",
      platform: "sentinel-2b",
      constellation: "sentinel-2",
      "s2:processing_baseline": "05.09",
      "reewatch:simulated": true,
      title: "SIMULATED benchmark tile",
    },
    assets,
  };
  writeFileSync(join(scene, "S2B_49TCF_20230715_0_L2A.json"), JSON.stringify(item));
  const gen = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%M",
      process.execPath,
      "bin/reewatch.js",
      "indices",
      join(scene, "S2B_49TCF_20230715_0_L2A.json"),
      "--index",
      "ndvi,nbr,ndmi,bsi,mndwi,tcw",
      "--out",
      join(dir, "out"),
    ],
    { encoding: "utf8" },
  );
  const wall = (performance.now() - t1) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  const rssKb = Number(r.stderr.trim().split("\n").at(-1));
  report("indices-e2e", {
    tile: `${size}x${size} (SIMULATED bands)`,
    "generation seconds": gen,
    "reewatch indices wall seconds (6 indices)": wall,
    "peak RSS MB": rssKb / 1024,
    "Mpx/s end to end": (size * size) / 1e6 / wall,
  });
} finally {
  cleanup();
}
