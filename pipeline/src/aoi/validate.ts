/**
 * Checks every AOI passes before use: rings of >= 4 [lon, lat] positions in range, closed, and not
 * crossing themselves or each other. A crossing ring makes the even-odd mask silently wrong (a bow
 * tie's halves become "inside" and "outside" by accident), so it is an error, not a note.
 */
import { BadParameter, oneLine } from "../errors.ts";

export function validatePolygons(polygons: number[][][][], label: string): void {
  for (const [k, poly] of polygons.entries()) {
    // A MultiPolygon member that is not an array of rings ([5], "x") would fail on .entries() below.
    if (!Array.isArray(poly)) throw new BadParameter(`${label}: polygon ${k + 1}: ${show(poly)} is not an array of rings`);
    for (const [r, ring] of poly.entries()) validateRing(ring, label, `ring ${r + 1} of polygon ${k + 1}`);
    for (const [r, ring] of poly.entries()) throwAtCrossing(label, [ring], `ring ${r + 1} of polygon ${k + 1} crosses itself`);
    if (poly.length > 1) throwAtCrossing(label, poly, `rings of polygon ${k + 1} cross each other`);
  }
}

function validateRing(ring: unknown, label: string, where: string): void {
  if (!Array.isArray(ring) || ring.length < 4) throw new BadParameter(`${label}: ${where}: a ring needs at least 4 positions`);
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      throw new BadParameter(`${label}: ${where}: position ${show(p)} is not [lon, lat]`);
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
      throw new BadParameter(`${label}: ${where}: position [${p[0]}, ${p[1]}] is outside lon/lat range (EPSG:4326 expected)`);
  }
  const a = ring[0] as number[];
  const b = ring[ring.length - 1] as number[];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new BadParameter(`${label}: ${where}: ring is not closed (first != last position)`);
}

/** A value from the file as messages quote it: JSON, cut to 60 characters, on one line (it may hold newlines or nest 100,000 deep). */
function show(v: unknown): string {
  let s: string;
  try {
    s = String(JSON.stringify(v));
  } catch {
    s = "a value nested too deep to show";
  }
  return oneLine(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** Crossings collected before giving up counting: a zigzag of n vertices has ~n^2/4 of them. */
const MAX_CROSSINGS = 10_000;

function throwAtCrossing(label: string, rings: number[][][], what: string): void {
  // Repeated consecutive vertices are harmless but would report the shared vertex as a crossing.
  const found = crossings(rings.map(dropRepeats));
  if (found.length === 0) return;
  // Between rings each crossing is met from both sides: count distinct places.
  const places = [...new Set(found.map((p) => p.map((v) => Number(v.toFixed(6))).join(", ")))];
  const more = places.length > 1 ? ` (and ${found.length >= MAX_CROSSINGS ? "at least " : ""}${places.length - 1} more)` : "";
  throw new BadParameter(`${label}: ${what} near [${places[0]}]${more}`);
}

function dropRepeats(ring: number[][]): number[][] {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]);
}

interface Edge {
  ring: number;
  i: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  minX: number;
  maxX: number;
}

/** Sweep along the axis the edges span least of (a serpentine of long horizontal edges is swept by y). */
function sweepAxis(rings: number[][][]): 0 | 1 {
  const span = [0, 0];
  for (const ring of rings) for (let i = 0; i < ring.length - 1; i++) for (const d of [0, 1]) span[d]! += Math.abs(ring[i + 1]![d]! - ring[i]![d]!);
  return span[1]! < span[0]! ? 1 : 0;
}

/**
 * Where edges of the rings cross, as @turf/kinks finds them (the same pairs are skipped and the
 * same intersection formula is used), ordered by ring and edge as kinks reports them. kinks
 * compares every pair of edges: minutes at 100,000 vertices. Here edges are swept along one axis
 * (minX/maxX are their range on it), so only edges whose ranges overlap are compared, and
 * collection stops at MAX_CROSSINGS.
 */
function crossings(rings: number[][][]): number[][] {
  const edges: Edge[] = [];
  const axis = sweepAxis(rings);
  for (const [r, ring] of rings.entries())
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i] as [number, number];
      const [x1, y1] = ring[i + 1] as [number, number];
      const [s0, s1] = axis === 0 ? [x0, x1] : [y0, y1];
      edges.push({ ring: r, i, x0, y0, x1, y1, minX: Math.min(s0, s1), maxX: Math.max(s0, s1) });
    }
  edges.sort((a, b) => a.minX - b.minX);
  const found: { at: number[]; e: Edge; f: Edge }[] = [];
  for (let a = 0; a < edges.length && found.length < MAX_CROSSINGS; a++)
    for (let b = a + 1; b < edges.length && edges[b]!.minX <= edges[a]!.maxX; b++) {
      const [e, f] = before(edges[a]!, edges[b]!) ? [edges[a]!, edges[b]!] : [edges[b]!, edges[a]!];
      if (e.ring === f.ring && skipped(e.i, f.i, rings[e.ring]!)) continue;
      const at = intersection(e, f);
      if (at) found.push({ at, e, f });
    }
  found.sort((p, q) => p.e.ring - q.e.ring || p.e.i - q.e.i || p.f.ring - q.f.ring || p.f.i - q.f.i);
  return found.map((c) => c.at);
}

const before = (e: Edge, f: Edge) => e.ring < f.ring || (e.ring === f.ring && e.i < f.i);

/** kinks skips neighbouring edges of a ring, and its first and last edge when the ring is closed. */
function skipped(i: number, k: number, ring: number[][]): boolean {
  if (Math.abs(i - k) === 1) return true;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return i === 0 && k === ring.length - 2 && first[0] === last[0] && first[1] === last[1];
}

/** kinks' lineIntersects: the point where the segments meet, undefined when parallel or apart. */
function intersection(e: Edge, f: Edge): number[] | undefined {
  const denominator = (f.y1 - f.y0) * (e.x1 - e.x0) - (f.x1 - f.x0) * (e.y1 - e.y0);
  if (denominator === 0) return undefined;
  const dy = e.y0 - f.y0;
  const dx = e.x0 - f.x0;
  const a = ((f.x1 - f.x0) * dy - (f.y1 - f.y0) * dx) / denominator;
  const b = ((e.x1 - e.x0) * dy - (e.y1 - e.y0) * dx) / denominator;
  if (a < 0 || a > 1 || b < 0 || b > 1) return undefined;
  return [e.x0 + a * (e.x1 - e.x0), e.y0 + a * (e.y1 - e.y0)];
}
