/** Keys per chunk before it splits: small enough that a splice inside one is cheap. */
const CHUNK = 512;

/**
 * A sorted list of string keys with binary search. Keys are built so that string order is the
 * wanted order (ISO timestamps, then ids, joined by U+0000), which keeps comparisons cheap.
 *
 * The keys live in sorted chunks of at most {@link CHUNK}, not one array: a conversation that
 * moves (new activity, a state change) is removed from wherever it sat, often the oldest end,
 * and a splice in one flat array would move every key after it, making each move cost the
 * size of the inbox and a sweep of a million stored chats cost far more than what is due.
 */
export class SortedKeys<V = never> {
  private readonly chunks: string[][] = [];
  // With `withValues`, each key carries a value in a parallel chunk (the due index keeps the
  // conversation itself, so finding what is due reads no other map).
  private readonly values: V[][] | null;
  private count = 0;

  constructor(withValues = false) {
    this.values = withValues ? [] : null;
  }

  get size(): number {
    return this.count;
  }

  /** The first position whose key is >= `key`: a chunk index and an index inside it. */
  private lowerBound(key: string): [chunk: number, index: number] {
    const chunks = this.chunks;
    if (chunks.length === 0) return [0, 0];
    // The first chunk whose last key is >= key; past every key means the end of the last chunk.
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = chunks[mid]!;
      if (last[last.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return [lo - 1, chunks[lo - 1]!.length];
    const keys = chunks[lo]!;
    let a = 0;
    let b = keys.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (keys[mid]! < key) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  /** Adds `key` (with its `value` when this index keeps values). */
  insert(key: string, value?: V): void {
    this.count += 1;
    const { chunks, values } = this;
    const tail = chunks[chunks.length - 1];
    // New activity is the newest key: append without searching.
    if (tail && tail[tail.length - 1]! < key && tail.length < CHUNK) {
      tail.push(key);
      values?.[values.length - 1]!.push(value as V);
      return;
    }
    if (!tail) {
      chunks.push([key]);
      values?.push([value as V]);
      return;
    }
    const [c, i] = this.lowerBound(key);
    const keys = chunks[c]!;
    keys.splice(i, 0, key);
    values?.[c]!.splice(i, 0, value as V);
    if (keys.length > CHUNK) {
      chunks.splice(c + 1, 0, keys.splice(CHUNK >>> 1));
      values?.splice(c + 1, 0, values[c]!.splice(CHUNK >>> 1));
    }
  }

  /** Gives an existing `key` a new value in place (cheaper than remove and insert). */
  replace(key: string, value: V): void {
    const [c, i] = this.lowerBound(key);
    if (this.chunks[c]?.[i] === key && this.values) this.values[c]![i] = value;
  }

  remove(key: string): void {
    if (this.count === 0) return;
    const [c, i] = this.lowerBound(key);
    const keys = this.chunks[c]!;
    if (keys[i] !== key) return;
    this.count -= 1;
    if (keys.length === 1) {
      this.chunks.splice(c, 1);
      this.values?.splice(c, 1);
    } else {
      keys.splice(i, 1);
      this.values?.[c]!.splice(i, 1);
    }
  }

  /** Up to `limit` keys strictly after `cursor` (or from the start), ascending. */
  after(cursor: string | null | undefined, limit: number): string[] {
    let [c, i] = cursor == null ? [0, 0] : this.lowerBound(cursor);
    const out: string[] = [];
    for (; c < this.chunks.length && out.length < limit; c += 1, i = 0) {
      const keys = this.chunks[c]!;
      for (; i < keys.length && out.length < limit; i += 1) if (keys[i] !== cursor) out.push(keys[i]!);
    }
    return out;
  }

  /** The values of the first keys, ascending, while `keep(key)` holds and at most `limit`. */
  valuesFromStart(limit: number, keep: (key: string) => boolean): V[] {
    const out: V[] = [];
    const { chunks, values } = this;
    if (!values) throw new Error('this index keeps no values');
    for (let c = 0; c < chunks.length && out.length < limit; c += 1) {
      const keys = chunks[c]!;
      for (let i = 0; i < keys.length && out.length < limit; i += 1) {
        if (!keep(keys[i]!)) return out;
        out.push(values[c]![i]!);
      }
    }
    return out;
  }

  /** Up to `limit` keys strictly before `cursor` (or from the end), descending. */
  before(cursor: string | null | undefined, limit: number): string[] {
    const out: string[] = [];
    if (this.chunks.length === 0) return out;
    let [c, i] = cursor == null ? [this.chunks.length - 1, this.chunks[this.chunks.length - 1]!.length] : this.lowerBound(cursor);
    for (; c >= 0 && out.length < limit; c -= 1) {
      const keys = this.chunks[c]!;
      for (let j = Math.min(i, keys.length) - 1; j >= 0 && out.length < limit; j -= 1) out.push(keys[j]!);
      i = Infinity;
    }
    return out;
  }
}

/** The sort key of a record: its timestamp, then its id. */
export const sortKey = (at: string, id: string): string => `${at}\u0000${id}`;

/** The id part of a {@link sortKey}. */
export const idOfKey = (key: string): string => key.slice(key.indexOf('\u0000') + 1);
