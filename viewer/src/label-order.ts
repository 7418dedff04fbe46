/**
 * The order in which the labelling mode shows the sample's points, and where it resumes. The
 * order is a hash of (strata seed, point id): the same after every reload and for every labeller,
 * and unrelated to the map class, so that a sheet written class by class does not tell the
 * labeller the class of the point on screen (blind labelling).
 */

/** FNV-1a, 32 bit, then MurmurHash3's finaliser (short ids differing in one digit land far apart). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function presentationOrder<T extends { id: string }>(points: T[], seed: number): T[] {
  const key = new Map(points.map((p) => [p.id, hash(`${seed}:${p.id}`)]));
  return [...points].sort((a, b) => key.get(a.id)! - key.get(b.id)! || (a.id < b.id ? -1 : 1));
}

/** Index of the first point at or after `from` (wrapping round) that has no saved row; -1 when every point has one. */
export function nextOpen(points: { id: string }[], saved: ReadonlySet<string> | ReadonlyMap<string, unknown>, from = 0): number {
  for (let k = 0; k < points.length; k++) {
    const i = (from + k) % points.length;
    if (!saved.has(points[i]!.id)) return i;
  }
  return -1;
}
