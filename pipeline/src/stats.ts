/** Streaming statistics over blocks (Welford), for STAC raster:bands statistics and zonal tables. */
export class RunningStats {
  count = 0;
  total = 0;
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private m2 = 0;

  /** Feed values; NaN counts toward `total` but not toward the statistics. */
  add(values: ArrayLike<number>, n = values.length): void {
    this.total += n;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      this.count++;
      const d = v - this.mean;
      this.mean += d / this.count;
      this.m2 += d * (v - this.mean);
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  summary(): { minimum: number; maximum: number; mean: number; stddev: number; valid_percent: number } | undefined {
    if (this.count === 0) return undefined;
    const r = (v: number) => Math.round(v * 1e6) / 1e6;
    return {
      minimum: r(this.min),
      maximum: r(this.max),
      mean: r(this.mean),
      stddev: r(Math.sqrt(this.m2 / this.count)),
      valid_percent: r((100 * this.count) / this.total),
    };
  }
}
