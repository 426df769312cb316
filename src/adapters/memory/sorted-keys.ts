/**
 * A sorted array of string keys with binary search. Keys are built so that string order is the
 * wanted order (ISO timestamps, then ids, joined by U+0000), which keeps comparisons cheap.
 * Inserts and removals near the end (the common case: new activity is newest) move little.
 */
export class SortedKeys {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: string): void {
    const n = this.keys.length;
    if (n === 0 || this.keys[n - 1]! < key) this.keys.push(key);
    else this.keys.splice(this.lowerBound(key), 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Up to `limit` keys strictly after `cursor` (or from the start), ascending. */
  after(cursor: string | null | undefined, limit: number): string[] {
    let i = cursor == null ? 0 : this.lowerBound(cursor);
    if (cursor != null && this.keys[i] === cursor) i += 1;
    return this.keys.slice(i, i + limit);
  }

  /** Up to `limit` keys strictly before `cursor` (or from the end), descending. */
  before(cursor: string | null | undefined, limit: number): string[] {
    const end = cursor == null ? this.keys.length : this.lowerBound(cursor);
    const out: string[] = [];
    for (let i = end - 1; i >= 0 && out.length < limit; i -= 1) out.push(this.keys[i]!);
    return out;
  }
}

/** The sort key of a record: its timestamp, then its id. */
export const sortKey = (at: string, id: string): string => `${at}\u0000${id}`;

/** The id part of a {@link sortKey}. */
export const idOfKey = (key: string): string => key.slice(key.indexOf('\u0000') + 1);
