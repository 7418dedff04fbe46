/** Decimal-year positions of dates, and several series aligned on one x axis (the chart's data layout). */

export type Col = (number | null | undefined)[];

/** A site's season window ("MM-DD" both; end before start = into the next year). */
export interface Season {
  start: string;
  end: string;
}

/**
 * Decimal year of an annual composite "2019" (the middle of its season window, so that a
 * dry-season composite of October-February sits among its own observations; mid-year without a
 * season) or of a date "2019-01-14" / "2019-01-14T02:50:12Z".
 */
export function decimalYear(date: string, season?: Season): number {
  if (/^\d{4}$/.test(date)) {
    const y = Number(date);
    if (!season) return y + 0.5;
    const endYear = season.end < season.start ? y + 1 : y;
    return (decimalYear(`${y}-${season.start}`) + decimalYear(`${endYear}-${season.end}`)) / 2;
  }
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const y = d.getUTCFullYear();
  const start = Date.UTC(y, 0, 1);
  return y + (d.getTime() - start) / (Date.UTC(y + 1, 0, 1) - start);
}

/** Places columns given at their own x positions on one sorted x axis (undefined where a column has no value). */
export function align(groups: { xs: number[]; cols: Col[] }[]): { x: number[]; cols: Col[] } {
  const x = [...new Set(groups.flatMap((g) => g.xs))].sort((a, b) => a - b);
  const at = new Map(x.map((v, i) => [v, i]));
  const cols: Col[] = [];
  for (const g of groups)
    for (const c of g.cols) {
      const out: Col = new Array(x.length).fill(undefined);
      for (const [i, v] of g.xs.entries()) out[at.get(v)!] = c[i] ?? null;
      cols.push(out);
    }
  return { x, cols };
}
