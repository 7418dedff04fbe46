/** The GDAL oracle: Debian's gdal-bin and python3-gdal. Tests using it skip loudly when it is absent. */
import { execFileSync, spawnSync } from "node:child_process";

export const PYTHON = "/usr/bin/python3";

export const hasGdal: boolean = (() => {
  const r = spawnSync(PYTHON, ["-c", "import osgeo.gdal, numpy"], { stdio: "ignore" });
  const ok = r.status === 0 && spawnSync("gdalinfo", ["--version"], { stdio: "ignore" }).status === 0;
  if (!ok) console.warn("GDAL not found (gdal-bin + python3-gdal + python3-numpy): GDAL oracle checks are SKIPPED");
  return ok;
})();

/** Runs a Python snippet with GDAL and numpy available; returns its stdout parsed as JSON. */
export function gdalPython<T = unknown>(code: string, args: string[] = []): T {
  const r = spawnSync(PYTHON, ["-c", `import json, sys\nfrom osgeo import gdal\nimport numpy as np\ngdal.UseExceptions()\n${code}`, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`GDAL python check failed (${r.error?.message ?? r.signal ?? r.status}): ${r.stderr?.trim().split("\n").slice(-3).join(" | ")}`);
  return JSON.parse(r.stdout) as T;
}

export function gdalinfoJson(path: string): Record<string, any> {
  return JSON.parse(execFileSync("gdalinfo", ["-json", "-stats", path], { encoding: "utf8" }));
}

/** `gdaltransform` of one point between EPSG codes: an independent PROJ reference. */
export function gdalTransform(from: string, to: string, x: number, y: number): [number, number] {
  const out = execFileSync("gdaltransform", ["-s_srs", from, "-t_srs", to, "-output_xy"], {
    input: `${x} ${y}\n`,
    encoding: "utf8",
  });
  const [a, b] = out.trim().split(/\s+/).map(Number);
  return [a!, b!];
}
