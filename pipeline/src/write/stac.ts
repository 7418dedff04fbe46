/**
 * STAC 1.1 documents: items (one per scene or composite), collections and the run catalog.
 * Fields follow docs/outputs.md; the tile server and the viewer rely on them.
 */
import { gridBounds, pixelToWorld } from "../grid.ts";
import { transformer } from "../project.ts";
import type { Grid } from "../raster.ts";

export const STAC_VERSION = "1.1.0";
export const COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized";
export const STAC_EXTENSIONS = [
  "https://stac-extensions.github.io/projection/v2.0.0/schema.json",
  "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
  "https://stac-extensions.github.io/file/v2.1.0/schema.json",
  "https://stac-extensions.github.io/processing/v1.2.0/schema.json",
];

export interface BandStatistics {
  minimum: number;
  maximum: number;
  mean: number;
  stddev: number;
  valid_percent: number;
}

export interface CogAsset {
  href: string;
  title: string;
  product: string;
  range: [number, number];
  colormap: string;
  dataType: "float32" | "uint8" | "uint16" | "int16";
  checksumHex: string;
  size: number;
  unit?: string;
  description?: string;
  statistics?: BandStatistics;
  roles?: string[];
  extra?: Record<string, unknown>;
}

export interface ItemInput {
  id: string;
  grid: Grid;
  /** Either `datetime`, or `start`/`end` for composites (datetime is then null). */
  datetime?: string;
  start?: string;
  end?: string;
  title?: string;
  description?: string;
  assets: Record<string, CogAsset>;
  properties: Record<string, unknown>;
  derivedFrom?: string[];
  software: string;
  /** Assets that are not COG products (a thumbnail), as STAC asset objects. */
  otherAssets?: Record<string, Record<string, unknown>>;
}

/** Footprint of a grid in lon/lat: its outline densified and reprojected, and the bbox. */
export function footprint(grid: Grid, steps = 8): { geometry: { type: "Polygon"; coordinates: number[][][] }; bbox: number[] } {
  const toLonLat = transformer(grid.crs, "EPSG:4326");
  const ring: number[][] = [];
  const edge = (c0: number, r0: number, c1: number, r1: number) => {
    for (let k = 0; k < steps; k++) {
      const [x, y] = pixelToWorld(grid.transform, c0 + ((c1 - c0) * k) / steps, r0 + ((r1 - r0) * k) / steps);
      ring.push(toLonLat(x, y).map((v) => Math.round(v * 1e7) / 1e7));
    }
  };
  const { width: w, height: h } = grid;
  edge(0, 0, 0, h);
  edge(0, h, w, h);
  edge(w, h, w, 0);
  edge(w, 0, 0, 0);
  ring.push(ring[0]!);
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  return {
    geometry: { type: "Polygon", coordinates: [ring] },
    bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
  };
}

function assetJson(a: CogAsset, grid: Grid): Record<string, unknown> {
  return {
    href: a.href,
    type: COG_MEDIA_TYPE,
    title: a.title,
    ...(a.description ? { description: a.description } : {}),
    roles: a.roles ?? ["data"],
    "file:checksum": `1220${a.checksumHex}`,
    "file:size": a.size,
    "proj:shape": [grid.height, grid.width],
    "raster:bands": [
      {
        data_type: a.dataType,
        nodata: a.dataType === "float32" ? "nan" : 0,
        ...(a.unit ? { unit: a.unit } : {}),
        ...(a.statistics ? { statistics: a.statistics } : {}),
      },
    ],
    "reewatch:product": a.product,
    "reewatch:range": a.range,
    "reewatch:colormap": a.colormap,
    ...(a.extra ?? {}),
  };
}

export function stacItem(input: ItemInput): Record<string, unknown> {
  const { geometry, bbox } = footprint(input.grid);
  const assets: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(input.assets)) assets[k] = assetJson(a, input.grid);
  Object.assign(assets, input.otherAssets ?? {});
  const times = input.datetime ? { datetime: input.datetime } : { datetime: null, start_datetime: input.start, end_datetime: input.end };
  return {
    type: "Feature",
    stac_version: STAC_VERSION,
    stac_extensions: STAC_EXTENSIONS,
    id: input.id,
    geometry,
    bbox,
    properties: {
      ...times,
      ...(input.title ? { title: input.title } : {}),
      ...(input.description ? { description: input.description } : {}),
      "proj:code": input.grid.crs,
      "proj:shape": [input.grid.height, input.grid.width],
      "proj:transform": [...input.grid.transform],
      "proj:bbox": gridBounds(input.grid),
      "processing:software": { reewatch: input.software },
      ...input.properties,
    },
    links: (input.derivedFrom ?? []).map((href) => ({ rel: "derived_from", href })),
    assets,
  };
}

export function stacCollection(opts: {
  id: string;
  description: string;
  bbox: number[];
  interval: [string | null, string | null];
  itemHrefs: string[];
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: "Collection",
    stac_version: STAC_VERSION,
    id: opts.id,
    description: opts.description,
    license: "various",
    extent: { spatial: { bbox: [opts.bbox] }, temporal: { interval: [opts.interval] } },
    links: [
      { rel: "root", href: "../catalog.json", type: "application/json" },
      { rel: "parent", href: "../catalog.json", type: "application/json" },
      ...opts.itemHrefs.map((href) => ({ rel: "item", href, type: "application/geo+json" })),
    ],
    ...(opts.extra ?? {}),
  };
}

export function stacCatalog(opts: {
  id: string;
  description: string;
  children?: string[];
  items?: string[];
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: "Catalog",
    stac_version: STAC_VERSION,
    id: opts.id,
    description: opts.description,
    links: [
      { rel: "root", href: "./catalog.json", type: "application/json" },
      ...(opts.children ?? []).map((href) => ({ rel: "child", href, type: "application/json" })),
      ...(opts.items ?? []).map((href) => ({ rel: "item", href, type: "application/geo+json" })),
    ],
    ...(opts.extra ?? {}),
  };
}
