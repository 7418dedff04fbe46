/**
 * Zone statistics of a raster read strip by strip, exactly as zoneStats (zonal.ts) gives them over
 * the whole raster, in memory bounded by a strip and a histogram per zone rather than every zone
 * value. Two passes over the strips:
 * 1. per zone, the pixel counts, the sum in pixel order (so the mean is the same to the bit) and a
 *    histogram of the values' top 16 bits in an order-keeping form;
 * 2. the values of the histogram buckets that hold the ranks the percentiles need, sorted per
 *    bucket, which gives those order statistics exactly.
 * A radix-style selection like this is the usual way to an exact quantile out of core; no library
 * here does it over our strips, hence the hand-written passes.
 */
import { strips, wholeWindow } from "../grid.ts";
import type { Grid } from "../raster.ts";
import { countClasses, type ZoneStats } from "./zonal.ts";

/** Rows y0 .. y0 + rows - 1 of a raster on the grid. */
export type StripRead<T = Float32Array> = (y0: number, rows: number) => Promise<T>;

const QUANTILES = [0.1, 0.5, 0.9] as const;
const BUCKETS = 1 << 16;

/** Float32 bits as an unsigned key that sorts as the numbers do (-0 before +0). */
const orderKey = (bits: number): number => (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;

/** One zone's first-pass tallies. */
interface Tally {
  inZone: number;
  count: number;
  sum: number;
  histogram: Uint32Array;
}

/** Statistics of the raster inside each zone (whole-grid masks), rounded as zoneStats rounds them. */
export async function zoneStatsInStrips(read: StripRead, zones: readonly Uint8Array[], grid: Grid, rows: number): Promise<ZoneStats[]> {
  const tallies: Tally[] = zones.map(() => ({ inZone: 0, count: 0, sum: 0, histogram: new Uint32Array(BUCKETS) }));
  await eachStrip(read, grid, rows, (values, at) => {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (const [z, zone] of zones.entries()) tallyStrip(values, bits, zone, at, tallies[z]!);
  });
  const wanted = tallies.map(wantedBuckets);
  const picked = wanted.map((w) => new Map([...w.keys()].map((b) => [b, [] as number[]])));
  if (wanted.some((w) => w.size > 0))
    await eachStrip(read, grid, rows, (values, at) => {
      const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
      zones.forEach((zone, z) => {
        const lists = picked[z]!;
        if (lists.size === 0) return;
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          if (zone[at + i] && v === v) lists.get(orderKey(bits[i]!) >>> 16)?.push(v);
        }
      });
    });
  return tallies.map((t, z) => statsOf(t, wanted[z]!, picked[z]!));
}

/** Pixels of each class value (0 skipped) inside each zone. */
export async function classCountsInStrips(read: StripRead<Uint8Array>, zones: readonly Uint8Array[], grid: Grid, rows: number): Promise<Map<number, number>[]> {
  const counts = zones.map(() => new Map<number, number>());
  await eachStrip(read, grid, rows, (classes, at) => {
    for (const [z, zone] of zones.entries()) countClasses(classes, zone, at, counts[z]!);
  });
  return counts;
}

async function eachStrip<T>(read: StripRead<T>, grid: Grid, rows: number, visit: (values: T, at: number) => void): Promise<void> {
  for (const { y: y0, height: h } of strips(wholeWindow(grid), rows)) visit(await read(y0, h), y0 * grid.width);
}

function tallyStrip(values: Float32Array, bits: Uint32Array, zone: Uint8Array, at: number, t: Tally): void {
  for (let i = 0; i < values.length; i++) {
    if (!zone[at + i]) continue;
    t.inZone++;
    const v = values[i]!;
    if (v !== v) continue;
    t.count++;
    t.sum += v;
    t.histogram[orderKey(bits[i]!) >>> 16]!++;
  }
}

/** The ranks the percentiles read (as quantileSorted interpolates): lower and upper neighbour of (n - 1) q. */
function neededRanks(n: number): number[] {
  return QUANTILES.flatMap((q) => {
    const lo = Math.floor((n - 1) * q);
    return [lo, Math.min(n - 1, lo + 1)];
  });
}

/** Bucket -> rank of its first value, for the buckets holding a needed rank. */
function wantedBuckets(t: Tally): Map<number, number> {
  const out = new Map<number, number>();
  if (t.count === 0) return out;
  const ranks = neededRanks(t.count).sort((a, b) => a - b);
  let start = 0;
  let r = 0;
  for (let b = 0; b < BUCKETS && r < ranks.length; b++) {
    const end = start + t.histogram[b]!;
    while (r < ranks.length && ranks[r]! < end) {
      out.set(b, start);
      r++;
    }
    start = end;
  }
  return out;
}

function statsOf(t: Tally, wanted: Map<number, number>, picked: Map<number, number[]>): ZoneStats {
  if (t.count === 0) return { mean: null, p10: null, p50: null, p90: null, count: 0, validFraction: 0 };
  const sorted = new Map([...picked].map(([b, list]) => [b, Float64Array.from(list).sort()]));
  const starts = [...wanted].sort((a, b) => a[1] - b[1]);
  const orderStat = (rank: number): number => {
    const [bucket, start] = starts.findLast(([, s]) => s <= rank)!;
    return sorted.get(bucket)![rank - start]!;
  };
  const percentile = (q: number): number => {
    const h = (t.count - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(t.count - 1, lo + 1);
    return orderStat(lo) + (h - lo) * (orderStat(hi) - orderStat(lo));
  };
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    mean: r(t.sum / t.count),
    p10: r(percentile(0.1)),
    p50: r(percentile(0.5)),
    p90: r(percentile(0.9)),
    count: t.count,
    validFraction: r(t.count / t.inZone),
  };
}
