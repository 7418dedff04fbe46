/**
 * The item of a fetched scene folder: the API's item with only the fetched assets, each pointing
 * at its local file (`./B04.tif`) and keeping the original href as an `alternate` (STAC
 * alternate-assets extension), with the window's proj:shape/proj:transform, file size and
 * checksum. bbox and geometry describe the fetched window, not the full tile.
 */

import { oneLine, UnsupportedFormat } from "../errors.ts";
import { windowGrid } from "../grid.ts";
import { transformer } from "../project.ts";
import type { Grid } from "../raster.ts";
import type { StacItem } from "../read/stac-item.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { multihashSha256 } from "../write/checksum.ts";
import type { FetchedFile } from "./manifest.ts";

export type RemoteItem = StacItem & {
  type?: string;
  stac_version?: string;
  stac_extensions?: string[];
  collection?: string;
  bbox?: number[];
  geometry?: unknown;
  links?: { rel?: string; href?: string; [k: string]: unknown }[];
};

const EXTENSIONS = [
  "https://stac-extensions.github.io/alternate-assets/v1.2.0/schema.json",
  "https://stac-extensions.github.io/file/v2.1.0/schema.json",
  "https://stac-extensions.github.io/projection/v1.1.0/schema.json",
];

export async function writeLocalItem(
  path: string,
  item: RemoteItem,
  files: FetchedFile[],
  grids: { key: string; grid: Grid }[],
  source: { collection: string; api?: string },
): Promise<void> {
  checkServedItem(item);
  const assets: Record<string, unknown> = {};
  for (const f of files) {
    const g = windowGrid(grids.find((a) => a.key === f.asset)!.grid, f.window);
    assets[f.asset] = {
      ...item.assets[f.asset],
      href: `./${f.file}`,
      "proj:shape": [g.height, g.width],
      "proj:transform": [...g.transform],
      "file:size": f.bytes,
      "file:checksum": multihashSha256(f.sha256),
      alternate: { source: { title: "the full file this window was read from", href: f.source } },
    };
  }
  const footprint = footprintOf(grids.find((a) => a.key === files[0]!.asset)!.grid, files[0]!.window);
  const self = Array.isArray(item.links) ? item.links.find((l) => l?.rel === "self" && typeof l.href === "string")?.href : undefined;
  const { "proj:shape": _s, "proj:transform": _t, "proj:bbox": _b, ...properties } = item.properties;
  const local = {
    ...item,
    stac_extensions: [
      ...new Set([...(Array.isArray(item.stac_extensions) ? item.stac_extensions.filter((e) => typeof e === "string") : []), ...EXTENSIONS]),
    ].sort(),
    bbox: footprint.bbox,
    geometry: footprint.geometry,
    properties: { ...properties, "reewatch:fetched": { collection: source.collection, ...(source.api ? { api: source.api } : {}) } },
    assets,
    links: self ? [{ rel: "via", href: self, type: "application/geo+json", title: "the item as the STAC API served it" }] : [],
  };
  await writeFileAtomic(path, `${JSON.stringify(local, null, 1)}\n`);
}

/** The served item is outside input: the fields copied below must be objects, or the copy would fail on a TypeError. */
function checkServedItem(item: RemoteItem): void {
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (typeof item?.id !== "string" || !isObject(item.properties) || !isObject(item.assets))
    throw new UnsupportedFormat(
      `STAC item ${typeof item?.id === "string" ? oneLine(JSON.stringify(item.id.slice(0, 80))) : "without an id"}: not a STAC item (needs id, properties and assets objects)`,
    );
}

/** The window's outline in lon/lat (corners and edge points, so a UTM window's curved edges are kept). */
function footprintOf(grid: Grid, win: FetchedFile["window"]): { bbox: number[]; geometry: unknown } {
  const g = windowGrid(grid, win);
  const toLonLat = transformer(g.crs, "EPSG:4326");
  const [a, , c, , e, f] = g.transform;
  const ring: number[][] = [];
  const n = 4;
  const edge = (x0: number, y0: number, x1: number, y1: number) => {
    for (let k = 0; k < n; k++) ring.push(toLonLat(x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n).map(round7));
  };
  const [x0, y0, x1, y1] = [c, f, c + a * g.width, f + e * g.height];
  edge(x0, y1, x1, y1);
  edge(x1, y1, x1, y0);
  edge(x1, y0, x0, y0);
  edge(x0, y0, x0, y1);
  ring.push(ring[0]!);
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  return {
    bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    geometry: { type: "Polygon", coordinates: [ring] },
  };
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
