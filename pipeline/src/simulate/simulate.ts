/**
 * `reewatch simulate`: a deterministic multi-year stack of SIMULATED Sentinel-2 L2A-like scenes
 * for a site, plus the planted truth as COGs. Every file, item and title says SIMULATED.
 */
import { access, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { windowGrid } from "../grid.ts";
import { mulberry32 } from "../random.ts";
import type { Grid } from "../raster.ts";
import { type Site, siteGrid } from "../site/site.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { writeCog } from "../write/cog.ts";
import { halve, halveNearest, type SceneSpec, synthesize, toDn } from "./scene.ts";
import { buildTruth, type SiteTruth, truthRasters } from "./truth.ts";

export interface SimulateOptions {
  site: Site;
  years: [number, number];
  seed: number;
  out: string;
  /** Override the site grid's pixel size (coarser = faster), metres. */
  resolution?: number;
}

const SIM = { SIMULATED: "true" };

/** Acquisition dates of a year: inside and outside the season, as a real archive has. */
export function sceneDates(site: Site, year: number): { date: string; year: number }[] {
  if (site.key === "ganzhou") return [`${year}-04-15`, `${year}-10-20`, `${year}-11-25`, `${year}-12-30`, `${year + 1}-01-25`].map((d) => ({ date: d, year }));
  return [`${year}-01-20`, `${year}-06-15`, `${year}-07-10`, `${year}-08-05`, `${year}-08-30`, `${year}-10-12`].map((d) => ({ date: d, year }));
}

export function simulationGrid(site: Site, resolution?: number): Grid {
  const g = siteGrid(site);
  if (!resolution || resolution === g.transform[0]) return g;
  const f = resolution / g.transform[0];
  return {
    crs: g.crs,
    transform: [resolution, 0, g.transform[2], 0, -resolution, g.transform[5]],
    width: Math.ceil(g.width / f),
    height: Math.ceil(g.height / f),
  };
}

export async function simulateSite(o: SimulateOptions): Promise<{ scenes: string[]; truth: string }> {
  const grid = simulationGrid(o.site, o.resolution);
  const years: number[] = [];
  for (let y = o.years[0]; y <= o.years[1]; y++) years.push(y);
  const truth = buildTruth(o.site, grid, years, o.seed);
  await mkdir(o.out, { recursive: true });
  const scenes: string[] = [];
  const rand = mulberry32(o.seed * 7919);
  for (const year of years)
    for (const { date, year: y } of sceneDates(o.site, year)) {
      const spec: SceneSpec = {
        date,
        year: y,
        cloudCover: rand() < 0.3 ? 0 : 0.05 + 0.45 * rand(),
        falseCloudOnBare: rand() < 0.25,
        snow: o.site.key === "bayan-obo" && date.slice(5, 7) === "01",
        seed: Math.floor(rand() * 2 ** 31),
      };
      scenes.push(await writeScene(o, truth, spec));
    }
  const truthDir = await writeTruth(o, truth);
  return { scenes, truth: truthDir };
}

async function writeScene(o: SimulateOptions, t: SiteTruth, s: SceneSpec): Promise<string> {
  const id = `S2A_SIM_${o.site.key.toUpperCase().replace(/-/g, "")}_${s.date.replace(/-/g, "")}_L2A`;
  const dir = join(o.out, id);
  if (
    await access(join(dir, `${id}.json`)).then(
      () => true,
      () => false,
    )
  )
    return dir;
  const tmp = join(o.out, `.${id}.partial-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const { width, height } = t.grid;
  const { refl, scl } = synthesize(o.site.key, t, s);
  const newBaseline = s.date >= "2022-01-25";
  const offsetDn = newBaseline ? 1000 : 0;
  const res = t.grid.transform[0];
  const coarse: Grid = {
    ...windowGrid(t.grid, { x: 0, y: 0, width, height }),
    transform: [2 * res, 0, t.grid.transform[2], 0, -2 * res, t.grid.transform[5]],
    width: Math.ceil(width / 2),
    height: Math.ceil(height / 2),
  };
  const meta = { ...SIM, REEWATCH_SCENE: id };
  const fine: [string, number][] = [
    ["B02", 0],
    ["B03", 1],
    ["B04", 2],
    ["B08", 3],
  ];
  const twenty: [string, number][] = [
    ["B8A", 3],
    ["B11", 4],
    ["B12", 5],
  ];
  for (const [name, k] of fine)
    await writeCog(join(tmp, `${name}.tif`), t.grid, [toDn(refl[k]!, offsetDn)], {
      nodata: 0,
      metadata: meta,
      tileSize: 256,
    });
  for (const [name, k] of twenty)
    await writeCog(join(tmp, `${name}.tif`), coarse, [toDn(halve(refl[k]!, width, height), offsetDn)], {
      nodata: 0,
      metadata: meta,
      tileSize: 256,
    });
  await writeCog(join(tmp, "SCL.tif"), coarse, [halveNearest(scl, width, height)], {
    nodata: 0,
    metadata: meta,
    tileSize: 256,
    overviewResampling: "nearest",
  });
  const cloud = scl.reduce((c, v) => c + (v === 8 || v === 9 || v === 10 ? 1 : 0), 0) / scl.length;
  const asset = (name: string, g: Grid) => ({
    href: `./${name}.tif`,
    type: "image/tiff; application=geotiff; profile=cloud-optimized",
    title: `SIMULATED ${name}`,
    "proj:shape": [g.height, g.width],
    "proj:transform": [...g.transform],
    roles: ["data"],
  });
  const item = {
    type: "Feature",
    stac_version: "1.1.0",
    id,
    properties: {
      title: `SIMULATED Sentinel-2 L2A-like scene, ${o.site.name.en}, ${s.date}`,
      description: "SIMULATED by reewatch simulate from a spectral mixture model with planted events; not a satellite observation.",
      datetime: `${s.date}T03:00:00Z`,
      platform: "sentinel-2a",
      constellation: "sentinel-2",
      "s2:processing_baseline": newBaseline ? "04.00" : "02.14",
      "eo:cloud_cover": Math.round(cloud * 10000) / 100,
      "proj:code": t.grid.crs,
      "reewatch:simulated": true,
      "reewatch:site": o.site.key,
      "reewatch:seed": s.seed,
    },
    assets: {
      blue: asset("B02", t.grid),
      green: asset("B03", t.grid),
      red: asset("B04", t.grid),
      nir: asset("B08", t.grid),
      nir08: asset("B8A", coarse),
      swir16: asset("B11", coarse),
      swir22: asset("B12", coarse),
      scl: asset("SCL", coarse),
    },
    links: [],
  };
  await writeFileAtomic(join(tmp, `${id}.json`), `${JSON.stringify(item, null, 1)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

async function writeTruth(o: SimulateOptions, t: SiteTruth): Promise<string> {
  const dir = join(o.out, "truth");
  await mkdir(dir, { recursive: true });
  const r = truthRasters(t);
  const meta = (what: string) => ({ metadata: { ...SIM, REEWATCH_TRUTH: what }, bandDescriptions: [what] });
  await writeCog(join(dir, "event_year.tif"), t.grid, [r.eventYear], {
    ...meta("event_year"),
    nodata: 0,
    overviewResampling: "nearest",
  });
  await writeCog(join(dir, "event_type.tif"), t.grid, [r.eventType], {
    ...meta("event_type: 0 stable, 1 mining, 2 abandonment, 3 restoration"),
    overviewResampling: "nearest",
  });
  await writeCog(join(dir, "magnitude.tif"), t.grid, [r.magnitude], meta("vegetation fraction lost"));
  await writeCog(join(dir, "recovery_state.tif"), t.grid, [r.recovery], {
    ...meta("recovery state at the last year: 0 n/a, 1 not, 2 partial, 3 complete"),
    overviewResampling: "nearest",
  });
  for (const [y, v] of t.veg) await writeCog(join(dir, `veg_fraction_${y}.tif`), t.grid, [v], meta(`vegetation fraction ${y}`));
  const px = t.grid.transform[0] ** 2 / 1e6;
  const count = (a: ArrayLike<number>, f: (v: number) => boolean) => Array.from(a).filter(f).length * px;
  const summary = {
    simulated: true,
    note: "SIMULATED truth planted by reewatch simulate",
    site: o.site.key,
    seed: o.seed,
    years: t.years,
    grid: t.grid,
    areasKm2: {
      disturbedInPeriod: count(r.eventYear, (v) => v > 0),
      mining: count(r.eventType, (v) => v === 1),
      abandonment: count(r.eventType, (v) => v === 2),
      restoration: count(r.eventType, (v) => v === 3),
      recoveryComplete: count(r.recovery, (v) => v === 3),
      recoveryPartial: count(r.recovery, (v) => v === 2),
      notRecovered: count(r.recovery, (v) => v === 1),
    },
  };
  await writeFileAtomic(join(dir, "truth.json"), `${JSON.stringify(summary, null, 1)}\n`);
  return dir;
}
