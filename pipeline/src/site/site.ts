/**
 * Site definitions (samples/sites/<key>.json): loading by key or path, the site grid, and the
 * zones that are mapped. The format is schema.ts; geometry checks are checks.ts.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAoi, projectAoi, ringsBounds } from "../aoi/aoi.ts";
import { BadParameter, oneLine } from "../errors.ts";
import { gridBounds, windowForBounds } from "../grid.ts";
import type { Affine, Grid } from "../raster.ts";
import { validateSeason } from "../run/season.ts";
import { checkSiteGeometry } from "./checks.ts";
import { type SiteJson, SiteSchema, type SiteZone } from "./schema.ts";

export { SiteSchema, type SiteZone };

export type Site = SiteJson & { path: string };

export const SITES_DIR = fileURLToPath(new URL("../../../samples/sites/", import.meta.url));

/** A site by key ("ganzhou") or by path to its JSON; BadParameter naming the file and the field on any problem. */
export async function loadSite(keyOrPath: string): Promise<Site> {
  const path = /\.json$/i.test(keyOrPath) ? resolve(keyOrPath) : join(SITES_DIR, `${keyOrPath}.json`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    // oneLine: V8's JSON message quotes the text at the fault, tabs and newlines included.
    throw new BadParameter(`site ${keyOrPath}: cannot read ${path} (${oneLine(err)})`);
  }
  return parseSite(json, path);
}

/** Validates a parsed site JSON (schema, season, geometry); `path` names it in errors. */
export function parseSite(json: unknown, path: string): Site {
  const r = SiteSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BadParameter(`${path}: ${i.path.join(".")}: ${i.message}`);
  }
  validateSeason(r.data.season, `${path} season`);
  if (r.data.years[0] > r.data.years[1]) throw new BadParameter(`${path}: years [${r.data.years.join(", ")}] run backwards`);
  checkSiteGeometry(r.data, path);
  const site = { ...r.data, path };
  siteGrid(site);
  return site;
}

/** Scene paths listed in the site JSON, resolved against the JSON's folder. */
export function siteScenePaths(site: Site): string[] {
  return (site.scenes ?? []).map((s) => resolve(dirname(site.path), s));
}

/**
 * The site grid: explicit (transform, width, height), or the AOI's bounds in the site CRS
 * snapped outward to whole pixels of `resolution` (so pixel edges fall on multiples of it).
 * Either way the grid must cover the AOI.
 */
export function siteGrid(site: Site): Grid {
  const g = site.grid;
  const aoiBounds = ringsBounds(projectAoi(parseAoi(site.aoi), g.crs));
  let grid: Grid;
  if (g.transform && g.width && g.height) grid = { crs: g.crs, transform: g.transform as unknown as Affine, width: g.width, height: g.height };
  else {
    const r = g.resolution;
    const left = Math.floor(aoiBounds[0] / r) * r;
    const top = Math.ceil(aoiBounds[3] / r) * r;
    grid = { crs: g.crs, transform: [r, 0, left, 0, -r, top], width: Math.ceil((aoiBounds[2] - left) / r), height: Math.ceil((top - aoiBounds[1]) / r) };
  }
  const b = gridBounds(grid);
  const tol = 1e-6;
  if (!windowForBounds(grid, aoiBounds) || aoiBounds[0] < b[0] - tol || aoiBounds[1] < b[1] - tol || aoiBounds[2] > b[2] + tol || aoiBounds[3] > b[3] + tol)
    throw new BadParameter(
      `${site.path}: grid ${grid.width}x${grid.height} px at [${b.map((v) => v.toFixed(0)).join(", ")}] does not cover the AOI [${aoiBounds.map((v) => v.toFixed(0)).join(", ")}] (${g.crs})`,
    );
  return grid;
}

/** Zones inside the AOI (zones flagged outsideAoi are listed in reports but not mapped). */
export function mappedZones(site: Site): SiteZone[] {
  return site.zones.filter((z) => !z.outsideAoi);
}
