/**
 * Site definitions (samples/sites/<key>.json): AOI in EPSG:4326, the UTM grid, the season window,
 * mask overrides, control polygons and named zones, plus the planted events used by the simulator.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseAoi, projectAoi, ringsBounds } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import { windowForBounds } from "../grid.ts";
import type { Affine, Grid } from "../raster.ts";
import { validateSeason } from "../run/season.ts";

const Geometry = z.object({ type: z.enum(["Polygon", "MultiPolygon"]), coordinates: z.array(z.any()) });
const Simulation = z.object({
  event: z.enum(["mining", "abandonment", "restoration"]),
  year: z.number().int(),
  magnitude: z.number().min(0).max(1),
  core: z.number().min(0).max(1).optional(),
  restorationStart: z.number().int().optional(),
  rate: z.number().min(0).optional(),
  targetFraction: z.number().min(0).max(1).optional(),
});
const Zone = z.object({
  name: z.string(),
  kind: z.string(),
  geometry: Geometry,
  simulation: Simulation.optional(),
  outsideAoi: z.boolean().optional(),
  note: z.string().optional(),
});

export const SiteSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: z.object({ en: z.string(), zh: z.string() }),
  simulated: z.boolean(),
  description: z.string(),
  aoi: Geometry,
  grid: z.object({
    crs: z.string(),
    resolution: z.number().positive(),
    transform: z.array(z.number()).length(6).optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
  }),
  season: z.object({ start: z.string(), end: z.string() }),
  years: z.tuple([z.number().int(), z.number().int()]),
  mode: z.enum(["annual", "pair"]).default("annual"),
  scenes: z.array(z.string()).optional(),
  /** A label sheet with reference_class filled in by an interpreter (relative to the site JSON). */
  referenceLabels: z.string().optional(),
  indices: z.array(z.string()).min(1),
  changeIndex: z.string(),
  /** Annual composite reducer: median (default), medoid or max-ndvi. */
  reducer: z.enum(["median", "medoid", "max-ndvi"]).default("median"),
  /** Smallest loss of the change index counted as a disturbance (steppe changes less than forest). */
  minMagnitude: z.number().positive().default(0.15),
  maskOverrides: z.array(
    z.object({
      name: z.string(),
      zones: z.array(z.string()),
      keepSclClasses: z.array(z.number().int()),
      rule: z.string(),
    }),
  ),
  controls: z.array(z.object({ name: z.string(), geometry: Geometry })).min(1),
  zones: z.array(Zone),
  claims: z.array(z.string()),
  sources: z.string(),
});

export type Site = z.infer<typeof SiteSchema> & { path: string };
export type SiteZone = z.infer<typeof Zone>;

export const SITES_DIR = fileURLToPath(new URL("../../../samples/sites/", import.meta.url));

/** A site by key ("ganzhou") or by path to its JSON. */
export async function loadSite(keyOrPath: string): Promise<Site> {
  const path = /\.json$/i.test(keyOrPath) ? resolve(keyOrPath) : join(SITES_DIR, `${keyOrPath}.json`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new BadParameter(`site ${keyOrPath}: cannot read ${path} (${(err as Error).message.split("\n")[0]})`);
  }
  const r = SiteSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BadParameter(`${path}: ${i.path.join(".")}: ${i.message}`);
  }
  validateSeason(r.data.season, `${path} season`);
  parseAoi(r.data.aoi, `${path} aoi`);
  for (const z of [...r.data.zones, ...r.data.controls]) parseAoi(z.geometry, `${path} zone "${z.name}"`);
  return { ...r.data, path };
}

/** Scene paths listed in the site JSON, resolved against the JSON's folder. */
export function siteScenePaths(site: Site): string[] {
  return (site.scenes ?? []).map((s) => resolve(dirname(site.path), s));
}

/** The site grid: explicit, or the AOI's bounds in the site CRS snapped outward to the resolution. */
export function siteGrid(site: Site): Grid {
  const g = site.grid;
  if (g.transform && g.width && g.height) return { crs: g.crs, transform: g.transform as unknown as Affine, width: g.width, height: g.height };
  const [x0, y0, x1, y1] = ringsBounds(projectAoi(parseAoi(site.aoi), g.crs));
  const r = g.resolution;
  const left = Math.floor(x0 / r) * r;
  const top = Math.ceil(y1 / r) * r;
  const grid: Grid = {
    crs: g.crs,
    transform: [r, 0, left, 0, -r, top],
    width: Math.ceil((x1 - left) / r),
    height: Math.ceil((top - y0) / r),
  };
  if (!windowForBounds(grid, [x0, y0, x1, y1])) throw new BadParameter(`${site.path}: empty grid`);
  return grid;
}

/** Zones inside the AOI (zones flagged outsideAoi are listed in reports but not mapped). */
export function mappedZones(site: Site): SiteZone[] {
  return site.zones.filter((z) => !z.outsideAoi);
}
