/**
 * Writes the SIMULATED planted truth beside the scenes, `OUT/truth/`: event_year.tif (int16,
 * 0 none), event_type.tif (uint8), magnitude.tif (float32 cover lost), recovery_state.tif
 * (uint8, at the last year), veg_fraction_<year>.tif (float32), truth.json (areas per class and
 * zone) and truth-item.json (a STAC item), all saying SIMULATED. Written in a hidden folder and
 * renamed into place.
 */
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256File } from "../write/checksum.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, stacItem } from "../write/stac.ts";
import { type SiteTruth, type TruthRasters, truthRasters } from "./truth.ts";
import { truthSummary } from "./truth-summary.ts";
import { replaceDir } from "./write-scene.ts";

interface TruthFile {
  name: string;
  data: Int16Array | Uint8Array | Float32Array;
  description: string;
  range: [number, number];
  colormap: string;
  integer: boolean;
}

function files(t: SiteTruth, r: TruthRasters): TruthFile[] {
  const [first, last] = [t.years[0]!, t.years.at(-1)!];
  return [
    { name: "event_year", data: r.eventYear, description: "year of the planted disturbance, 0 none", range: [first, last], colormap: "years", integer: true },
    {
      name: "event_type",
      data: r.eventType,
      description: "0 stable, 1 mining expansion, 2 abandonment, 3 restoration",
      range: [0, 3],
      colormap: "classes",
      integer: true,
    },
    { name: "magnitude", data: r.magnitude, description: "vegetation fraction lost in the event year", range: [0, 1], colormap: "magnitude", integer: false },
    {
      name: "recovery_state",
      data: r.recovery,
      description: `recovery state in ${last}: 0 n/a, 1 not recovered, 2 partial, 3 complete`,
      range: [0, 3],
      colormap: "recovery",
      integer: true,
    },
    ...t.years.map((y) => ({
      name: `veg_fraction_${y}`,
      data: t.state(y).veg,
      description: `peak-season vegetation fraction ${y}`,
      range: [0, 1] as [number, number],
      colormap: "ndvi",
      integer: false,
    })),
  ];
}

export async function writeTruth(out: string, siteName: string, t: SiteTruth, simulation: Record<string, unknown>): Promise<string> {
  const dir = join(out, "truth");
  const tmp = join(out, `.truth.partial-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const r = truthRasters(t);
    const assets: Record<string, CogAsset> = {};
    for (const f of files(t, r)) {
      const path = join(tmp, `${f.name}.tif`);
      await writeCog(path, t.grid, [f.data] as Float32Array[], {
        metadata: { SIMULATED: "true", REEWATCH_TRUTH: f.name, REEWATCH_SITE: t.site },
        bandDescriptions: [`SIMULATED truth: ${f.description}`],
        ...(f.integer ? { nodata: 0, overviewResampling: "nearest" as const } : {}),
      });
      assets[f.name] = asset(f, await sha256File(path), (await stat(path)).size);
    }
    const summary = truthSummary(t, r, siteName, simulation);
    await writeFileAtomic(join(tmp, "truth.json"), `${JSON.stringify(summary, null, 1)}\n`);
    await writeFileAtomic(join(tmp, "truth-item.json"), `${JSON.stringify(item(t, siteName, assets), null, 1)}\n`);
    await replaceDir(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

function asset(f: TruthFile, checksumHex: string, size: number): CogAsset {
  const dataType = f.data instanceof Int16Array ? "int16" : f.data instanceof Uint8Array ? "uint8" : "float32";
  return {
    href: `./${f.name}.tif`,
    title: `SIMULATED truth: ${f.name}`,
    description: f.description,
    product: `truth_${f.name}`,
    range: f.range,
    colormap: f.colormap,
    dataType,
    checksumHex,
    size,
  };
}

function item(t: SiteTruth, siteName: string, assets: Record<string, CogAsset>): Record<string, unknown> {
  return stacItem({
    id: `${t.site}-simulated-truth`,
    grid: t.grid,
    start: `${t.years[0]}-01-01T00:00:00Z`,
    end: `${t.years.at(-1)}-12-31T23:59:59Z`,
    title: `SIMULATED planted truth, ${siteName}, ${t.years[0]}-${t.years.at(-1)}`,
    description:
      "SIMULATED: the events reewatch simulate planted in the scenes beside this folder (not observations). See truth.json for areas per class and zone.",
    assets,
    properties: { "reewatch:simulated": true, "reewatch:site": t.site, "reewatch:seed": t.seed },
    software: SOFTWARE_VERSION,
  });
}
