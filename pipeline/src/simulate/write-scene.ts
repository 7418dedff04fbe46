/**
 * Writes one SIMULATED scene folder `OUT/<scene-id>/`: B02 B03 B04 B08 on the site grid,
 * B8A B11 B12 and SCL at twice the pixel size, as single-band uint16/uint8 COGs with
 * SIMULATED=true in their GDAL metadata, plus the STAC item `<scene-id>.json`. Everything is
 * written in a hidden temporary folder that is renamed into place at the end, so a cut-off run
 * never leaves half a scene; a folder whose item records the same simulation parameters is kept.
 */
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256File } from "../write/checksum.ts";
import { writeCog } from "../write/cog.ts";
import { baselineOffsetDn, toDn } from "./encode.ts";
import { synthesize } from "./scene.ts";
import { type AssetFile, S2_BANDS_EO, sceneItem } from "./scene-item.ts";
import type { SceneSpec } from "./schedule.ts";
import { overpassUtc, sunPosition } from "./sun.ts";
import type { SiteTruth } from "./truth.ts";

export interface SceneJob {
  out: string;
  site: Site;
  truth: SiteTruth;
  spec: SceneSpec;
  /** AOI centre (lon, lat): sun position and overpass time. */
  centre: [number, number];
  simulation: Record<string, unknown>;
}

const FINE: [key: string, band: string, title: string][] = [
  ["blue", "B02", "Blue (band 2)"],
  ["green", "B03", "Green (band 3)"],
  ["red", "B04", "Red (band 4)"],
  ["nir", "B08", "NIR 1 (band 8)"],
];
const COARSE: [key: string, band: string, title: string][] = [
  ["nir08", "B8A", "NIR 2 (band 8A)"],
  ["swir16", "B11", "SWIR 1.6um (band 11)"],
  ["swir22", "B12", "SWIR 2.2um (band 12)"],
];

/** The parameters recorded in a scene's item, or null when the folder holds no complete scene. */
export async function recordedSimulation(out: string, id: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(out, id, `${id}.json`), "utf8")).properties["reewatch:simulation"] ?? null;
  } catch {
    return null;
  }
}

export async function writeScene(j: SceneJob): Promise<"written" | "kept"> {
  const id = j.spec.id;
  if (JSON.stringify(await recordedSimulation(j.out, id)) === JSON.stringify(j.simulation)) return "kept";
  const tmp = join(j.out, `.${id}.partial-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const item = await writeBands(j, tmp);
    await writeFileAtomic(join(tmp, `${id}.json`), `${JSON.stringify(item, null, 1)}\n`);
    await replaceDir(tmp, join(j.out, id));
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return "written";
}

async function writeBands(j: SceneJob, dir: string): Promise<Record<string, unknown>> {
  const { spec, truth } = j;
  const a = synthesize(j.site, truth, spec, j.centre[1]);
  const offsetDn = baselineOffsetDn(spec.processingBaseline);
  const assets: AssetFile[] = [];
  const write = async (key: string, band: string, title: string, grid: Grid, data: Uint16Array | Uint8Array) => {
    const path = join(dir, `${band}.tif`);
    const isScl = band === "SCL";
    await writeCog(path, grid, [data] as Uint16Array[], {
      nodata: 0,
      tileSize: 256,
      metadata: { SIMULATED: "true", REEWATCH_SCENE: spec.id, REEWATCH_BAND: band },
      bandDescriptions: [`${band} (SIMULATED)`],
      ...(isScl ? { overviewResampling: "nearest" as const } : { scale: [1e-4], offset: [-offsetDn / 1e4] }),
    });
    assets.push({ key, band, title, grid, checksumHex: await sha256File(path), size: (await stat(path)).size, ...(isScl ? {} : { eo: S2_BANDS_EO[band] }) });
  };
  for (const [k, [key, band, title]] of FINE.entries())
    await write(key, band, `${title} - ${truth.grid.transform[0]}m`, truth.grid, toDn(a.fine[k]!, offsetDn));
  for (const [k, [key, band, title]] of COARSE.entries())
    await write(key, band, `${title} - ${a.coarseGrid.transform[0]}m`, a.coarseGrid, toDn(a.coarse[k]!, offsetDn));
  await write("scl", "SCL", `Scene classification map (SCL) - ${a.coarseGrid.transform[0]}m`, a.coarseGrid, a.scl);
  return sceneItem({
    spec,
    site: { key: j.site.key, name: j.site.name.en },
    datetime: `${spec.date}T${overpassUtc(j.centre[0])}Z`,
    sun: sunPosition(spec.date, j.centre[1]),
    scl: a.scl,
    assets,
    simulation: j.simulation,
    software: SOFTWARE_VERSION,
  });
}

/** Puts `tmp` at `dir`, replacing an older folder there (moved aside first, then removed). */
export async function replaceDir(tmp: string, dir: string): Promise<void> {
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  const had = await stat(dir).then(
    () => true,
    () => false,
  );
  if (had) await rename(dir, old);
  await rename(tmp, dir);
  if (had) await rm(old, { recursive: true, force: true });
}
