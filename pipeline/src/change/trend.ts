/**
 * Per-pixel Theil-Sen slope and Mann-Kendall test (docs/science.md: Compositing and time series): slope = median of
 * pairwise slopes over valid pairs i < j; S = sum sign(x_j - x_i); Var(S) with the tie correction;
 * Z with continuity correction; two-sided p = 2 (1 - Phi(|Z|)). NaN observations are skipped.
 */
import { phi } from "./stats-dist.ts";

export interface TrendResult {
  slope: number;
  s: number;
  z: number;
  p: number;
  n: number;
}

export function theilSenMannKendall(t: ArrayLike<number>, x: ArrayLike<number>): TrendResult {
  const ts: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (Number.isFinite(x[i]!)) {
      ts.push(t[i]!);
      xs.push(x[i]!);
    }
  const n = xs.length;
  if (n < 2) return { slope: Number.NaN, s: 0, z: Number.NaN, p: Number.NaN, n };
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = xs[j]! - xs[i]!;
      s += Math.sign(d);
      if (ts[j] !== ts[i]) slopes.push(d / (ts[j]! - ts[i]!));
    }
  slopes.sort((a, b) => a - b);
  const m = slopes.length;
  const slope = m === 0 ? Number.NaN : m % 2 ? slopes[(m - 1) / 2]! : 0.5 * (slopes[m / 2 - 1]! + slopes[m / 2]!);
  const groups = new Map<number, number>();
  for (const v of xs) groups.set(v, (groups.get(v) ?? 0) + 1);
  let tie = 0;
  for (const g of groups.values()) tie += g * (g - 1) * (2 * g + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tie) / 18;
  const z = variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { slope, s, z, p: 2 * (1 - phi(Math.abs(z))), n };
}
