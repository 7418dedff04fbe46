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

/** Most vertices a posted polygon may have: checking a ring for self-crossings costs the square of its vertex count. */
export const MAX_VERTICES = 5_000;
/** Deepest nesting of a posted GeoJSON (a Feature in a FeatureCollection is 2 levels; coordinates 4 more). */
const MAX_DEPTH = 32;

/** Refuses a posted geometry with more than MAX_VERTICES positions, or nested deeper than MAX_DEPTH, before any work on it. */
function checkSize(body: unknown): void {
  let vertices = 0;
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new HttpError(400, `request body: GeoJSON nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(node)) {
      if (node.length > 0 && typeof node[0] === "number") {
        if (++vertices > MAX_VERTICES) throw new HttpError(400, `request body: polygon has more than ${MAX_VERTICES} vertices (simplify it first)`);
        continue;
      }
      for (const v of node) stack.push([v, depth + 1]);
    } else if (node && typeof node === "object") for (const v of Object.values(node)) stack.push([v, depth + 1]);
  }
}

/**
 * Refuses a polygon whose rings cross (themselves or each other) at the first crossing found,
 * before parseAoi lists every crossing: a zig-zag of 2,000 vertices has about a million, which took
 * seconds to list. Only proper crossings (interiors of two non-adjacent edges) count, a subset of
 * what parseAoi refuses, so a polygon it accepts is never refused here. Positions that are not
 * [lon, lat] numbers are left to parseAoi.
 */
function refuseCrossings(body: unknown): void {
  for (const [k, poly] of polygonsOf(body).entries()) {
    const edges: { ring: number; i: number; n: number; a: number[]; b: number[] }[] = [];
    for (const [r, ring] of poly.entries()) {
      if (!Array.isArray(ring) || !ring.every((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))) return;
      for (let i = 0; i + 1 < ring.length; i++) edges.push({ ring: r, i, n: ring.length - 1, a: ring[i], b: ring[i + 1] });
    }
    for (let e = 0; e < edges.length; e++)
      for (let f = e + 1; f < edges.length; f++) {
        const [p, q] = [edges[e]!, edges[f]!];
        if (p.ring === q.ring && (q.i - p.i <= 1 || (p.i === 0 && q.i === p.n - 1))) continue;
        const at = crossing(p.a, p.b, q.a, q.b);
        if (at)
          throw new HttpError(
            400,
            `request body: ${p.ring === q.ring ? `ring ${p.ring + 1} of polygon ${k + 1} crosses itself` : `rings of polygon ${k + 1} cross each other`} near [${at.map((v) => Number(v.toFixed(6))).join(", ")}]`,
          );
      }
  }
}

/** The coordinate arrays of the Polygons and MultiPolygons in a GeoJSON value (nesting already bounded by checkSize). */
function polygonsOf(node: unknown): unknown[][] {
  if (!node || typeof node !== "object") return [];
  const o = node as { type?: unknown; coordinates?: unknown; geometry?: unknown; features?: unknown };
  if (o.type === "FeatureCollection" && Array.isArray(o.features)) return o.features.flatMap(polygonsOf);
  if (o.type === "Feature") return polygonsOf(o.geometry);
  if (o.type === "Polygon" && Array.isArray(o.coordinates)) return [o.coordinates];
  if (o.type === "MultiPolygon" && Array.isArray(o.coordinates)) return o.coordinates.filter(Array.isArray);
  return [];
}

/** Where segments ab and cd cross in both interiors, or null (touching, collinear or apart). */
function crossing(a: number[], b: number[], c: number[], d: number[]): [number, number] | null {
  const [ax, ay, bx, by, cx, cy, dx, dy] = [a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!, d[0]!, d[1]!];
  const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
  if (den === 0) return null;
  const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
  const u = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / den;
  return t > 0 && t < 1 && u > 0 && u < 1 ? [ax + t * (bx - ax), ay + t * (by - ay)] : null;
}

export async function zonal(site: SiteInfo, product: string, body: unknown) {
  const p = site.products.find((q) => q.key === product);
  if (!p || p.kind === "rgb") throw new HttpError(404, `product "${product}" has no statistics in site ${site.key}`);
  checkSize(body);
  refuseCrossings(body);
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
