/**
 * A small least-recently-used map with an eviction callback, bounded in entries and in bytes: each
 * entry has a size (given on set, or later with resize when it is only known once a promise
 * settles), and the oldest entries go while either bound is exceeded.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; bytes: number }>();
  private total = 0;
  constructor(
    private readonly max: number,
    private readonly onEvict?: (v: V) => void,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (e !== undefined) {
      this.map.delete(k);
      this.map.set(k, e);
    }
    return e?.v;
  }

  set(k: K, v: V, bytes = 0): void {
    this.delete(k);
    this.map.set(k, { v, bytes });
    this.total += bytes;
    this.trim(k);
  }

  /** Sets the size of an entry still held, as a use of it (a no-op when it was evicted meanwhile). */
  resize(k: K, bytes: number): void {
    const e = this.map.get(k);
    if (!e) return;
    this.map.delete(k);
    this.map.set(k, e);
    this.total += bytes - e.bytes;
    e.bytes = bytes;
    this.trim(k);
  }

  delete(k: K): void {
    const e = this.map.get(k);
    if (!e) return;
    this.map.delete(k);
    this.total -= e.bytes;
  }

  get size(): number {
    return this.map.size;
  }

  /** The sum of the entries' sizes. */
  get bytes(): number {
    return this.total;
  }

  /** Evicts the oldest entries while a bound is exceeded; `keep` (the newest, just set) stays, even alone over the byte bound. */
  private trim(keep: K): void {
    while (this.map.size > this.max || (this.total > this.maxBytes && this.map.size > 1)) {
      const [oldK, old] = this.map.entries().next().value as [K, { v: V; bytes: number }];
      if (oldK === keep) break;
      this.map.delete(oldK);
      this.total -= old.bytes;
      this.onEvict?.(old.v);
    }
  }
}
