/**
 * Writes `estimate/sample.csv` and `estimate/strata.json` into a run, in the format `reewatch run`
 * writes them (the contract of docs/api.md "Labelling"), so that the label endpoints and the
 * labelling mode can be tested on a demo run: a seeded stratified random sample of the class map,
 * `perClass` points per class (fewer when a class is smaller), rows ordered by stratum.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { pixelToWorld } from "../../pipeline/src/grid.ts";
import { transformer } from "../../pipeline/src/project.ts";
import { mulberry32 } from "../../pipeline/src/random.ts";
import { openGeoTiff } from "../../pipeline/src/read/geotiff.ts";

export const SAMPLE_HEADER = ["id", "lon", "lat", "x", "y", "stratum", "reference_class", "labeller", "confidence", "note"];

export interface SampleSpec {
  /** Class map relative to the run, e.g. change/class_2024.tif or change/disturbed.tif. */
  map: string;
  year: number | string;
  classes: { code: number; name: string }[];
  perClass: number;
  seed?: number;
}

const random = mulberry32;

export async function writeSample(runDir: string, spec: SampleSpec): Promise<{ id: string; stratum: string; lon: number; lat: number }[]> {
  const tiff = await openGeoTiff(join(runDir, spec.map));
  const grid = tiff.grid!;
  const values = (await tiff.read({ x: 0, y: 0, width: grid.width, height: grid.height }))[0]!;
  await tiff.close();
  const rnd = random(spec.seed ?? 1);
  const toLonLat = transformer(grid.crs, "EPSG:4326");
  const pixelAreaKm2 = Math.abs(grid.transform[0] * grid.transform[4]) / 1e6;
  const rows: (string | number)[][] = [];
  const classes = spec.classes.map((c) => {
    const pixels: number[] = [];
    for (let p = 0; p < values.length; p++) if (values[p] === c.code) pixels.push(p);
    const picked = new Set<number>();
    while (picked.size < Math.min(spec.perClass, pixels.length)) picked.add(pixels[Math.floor(rnd() * pixels.length)]!);
    for (const p of picked) {
      const [x, y] = pixelToWorld(grid.transform, (p % grid.width) + 0.5, Math.floor(p / grid.width) + 0.5);
      const [lon, lat] = toLonLat(x, y);
      rows.push([rows.length + 1, lon.toFixed(7), lat.toFixed(7), x.toFixed(2), y.toFixed(2), c.name, "", "", "", ""]);
    }
    return { ...c, pixels: pixels.length, areaKm2: Number((pixels.length * pixelAreaKm2).toFixed(6)), sampled: picked.size };
  });
  mkdirSync(join(runDir, "estimate"), { recursive: true });
  writeFileSync(join(runDir, "estimate", "sample.csv"), stringify([SAMPLE_HEADER, ...rows], { record_delimiter: "windows" }));
  const strata = {
    type: "reewatch-strata",
    version: 1,
    map: spec.map,
    year: spec.year,
    crs: grid.crs,
    pixelAreaKm2,
    seed: spec.seed ?? 1,
    allocation: `${spec.perClass} per class (test sample)`,
    classes,
  };
  writeFileSync(join(runDir, "estimate", "strata.json"), `${JSON.stringify(strata, null, 1)}\n`);
  return rows.map((r) => ({ id: String(r[0]), stratum: String(r[5]), lon: Number(r[1]), lat: Number(r[2]) }));
}

export const GANZHOU_SAMPLE: SampleSpec = {
  map: "change/class_2024.tif",
  year: 2024,
  classes: [
    { code: 1, name: "stable" },
    { code: 2, name: "disturbed" },
    { code: 3, name: "recovering" },
    { code: 4, name: "restored" },
  ],
  perClass: 6,
};

export const BRUMADINHO_SAMPLE: SampleSpec = {
  map: "change/disturbed.tif",
  year: "2019-01-30",
  classes: [
    { code: 1, name: "undisturbed" },
    { code: 2, name: "disturbed" },
  ],
  perClass: 6,
};
