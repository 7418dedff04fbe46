/**
 * Places to test at, taken from the site definitions in samples/sites/ rather than typed in, so
 * that redrawing a site's AOI or zones does not silently send a test outside the data.
 */
import { readFileSync } from "node:fs";
import { ROOT } from "./cli.ts";

type Ring = [number, number][];
interface Polygonal {
  type: "Polygon" | "MultiPolygon";
  coordinates: number[][][] | number[][][][];
}
interface SiteFile {
  aoi: Polygonal;
  controls: { name: string; geometry: Polygonal }[];
  zones: { name: string; kind: string; geometry: Polygonal }[];
}

export function siteFile(key: string): SiteFile {
  return JSON.parse(readFileSync(`${ROOT}samples/sites/${key}.json`, "utf8")) as SiteFile;
}

/** The outer ring of a polygon, or of a multipolygon's first part. */
function outerRing(g: Polygonal): Ring {
  return (g.type === "Polygon" ? g.coordinates[0] : (g.coordinates as number[][][][])[0]![0]) as Ring;
}

/** [west, south, east, north] of a geometry's outer ring. */
export function bbox(g: Polygonal): [number, number, number, number] {
  const ring = outerRing(g);
  const xs = ring.map((c) => c[0]);
  const ys = ring.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The centre of a geometry's bounding box (the site polygons are near-convex, so it lies inside). */
export function center(g: Polygonal): [number, number] {
  const [w, s, e, n] = bbox(g);
  return [(w + e) / 2, (s + n) / 2];
}

/** A rectangle around the centre spanning `share` of the bounding box each way, closed. */
export function innerBox(g: Polygonal, share = 0.3): Ring {
  const [w, s, e, n] = bbox(g);
  const [cx, cy] = center(g);
  const [dx, dy] = [((e - w) * share) / 2, ((n - s) * share) / 2];
  return [
    [cx - dx, cy - dy],
    [cx + dx, cy - dy],
    [cx + dx, cy + dy],
    [cx - dx, cy + dy],
    [cx - dx, cy - dy],
  ];
}

export const control = (key: string, index = 0) => siteFile(key).controls[index]!;
export const zone = (key: string, index = 0) => siteFile(key).zones[index]!;
