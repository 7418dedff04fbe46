/**
 * Checks every AOI passes before use: rings of >= 4 [lon, lat] positions in range, closed, and not
 * crossing themselves or each other (@turf/kinks). A crossing ring makes the even-odd mask silently
 * wrong (a bow tie's halves become "inside" and "outside" by accident), so it is an error, not a note.
 */
import { kinks } from "@turf/kinks";
import { BadParameter } from "../errors.ts";

export function validatePolygons(polygons: number[][][][], label: string): void {
  for (const [k, poly] of polygons.entries()) {
    for (const [r, ring] of poly.entries()) validateRing(ring, label, `ring ${r + 1} of polygon ${k + 1}`);
    for (const [r, ring] of poly.entries()) throwAtCrossing(label, [ring], `ring ${r + 1} of polygon ${k + 1} crosses itself`);
    if (poly.length > 1) throwAtCrossing(label, poly, `rings of polygon ${k + 1} cross each other`);
  }
}

function validateRing(ring: unknown, label: string, where: string): void {
  if (!Array.isArray(ring) || ring.length < 4) throw new BadParameter(`${label}: ${where}: a ring needs at least 4 positions`);
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      throw new BadParameter(`${label}: ${where}: position ${JSON.stringify(p)} is not [lon, lat]`);
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
      throw new BadParameter(`${label}: ${where}: position [${p[0]}, ${p[1]}] is outside lon/lat range (EPSG:4326 expected)`);
  }
  const a = ring[0] as number[];
  const b = ring[ring.length - 1] as number[];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new BadParameter(`${label}: ${where}: ring is not closed (first != last position)`);
}

function throwAtCrossing(label: string, rings: number[][][], what: string): void {
  // Repeated consecutive vertices are harmless but make kinks report the shared vertex as a crossing.
  const found = kinks({ type: "Polygon", coordinates: rings.map(dropRepeats) }).features;
  if (found.length === 0) return;
  // Between rings kinks meets each crossing from both sides: count distinct places.
  const places = [...new Set(found.map((f) => f.geometry.coordinates.map((v) => Number(v.toFixed(6))).join(", ")))];
  const more = places.length > 1 ? ` (and ${places.length - 1} more)` : "";
  throw new BadParameter(`${label}: ${what} near [${places[0]}]${more}`);
}

function dropRepeats(ring: number[][]): number[][] {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]);
}
