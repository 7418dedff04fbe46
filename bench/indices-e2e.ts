/**
 * `reewatch indices` end to end on a full-size Sentinel-2 tile (10980 x 10980 at 10 m; B11, B12
 * and SCL at 20 m), generated seeded as COGs with an Earth Search-like STAC item, with 6 indices:
 * wall time and the child process's peak RSS with -j 1 and -j 2 --split-scene, against a GDAL reference chain
 * run in the same script on the same tile: gdal_calc.py per index (reflectance from DN, the SCL
 * mask, the formula) to a tiled GTiff, then gdal_translate -of COG with DEFLATE, predictor 3 and
 * all threads (GDAL 3.6's gdal_calc cannot write a COG itself; its nodata must be a number: NaN
 * would poison its nodata blending, so -9999).
 * Run: npx tsx bench/indices-e2e.ts [--size 10980] [--no-gdal]
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SCL_INVALID } from "../pipeline/src/mask/rule.ts";
import { writeCog } from "../pipeline/src/write/cog.ts";
import { arg, report, seededField, tempDir } from "./lib.ts";

const size = arg("size", 10980);
const INDICES = ["ndvi", "nbr", "ndmi", "bsi", "mndwi", "tcw"];

/** A command's wall time and peak RSS (/usr/bin/time); `node` commands run on this Node. */
function measured(args: string[], command = process.execPath): { wall: number; rssMb: number } {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${r.stderr}`);
  return { wall, rssMb: Number(r.stderr.trim().split("\n").at(-1)) / 1024 };
}

/** Reflectance of a DN array in gdal_calc (baseline 05.09: DN / 10000 - 0.1). */
const refl = (v: string) => `(${v}.astype(float32) * 0.0001 - 0.1)`;

/** The formulas as gdal_calc expressions over A=B02 B=B03 C=B04 D=B08 E=B11 F=B12 (reflectance), as docs/science.md gives them. */
const GDAL_FORMULAS: Record<string, string> = {
  ndvi: "(d - c) / (d + c)",
  nbr: "(d - f) / (d + f)",
  ndmi: "(d - e) / (d + e)",
  bsi: "((e + c) - (d + a)) / ((e + c) + (d + a))",
  mndwi: "(b - e) / (b + e)",
  tcw: "0.2578 * a + 0.2305 * b + 0.0883 * c + 0.1071 * d - 0.7611 * e - 0.5308 * f",
};

/** The GDAL reference chain (see the file comment); 20 m bands and SCL enter as 10 m nearest-neighbour VRTs. */
function gdalChain(scene: string, out: string): { wall: number; rssMb: number } {
  spawnSync("mkdir", ["-p", out]);
  const t0 = performance.now();
  let rssMb = 0;
  const step = (cmd: string, args: string[]) => {
    rssMb = Math.max(rssMb, measured(args, cmd).rssMb);
  };
  for (const b of ["B11", "B12", "SCL"])
    step("gdalwarp", ["-q", "-overwrite", "-tr", "10", "10", "-r", "near", "-of", "VRT", join(scene, `${b}.tif`), join(out, `${b}_10m.vrt`)]);
  const inputs = { A: "B02.tif", B: "B03.tif", C: "B04.tif", D: "B08.tif" };
  const src = [
    ...Object.entries(inputs).map(([k, f]) => [`-${k}`, join(scene, f)]),
    ["-E", join(out, "B11_10m.vrt")],
    ["-F", join(out, "B12_10m.vrt")],
    ["-S", join(out, "SCL_10m.vrt")],
  ].flat();
  for (const name of INDICES) {
    // each letter of the formula becomes its band's reflectance; SCL's invalid classes (reewatch's default rule) become nodata
    const formula = GDAL_FORMULAS[name]!.replace(/\b([a-f])\b/g, (_, l: string) => refl(l.toUpperCase()));
    const expr = `where(isin(S, [${DEFAULT_SCL_INVALID.join(",")}]), -9999, ${formula})`;
    const tmp = join(out, `${name}_tiled.tif`);
    step("gdal_calc.py", ["--quiet", ...src, `--calc=${expr}`, "--type=Float32", "--NoDataValue=-9999", "--co=TILED=YES", `--outfile=${tmp}`, "--overwrite"]);
    step("gdal_translate", [
      "-q",
      "-of",
      "COG",
      "-co",
      "COMPRESS=DEFLATE",
      "-co",
      "PREDICTOR=YES",
      "-co",
      "NUM_THREADS=ALL_CPUS",
      tmp,
      join(out, `${name}.tif`),
    ]);
  }
  return { wall: (performance.now() - t0) / 1000, rssMb };
}
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
  const itemPath = join(scene, "S2B_49TCF_20230715_0_L2A.json");
  const fields: Record<string, number | string> = { tile: `${size}x${size} (SIMULATED bands)`, "generation seconds": gen };
  const runs = [1, 2].map((jobs) => ({
    jobs,
    ...measured([
      "bin/reewatch.js",
      "indices",
      itemPath,
      "--index",
      INDICES.join(","),
      "-j",
      String(jobs),
      ...(jobs > 1 ? ["--split-scene"] : []),
      "--out",
      join(dir, `out-j${jobs}`),
    ]),
  }));
  for (const r of runs) {
    fields[`reewatch -j ${r.jobs} wall seconds (6 indices)`] = r.wall;
    fields[`reewatch -j ${r.jobs} peak RSS MB`] = r.rssMb;
    fields[`reewatch -j ${r.jobs} Mpx/s end to end`] = (size * size) / 1e6 / r.wall;
  }
  if (!process.argv.includes("--no-gdal")) {
    const g = gdalChain(scene, join(dir, "gdal"));
    fields["GDAL chain wall seconds (6 indices)"] = g.wall;
    fields["GDAL chain peak RSS MB (largest step)"] = g.rssMb;
    for (const r of runs) fields[`reewatch -j ${r.jobs} faster than the GDAL chain`] = g.wall / r.wall;
  }
  report("indices-e2e", fields);
} finally {
  cleanup();
}
