/** The JSON endpoints: sites, TileJSON, point series, zonal statistics of a posted polygon, claims. */
import { parseAoi, projectAoi, rasterizeRings, transformer, worldToPixel, zoneStats } from "../../pipeline/src/index.ts";
import { cog, pixelBands, pixelValue, wholeRaster } from "./data-access.ts";
import { HttpError } from "./http-errors.ts";
import { productPath, type SiteInfo } from "./site-index.ts";

export async function siteGrid(site: SiteInfo) {
  const date = site.dates[0] ?? "";
  const first = productPath(site, "ndvi", date) ?? site.products.map((p) => p.files[date]?.cog).find(Boolean) ?? null;
  if (!first) throw new HttpError(404, `site ${site.key}: no composites`);
  return (await cog(site.dir, first)).grid!;
}

/**
 * Zoom levels the data supports at the site's centre latitude: maxzoom = the first zoom whose tile
 * pixel (tileSize 256 x `scale`) is no larger than the data's pixel (more zooms only enlarge
 * pixels); minzoom = the zoom at which the site spans about one tile, less two.
 */
export async function dataZooms(site: SiteInfo, scale: 1 | 2): Promise<{ minzoom: number; maxzoom: number }> {
  const grid = await siteGrid(site);
  const res = Math.abs(grid.transform[0]);
  const metres = grid.crs === "EPSG:4326" ? res * 111_320 * Math.cos((site.center[1] * Math.PI) / 180) : res;
  const groundAtZ0 = (2 * 20037508.342789244 * Math.cos((site.center[1] * Math.PI) / 180)) / (256 * scale);
  const maxzoom = Math.min(24, Math.max(0, Math.ceil(Math.log2(groundAtZ0 / metres))));
  const span = Math.max(site.bbox[2] - site.bbox[0], 1e-9);
  const minzoom = Math.max(0, Math.min(maxzoom, Math.floor(Math.log2(360 / span)) - 2));
  return { minzoom, maxzoom };
}

export async function tileJson(site: SiteInfo, product: string, date: string, o: { format: string; scale: 1 | 2; query: string }, origin: string) {
  const p = site.products.find((q) => q.key === product)!;
  return {
    tilejson: "3.0.0",
    name: `${site.simulated ? "SIMULATED " : ""}${site.name.en} ${p.label.en} ${date}`,
    tiles: [`${origin}/tiles/${site.key}/${product}/${date}/{z}/{x}/{y}${o.scale === 2 ? "@2x" : ""}.${o.format}${o.query}`],
    tileSize: 256 * o.scale,
    ...(await dataZooms(site, o.scale)),
    bounds: site.bbox,
    center: [...site.center, site.zoom],
    attribution: site.simulated ? "SIMULATED data (reewatch simulate)" : "Contains modified Copernicus Sentinel / USGS Landsat data",
  };
}

export async function pointSeries(site: SiteInfo, product: string, lon: number, lat: number) {
  const p = site.products.find((q) => q.key === product);
  if (!p) throw new HttpError(404, `product "${product}" is not in site ${site.key}`);
  const grid = await siteGrid(site);
  const [x, y] = transformer("EPSG:4326", grid.crs)(lon, lat);
  const [c, r] = worldToPixel(grid.transform, x, y).map(Math.floor) as [number, number];
  if (c < 0 || r < 0 || c >= grid.width || r >= grid.height) throw new HttpError(404, `point ${lon}, ${lat} is outside site ${site.key}`);
  const series = [];
  for (const date of p.dates) {
    const value = await pixelValue(site.dir, productPath(site, product, date)!, grid, c, r);
    const fit = product === site.changeIndex ? site.runFiles.fitted[date] : undefined;
    const fitted = fit ? await pixelValue(site.dir, fit, grid, c, r).catch(() => null) : null;
    const stack = site.runFiles.observations[date]?.[product];
    const observations = stack ? await pixelBands(site.dir, stack, grid, c, r) : [];
    series.push({ date, value, fitted, observations });
  }
  return {
    lon,
    lat,
    product,
    pixel: [c, r],
    simulated: site.simulated,
    series,
    note: "composite values per year, and each year's observations (one per scene, from the scene's masked reflectance); masked or missing values are null",
  };
}

/** A feature of a site's outlines, as site-index.ts draws them (zonesOf). */
interface OutlineFeature {
  properties: { name: string; kind: string };
  geometry: unknown;
}

export async function zonal(site: SiteInfo, product: string, body: unknown) {
  const p = site.products.find((q) => q.key === product);
  if (!p || p.kind === "rgb") throw new HttpError(404, `product "${product}" has no statistics in site ${site.key}`);
  const aoi = parseAoi(body, "request body");
  const grid = await siteGrid(site);
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const mask = rasterizeRings(projectAoi(aoi, grid.crs), grid, all);
  const controls = (site.zones.features as OutlineFeature[]).filter((f) => f.properties.kind === "control");
  const control = new Uint8Array(mask.length);
  for (const f of controls) {
    const m = rasterizeRings(projectAoi(parseAoi(f.geometry), grid.crs), grid, all);
    for (let i = 0; i < m.length; i++) control[i]! |= m[i]!;
  }
  const pixels = mask.reduce((s, v) => s + v, 0);
  if (pixels === 0) throw new HttpError(422, "the polygon covers no pixel of the site");
  const series = [];
  const ctrl = [];
  for (const date of p.dates) {
    const values = await wholeRaster(site.dir, productPath(site, product, date)!);
    series.push({ date, ...zoneStats(values, mask) });
    ctrl.push({ date, ...zoneStats(values, control) });
  }
  return {
    product,
    simulated: site.simulated,
    areaKm2: (pixels * Math.abs(grid.transform[0] * grid.transform[4])) / 1e6,
    series,
    control: ctrl,
  };
}
