/**
 * The SIMULATED site's land-cover layout on its grid, from the site JSON: undisturbed vegetation
 * cover (a smooth seeded field over the site's cover range), the planted zones rasterised at
 * pixel centres (later zones win where they overlap), each zone's existing bare core, the order
 * in which a mining front reaches its pixels, leaching ponds, per-pixel restoration speed, and
 * hill-shading illumination. Everything here is static over the years; events.ts adds time.
 */
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import type { Grid } from "../raster.ts";
import type { SiteZone, Surface, ZoneSimulationSpec } from "../site/schema.ts";
import { mappedZones, type Site } from "../site/site.ts";
import { fbm, hashSeed, quantile } from "./field.ts";

export interface PlantedZone {
  name: string;
  kind: SiteZone["kind"];
  sim: ZoneSimulationSpec | undefined;
  /** What lost vegetation uncovers, and what the core is made of. */
  surface: Surface;
  coreSurface: Surface;
}

export interface Landscape {
  grid: Grid;
  /** Undisturbed peak-season vegetation fraction. */
  base: Float32Array;
  /** 1-based index into `zones`, 0 outside every zone. */
  zone: Uint8Array;
  zones: PlantedZone[];
  /** 1 where the zone was already bare (an existing pit, a pond) before the period. */
  core: Uint8Array;
  /** 0..1: when the disturbance front reaches the pixel (0 first, next to the core; 1 last, at the edge). */
  front: Float32Array;
  /** 1 for leaching-pond pixels (water while the disturbance is active). */
  pond: Uint8Array;
  /** Multiplier (0.8..1.2) on a zone's restoration rate. */
  rateFactor: Float32Array;
  /** Terrain illumination factor on reflectance (1 on flat ground). */
  illum: Float32Array;
  /** 1 inside the site AOI. */
  aoi: Uint8Array;
}

const DEFAULT_SURFACE: Record<SiteZone["kind"], Surface | "soil"> = {
  pit: "rock",
  dump: "rock",
  tailings: "tailings",
  pond: "water",
  leaching: "laterite",
  disturbance: "soil",
};

export function buildLandscape(site: Site, grid: Grid, seed: number): Landscape {
  const spec = site.simulation;
  if (!spec) throw new BadParameter(`${site.path}: site ${site.key} has no "simulation" block: it is not a simulated site`);
  const n = grid.width * grid.height;
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const raster = (geometry: unknown, label: string) => rasterizeRings(projectAoi(parseAoi(geometry, label), grid.crs), grid, all);
  const base = stretch(fbm(grid.width, grid.height, 48, 4, hashSeed(seed, site.key, "cover")), spec.cover[0], spec.cover[1]);
  const illum = stretch(fbm(grid.width, grid.height, 24, 3, hashSeed(seed, site.key, "terrain")), 1 - spec.terrain, 1 + spec.terrain);
  const rateFactor = stretch(fbm(grid.width, grid.height, 16, 2, hashSeed(seed, site.key, "rate")), 0.8, 1.2);
  const zone = new Uint8Array(n);
  const zones: PlantedZone[] = mappedZones(site).map((z) => {
    const surface = z.simulation?.surface ?? resolveSurface(DEFAULT_SURFACE[z.kind], spec.soil);
    return { name: z.name, kind: z.kind, sim: z.simulation, surface, coreSurface: z.simulation?.coreSurface ?? surface };
  });
  for (const [k, z] of mappedZones(site).entries()) {
    const m = raster(z.geometry, `zone "${z.name}"`);
    for (let i = 0; i < n; i++) if (m[i]) zone[i] = k + 1;
  }
  const core = new Uint8Array(n);
  const front = new Float32Array(n);
  const pond = new Uint8Array(n);
  const jitter = fbm(grid.width, grid.height, 6, 2, hashSeed(seed, site.key, "front"));
  const blobs = fbm(grid.width, grid.height, 5, 2, hashSeed(seed, site.key, "ponds"));
  for (const [k, z] of zones.entries()) layoutZone({ grid, zone, id: k + 1, sim: z.sim, jitter, blobs, out: { core, front, pond } });
  return { grid, base, zone, zones, core, front, pond, rateFactor, illum, aoi: raster(site.aoi, "AOI") };
}

function resolveSurface(s: Surface | "soil", soil: "soilSteppe" | "laterite"): Surface {
  return s === "soil" ? soil : s;
}

/** Linear rescale of a field from its own min..max to lo..hi. */
function stretch(v: Float32Array, lo: number, hi: number): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const span = max - min || 1;
  for (let i = 0; i < v.length; i++) v[i] = lo + ((v[i]! - min) / span) * (hi - lo);
  return v;
}

/** One planted zone (pixels `id` of `zone`), the noise fields that shape it, and the layers it is laid into. */
interface ZoneLayout {
  grid: Grid;
  zone: Uint8Array;
  id: number;
  sim: ZoneSimulationSpec | undefined;
  /** Noise that makes the front ragged. */
  jitter: Float32Array;
  /** Noise whose highest values become ponds. */
  blobs: Float32Array;
  out: { core: Uint8Array; front: Float32Array; pond: Uint8Array };
}

/** Core (deepest pixels), front order (deep to edge, with a ragged front) and ponds of one zone. */
function layoutZone(layout: ZoneLayout): void {
  const { grid, zone, id, sim, jitter, blobs, out } = layout;
  const { idx, depth } = zoneDepth(zone, id, grid.width, grid.height);
  if (idx.length === 0) return;
  let maxDepth = 1;
  for (const d of depth) if (d > maxDepth) maxDepth = d;
  const ragged = Float32Array.from(depth, (d, k) => d / maxDepth + 0.25 * (jitter[idx[k]!]! - 0.5));
  const coreShare = sim?.event === "stable" ? (sim.core ?? 1) : (sim?.core ?? 0);
  const coreCut = coreShare > 0 ? quantile(ragged, 1 - coreShare) : Infinity;
  const rest = Uint8Array.from(ragged, (r) => (r < coreCut ? 1 : 0));
  const lo = quantile(ragged, 0, rest);
  const hi = quantile(ragged, 1, rest);
  const pondCut = sim?.ponds
    ? quantile(
        Float32Array.from(idx, (i) => blobs[i]!),
        1 - sim.ponds,
        rest,
      )
    : Infinity;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (!rest[k]) {
      out.core[i] = 1;
      continue;
    }
    out.front[i] = hi > lo ? (hi - ragged[k]!) / (hi - lo) : 0;
    if (blobs[i]! >= pondCut) out.pond[i] = 1;
  }
}

/** The zone's pixel indices and each one's chamfer distance to the zone edge, computed on its bounding box. */
function zoneDepth(zone: Uint8Array, id: number, width: number, height: number): { idx: Uint32Array; depth: Float32Array } {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let i = 0; i < zone.length; i++)
    if (zone[i] === id) {
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  if (x1 < 0) return { idx: new Uint32Array(0), depth: new Float32Array(0) };
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask[y * w + x] = zone[(y0 + y) * width + x0 + x] === id ? 1 : 0;
  const d = chamferDepth(mask, w, h);
  const idx: number[] = [];
  const depth: number[] = [];
  for (let k = 0; k < mask.length; k++)
    if (mask[k]) {
      idx.push((y0 + Math.floor(k / w)) * width + x0 + (k % w));
      depth.push(d[k]!);
    }
  return { idx: Uint32Array.from(idx), depth: Float32Array.from(depth) };
}

/** Chamfer (3-4) distance of each mask pixel to the nearest pixel outside the mask, in pixels. */
export function chamferDepth(mask: Uint8Array, width: number, height: number): Float32Array {
  const big = 1e9;
  const d = Float32Array.from(mask, (m) => (m ? big : 0));
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]!);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  for (let y = height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
    }
  for (let i = 0; i < d.length; i++) d[i]! /= 3;
  return d;
}
