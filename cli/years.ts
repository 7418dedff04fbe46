/** Year arguments of the composites commands, checked with one-line errors naming the flag. */
import { BadParameter } from "../pipeline/src/index.ts";

export function parseYear(v: unknown, flag: string): number {
  const s = String(v ?? "").trim();
  if (!/^\d{4}$/.test(s)) throw new BadParameter(`${flag} ${s}: expected a year such as 2006`);
  return Number(s);
}

export function parseYearRange(v: unknown, flag: string): [number, number] {
  const m = /^(\d{4})-(\d{4})$/.exec(String(v ?? "").trim());
  if (!m) throw new BadParameter(`${flag} ${String(v)}: expected YYYY-YYYY, e.g. 2003-2005`);
  const r: [number, number] = [Number(m[1]), Number(m[2])];
  if (r[0] > r[1]) throw new BadParameter(`${flag} ${String(v)}: the first year is after the last`);
  return r;
}

export function parseNumber(v: unknown, flag: string, check: (x: number) => boolean, expected: string): number {
  const x = Number(v);
  if (String(v ?? "").trim() === "" || !Number.isFinite(x) || !check(x)) throw new BadParameter(`${flag} ${String(v)}: expected ${expected}`);
  return x;
}
