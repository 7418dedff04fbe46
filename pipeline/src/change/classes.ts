/**
 * The per-year change classes of a site run (docs/change-rules.md), as pure functions:
 * 0 no data, 1 stable, 2 disturbed, 3 recovering, 4 restored.
 * After the onset of a pixel's greatest loss, rho = (NDVI - bare) / (NDVI_pre - bare) is roughly the
 * share of the former vegetation cover present (NDVI_pre: mean NDVI of the years before the
 * onset; bare: the site's 1st percentile of composite NDVI). Restored when rho >= 0.8, recovering
 * (partially restored) when rho >= 0.5, else disturbed; a pixel whose former cover was within 0.05
 * NDVI of bare ground stays disturbed (rho would be noise). Before the onset, or with no onset:
 * stable. These classes measure recovery against the pixel's OWN former cover; the recovery
 * metrics (recovery-metrics.ts) measure it against a recovery target.
 */

export const CLASS_NAMES: Record<number, string> = {
  1: "stable",
  2: "disturbed",
  3: "recovering",
  4: "restored",
};

export const CLASS_THRESHOLDS = {
  /** rho at or above which a pixel is recovering (partially restored). */
  recovering: 0.5,
  /** rho at or above which a pixel is restored. */
  restored: 0.8,
  /** NDVI_pre - bare at or below which rho is not computed (the pixel stays disturbed). */
  minVegetationContrast: 0.05,
} as const;

/** rho = (x - bare) / (pre - bare). */
export function recoveryShare(x: number, pre: number, bare: number): number {
  return (x - bare) / (pre - bare);
}

/** Class of one year's value: `afterOnset` when the year is at or after the disturbance onset. */
export function classOfYear(x: number, afterOnset: boolean, pre: number, bare: number): number {
  if (!Number.isFinite(x)) return 0;
  if (!afterOnset) return 1;
  if (!Number.isFinite(pre) || pre - bare <= CLASS_THRESHOLDS.minVegetationContrast) return 2;
  const rho = recoveryShare(x, pre, bare);
  return rho >= CLASS_THRESHOLDS.restored ? 4 : rho >= CLASS_THRESHOLDS.recovering ? 3 : 2;
}

/** Mean of the finite values of the years before `onset` (NDVI_pre); NaN when there are none. */
export function preDisturbanceMean(x: ArrayLike<number>, years: readonly number[], onset: number): number {
  const v: number[] = [];
  for (let k = 0; k < years.length; k++) if (years[k]! < onset && Number.isFinite(x[k]!)) v.push(Number(x[k]));
  return v.length ? v.reduce((s, a) => s + a, 0) / v.length : Number.NaN;
}

/**
 * Bare-ground level: the q-quantile (lower order statistic) of the finite values inside `mask`
 * over the whole stack, sampling every `stride`-th pixel; 0 when there is none.
 */
export function bareLevel(stack: readonly Float32Array[], mask: Uint8Array, q = 0.01, stride = 3): number {
  const s = new BareLevelSample(stride);
  for (const a of stack) s.add(a, mask, 0);
  return s.level(q);
}

/**
 * The bare level's sample gathered strip by strip: the pixels whose index in the whole grid is a
 * multiple of `stride`, as bareLevel takes them, kept as float32 (the composites' own type: 4
 * bytes per sampled value). The order statistic does not depend on the order values arrive in.
 */
export class BareLevelSample {
  private values = new Float32Array(1024);
  private n = 0;

  constructor(private readonly stride = 3) {}

  /** A strip of one year's values whose first pixel is pixel `offset` of the grid, with the strip's mask. */
  add(a: Float32Array, mask: Uint8Array, offset: number): void {
    const first = (this.stride - (offset % this.stride)) % this.stride;
    for (let i = first; i < a.length; i += this.stride) {
      if (!mask[i] || !Number.isFinite(a[i]!)) continue;
      if (this.n === this.values.length) {
        const grown = new Float32Array(this.n * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.n++] = a[i]!;
    }
  }

  level(q: number): number {
    const v = this.values.subarray(0, this.n).sort();
    return this.n ? v[Math.floor(q * (this.n - 1))]! : 0;
  }
}
