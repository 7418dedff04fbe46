/**
 * Geometry checks of a site definition beyond its JSON shape: simple (not self-intersecting)
 * rings, zones and controls inside the AOI, names that overrides and claims can rely on.
 * Coordinates are lon/lat (EPSG:4326); at site scale straight lon/lat edges are what GeoJSON means.
 */
import type { Aoi } from "../aoi/aoi.ts";
import { parseAoi } from "../aoi/aoi.ts";
import { BadParameter, oneLine } from "../errors.ts";
import type { SiteJson } from "./schema.ts";

type Ring = number[][];

/** A name from the file quoted for a message: JSON quotes, on one line (names may hold newlines). */
const q = (name: string) => oneLine(JSON.stringify(name));

/** Even-odd test of a point against one closed ring; points on an edge count as inside. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (onSegment(x, y, xi, yi, xj, yj)) return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(x: number, y: number, x0: number, y0: number, x1: number, y1: number): boolean {
  const cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
  if (Math.abs(cross) > 1e-12) return false;
  return x >= Math.min(x0, x1) - 1e-12 && x <= Math.max(x0, x1) + 1e-12 && y >= Math.min(y0, y1) - 1e-12 && y <= Math.max(y0, y1) + 1e-12;
}

/** Inside a (multi)polygon: in some outer ring and in none of its holes. */
export function pointInAoi(x: number, y: number, aoi: Aoi): boolean {
  return aoi.polygons.some((poly) => pointInRing(x, y, poly[0]!) && !poly.slice(1).some((hole) => pointInRing(x, y, hole)));
}

/**
 * True when two non-adjacent edges of the closed ring cross or touch. Edges are taken in order of
 * their left end and each is compared only with edges starting before it ends (edges whose x ranges
 * do not overlap cannot meet): comparing all pairs took minutes on a 100,000-vertex ring.
 */
export function ringSelfIntersects(ring: Ring): boolean {
  const n = ring.length - 1;
  const left = (i: number) => Math.min(ring[i]![0]!, ring[i + 1]![0]!);
  const right = (i: number) => Math.max(ring[i]![0]!, ring[i + 1]![0]!);
  const order = Array.from({ length: Math.max(n, 0) }, (_, i) => i).sort((i, j) => left(i) - left(j));
  for (let a = 0; a < order.length; a++)
    for (let b = a + 1; b < order.length && left(order[b]!) <= right(order[a]!); b++) {
      const i = Math.min(order[a]!, order[b]!);
      const j = Math.max(order[a]!, order[b]!);
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsMeet(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return true;
    }
  return false;
}

function segmentsMeet(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o = (p: number[], q: number[], r: number[]) => Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
  const [o1, o2, o3, o4] = [o(a, b, c), o(a, b, d), o(c, d, a), o(c, d, b)];
  if (o1 !== o2 && o3 !== o4) return true;
  const within = (p: number[], q: number[], r: number[]) =>
    Math.min(p[0]!, q[0]!) <= r[0]! && r[0]! <= Math.max(p[0]!, q[0]!) && Math.min(p[1]!, q[1]!) <= r[1]! && r[1]! <= Math.max(p[1]!, q[1]!);
  return (o1 === 0 && within(a, b, c)) || (o2 === 0 && within(a, b, d)) || (o3 === 0 && within(c, d, a)) || (o4 === 0 && within(c, d, b));
}

/** Signed area of a lon/lat ring (shoelace, degrees^2): positive when counter-clockwise (RFC 7946 outer rings). */
export function ringSignedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s / 2;
}

/** Throws a one-line BadParameter naming the file and the polygon at the first problem found. */
export function checkSiteGeometry(site: SiteJson, label: string): void {
  const aoi = parseAoi(site.aoi, `${label} aoi`);
  simpleRings(aoi, `${label} aoi`);
  const names = new Set<string>();
  for (const z of [...site.zones, ...site.controls]) {
    if (names.has(z.name)) throw new BadParameter(`${label}: polygon name ${q(z.name)} is used twice`);
    names.add(z.name);
    const g = parseAoi(z.geometry, `${label} zone ${q(z.name)}`);
    simpleRings(g, `${label} zone ${q(z.name)}`);
    if ("outsideAoi" in z && z.outsideAoi) continue;
    for (const poly of g.polygons)
      for (const [x, y] of poly[0]!)
        if (!pointInAoi(x!, y!, aoi))
          throw new BadParameter(`${label}: zone ${q(z.name)} has a vertex [${x}, ${y}] outside the AOI (set outsideAoi if that is meant)`);
  }
  for (const o of site.maskOverrides)
    for (const n of o.zones)
      if (!site.zones.some((z) => z.name === n))
        throw new BadParameter(`${label}: mask override ${q(o.name)} names zone ${q(n)}, which the site does not define`);
  if (new Set(site.claims).size !== site.claims.length) throw new BadParameter(`${label}: claims lists an id twice`);
  checkPlantedEvents(site, label);
}

/** Planted events must be complete and in order: a year for every change, restoration after it. */
export function checkPlantedEvents(site: SiteJson, label: string): void {
  if (site.simulated && !site.simulation) throw new BadParameter(`${label}: a simulated site needs a "simulation" block (vegetation, soil, cover...)`);
  for (const z of site.zones) {
    const s = z.simulation;
    if (!s || s.event === "stable") continue;
    const at = `${label}: zone ${q(z.name)} simulation`;
    if (s.year === undefined) throw new BadParameter(`${at}: event ${s.event} needs a year`);
    if (s.yearEnd !== undefined && s.yearEnd < s.year) throw new BadParameter(`${at}: yearEnd ${s.yearEnd} is before year ${s.year}`);
    if (s.event !== "restoration") continue;
    if (s.restorationStart === undefined || s.rate === undefined) throw new BadParameter(`${at}: restoration needs restorationStart and rate`);
    if (s.restorationStart < (s.yearEnd ?? s.year))
      throw new BadParameter(`${at}: restorationStart ${s.restorationStart} is before the disturbance (${s.year})`);
  }
}

function simpleRings(aoi: Aoi, label: string): void {
  for (const poly of aoi.polygons) for (const ring of poly) if (ringSelfIntersects(ring)) throw new BadParameter(`${label}: a ring crosses itself`);
}
