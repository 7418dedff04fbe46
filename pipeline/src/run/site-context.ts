/**
 * The site-wide rasters every job of a run rebuilds from its plan: the site grid (the scenes' own
 * when they are on the site CRS already), the AOI mask and the mask override. Cheap next to
 * reading scenes, and deterministic, so each job (in any thread or on any machine) gets the same
 * ones. The zone masks only the site-wide steps need are theirs to rasterize (run-finish.ts).
 */
import { parseAoi, rasterizeAoi } from "../aoi/aoi.ts";
import type { Grid } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import { type Site, siteGrid } from "../site/site.ts";
import type { RunPlan } from "./run-plan.ts";
import { siteOverride } from "./site-override.ts";

export interface SiteContext {
  grid: Grid;
  aoi: Uint8Array;
  override: ReturnType<typeof siteOverride>;
}

export async function siteContext(plan: RunPlan): Promise<SiteContext> {
  const { site } = plan;
  const grid = await gridFor(site, plan.scenes[0]!.path);
  const aoi = rasterizeAoi(parseAoi(site.aoi, site.path), grid, { x: 0, y: 0, width: grid.width, height: grid.height });
  return { grid, aoi, override: siteOverride(site, grid) };
}

async function gridFor(site: Site, firstScene: string): Promise<Grid> {
  const g = siteGrid(site);
  if (site.grid.transform) return g;
  const s = await openScene(firstScene);
  await s.close();
  return s.grid.crs === g.crs ? s.grid : g;
}
