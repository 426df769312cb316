import { matchesContactFilter, type AttributeCondition, type ContactFilter } from '../../model/audience.js';
import type { AttributeValue, Contact } from '../../model/contact.js';
import type { CursorQuery, Page } from '../../ports/store.js';
import { SortedKeys } from './sorted-keys.js';

// Attribute values are indexed as `<type letter><value>\0<contact id>` so that one sorted list
// per key answers equality, `in`, `exists` and ranges; numbers get an encoding whose string
// order is numeric order.
const SEP = '\u0000';

function encodeNumber(n: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n === 0 ? 0 : n); // -0 and 0 are one value
  let bits = view.getBigUint64(0);
  // Flip negatives entirely and set the sign bit of positives: unsigned order is then numeric.
  bits = bits >> 63n === 1n ? ~bits & 0xffffffffffffffffn : bits | (1n << 63n);
  return bits.toString(16).padStart(16, '0');
}

function typed(value: string | number | boolean): string {
  if (typeof value === 'number') return `n${encodeNumber(value)}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  return `s${value}`;
}

const idOf = (key: string) => key.slice(key.lastIndexOf(SEP) + 1);
const SCAN_FACTOR = 5;

/**
 * How a filter is answered: the index that yields candidates (the most selective one the
 * filter allows), and an estimate of how many it yields. Every candidate is then checked
 * against the whole filter.
 */
export type ContactPlan =
  | { driver: 'empty'; estimate: 0 }
  | { driver: 'all'; estimate: number }
  | { driver: 'tag'; tag: string; estimate: number }
  | { driver: 'tags-any'; tags: string[]; estimate: number }
  | { driver: 'attribute'; condition: AttributeCondition; estimate: number }
  | { driver: 'last-seen'; from?: string; to?: string; estimate: number };

/**
 * The memory store's contact indexes: all ids, ids per tag, attribute values per key (with a
 * count per value), and last-seen time. An audience is answered by walking the smallest
 * candidate set the filter allows, never every contact unless the filter selects on nothing
 * indexable (only `none` tags, `notEquals`, `missing`).
 */
export class ContactIndex {
  private readonly all = new SortedKeys();
  private readonly byTag = new Map<string, SortedKeys>();
  private readonly byAttribute = new Map<string, SortedKeys>();
  private readonly valueCounts = new Map<string, Map<string, number>>();
  private readonly keyCounts = new Map<string, number>();
  private readonly byLastSeen = new SortedKeys();

  /** Moves `next` into the indexes, taking `previous` (the stored version) out. */
  update(previous: Contact | undefined, next: Contact): void {
    if (!previous) this.all.insert(next.id);
    const tagsBefore = previous?.tags ?? {};
    for (const tag of Object.keys(tagsBefore)) if (!Object.hasOwn(next.tags, tag)) this.tagIndex(tag).remove(next.id);
    for (const tag of Object.keys(next.tags)) if (!Object.hasOwn(tagsBefore, tag)) this.tagIndex(tag).insert(next.id);
    const attrsBefore = previous?.attributes ?? {};
    if (attrsBefore !== next.attributes) {
      for (const [key, value] of Object.entries(attrsBefore)) if (next.attributes[key] !== value) this.unindexValue(key, value, next.id);
      for (const [key, value] of Object.entries(next.attributes)) if (!Object.hasOwn(attrsBefore, key) || attrsBefore[key] !== value) this.indexValue(key, value, next.id);
    }
    if (previous?.lastSeenAt !== next.lastSeenAt) {
      if (previous) this.byLastSeen.remove(`${previous.lastSeenAt}${SEP}${next.id}`);
      this.byLastSeen.insert(`${next.lastSeenAt}${SEP}${next.id}`);
    }
  }

  /** Chooses the candidate index for `filter`. */
  plan(filter: ContactFilter): ContactPlan {
    let best: ContactPlan = { driver: 'all', estimate: this.all.size };
    const consider = (plan: ContactPlan) => {
      if (plan.estimate < best.estimate) best = plan;
    };
    for (const tag of filter.tags?.all ?? []) consider({ driver: 'tag', tag, estimate: this.byTag.get(tag)?.size ?? 0 });
    if (filter.tags?.any) {
      const estimate = filter.tags.any.reduce((n, t) => n + (this.byTag.get(t)?.size ?? 0), 0);
      consider({ driver: 'tags-any', tags: filter.tags.any, estimate });
    }
    for (const condition of filter.attributes ?? []) {
      const counts = this.valueCounts.get(condition.key);
      const total = this.keyCounts.get(condition.key) ?? 0;
      if (condition.op === 'equals') consider({ driver: 'attribute', condition, estimate: counts?.get(typed(condition.value)) ?? 0 });
      else if (condition.op === 'in') consider({ driver: 'attribute', condition, estimate: condition.values.reduce<number>((n, v) => n + (counts?.get(typed(v)) ?? 0), 0) });
      // Ranges and `exists` are bounded by how many contacts have the key at all.
      else if (condition.op !== 'notEquals' && condition.op !== 'missing') consider({ driver: 'attribute', condition, estimate: total });
    }
    if (filter.lastSeen && (filter.lastSeen.from !== undefined || filter.lastSeen.to !== undefined)) {
      consider({ driver: 'last-seen', ...filter.lastSeen, estimate: this.all.size - 1 });
    }
    return best.estimate === 0 ? { driver: 'empty', estimate: 0 } : best;
  }

  /**
   * How many contacts match `filter`. `values` walks every contact, for filters so unselective
   * that reading each candidate by id would cost more than testing every contact in turn.
   */
  count(filter: ContactFilter, get: (id: string) => Contact, values?: () => Iterable<Contact>): number {
    const plan = this.plan(filter);
    // A filter that is exactly one tag is answered by the index's size.
    if (plan.driver === 'tag' && isOnlyTag(filter, plan.tag)) return plan.estimate;
    if (plan.driver === 'all' && isEmptyFilter(filter)) return plan.estimate;
    let n = 0;
    // Measured: reading a candidate by id costs about five steps of a plain walk at 100k contacts.
    if (values && plan.estimate * SCAN_FACTOR >= this.all.size) {
      for (const contact of values()) if (matchesContactFilter(contact, filter)) n += 1;
      return n;
    }
    for (const batch of this.candidates(plan, null)) for (const id of batch) if (matchesContactFilter(get(id), filter)) n += 1;
    return n;
  }

  /** One page of the contacts matching `filter`, by id. The cursor is the last id returned. */
  page(filter: ContactFilter, query: CursorQuery, get: (id: string) => Contact): Page<Contact> {
    const items: Contact[] = [];
    let more = false;
    walking: for (const batch of this.candidates(this.plan(filter), query.cursor ?? null)) {
      for (const id of batch) {
        const contact = get(id);
        if (!matchesContactFilter(contact, filter)) continue;
        if (items.length === query.limit) {
          more = true;
          break walking;
        }
        items.push(contact);
      }
    }
    return { items, nextCursor: more ? items[items.length - 1]!.id : null };
  }

  /** Candidate ids after `cursor`, ascending, in batches (a generator step per id costs more than the test). */
  private *candidates(plan: ContactPlan, cursor: string | null): Generator<string[]> {
    if (plan.driver === 'empty') return;
    if (plan.driver === 'all' || plan.driver === 'tag') {
      const keys = plan.driver === 'all' ? this.all : this.byTag.get(plan.tag)!;
      let from = cursor;
      for (;;) {
        const batch = keys.after(from, 1024);
        if (batch.length > 0) yield batch;
        if (batch.length < 1024) return;
        from = batch[batch.length - 1]!;
      }
    }
    // Other indexes are not in id order: collect their ids, then sort.
    const ids = new Set<string>();
    if (plan.driver === 'tags-any') {
      for (const tag of plan.tags) for (const id of walk(this.byTag.get(tag), null, () => true, (k) => k)) ids.add(id);
    } else if (plan.driver === 'last-seen') {
      const start = plan.from === undefined ? null : plan.from;
      for (const id of walk(this.byLastSeen, start, (k) => plan.to === undefined || k < plan.to, idOf)) ids.add(id);
    } else {
      for (const id of this.attributeCandidates(plan.condition)) ids.add(id);
    }
    const sorted = [...ids].sort();
    yield cursor === null ? sorted : sorted.filter((id) => id > cursor);
  }

  private *attributeCandidates(condition: AttributeCondition): Generator<string> {
    const keys = this.byAttribute.get(condition.key);
    if (!keys) return;
    const exact = (value: string | number | boolean) => {
      const prefix = typed(value) + SEP;
      return walk(keys, typed(value), (k) => k.startsWith(prefix), idOf);
    };
    switch (condition.op) {
      case 'equals':
        yield* exact(condition.value);
        return;
      case 'in':
        for (const value of condition.values) yield* exact(value);
        return;
      case 'exists':
        yield* walk(keys, null, () => true, idOf);
        return;
      case 'gt':
      case 'gte': {
        const letter = typeof condition.value === 'number' ? 'n' : 's';
        yield* walk(keys, typed(condition.value), (k) => k[0] === letter, idOf);
        return;
      }
      case 'lt':
      case 'lte': {
        const bound = typed(condition.value);
        const letter = bound[0]!;
        // Entries of this type up to the bound; equal values are filtered by the caller.
        yield* walk(keys, letter, (k) => k[0] === letter && k.slice(0, k.lastIndexOf(SEP)) <= bound, idOf);
        return;
      }
      default:
        return;
    }
  }

  private tagIndex(tag: string): SortedKeys {
    let keys = this.byTag.get(tag);
    if (!keys) this.byTag.set(tag, (keys = new SortedKeys()));
    return keys;
  }

  private indexValue(key: string, value: AttributeValue, id: string): void {
    if (value === null) return;
    let keys = this.byAttribute.get(key);
    if (!keys) this.byAttribute.set(key, (keys = new SortedKeys()));
    const t = typed(value);
    keys.insert(`${t}${SEP}${id}`);
    let counts = this.valueCounts.get(key);
    if (!counts) this.valueCounts.set(key, (counts = new Map()));
    counts.set(t, (counts.get(t) ?? 0) + 1);
    this.keyCounts.set(key, (this.keyCounts.get(key) ?? 0) + 1);
  }

  private unindexValue(key: string, value: AttributeValue, id: string): void {
    if (value === null) return;
    const t = typed(value);
    this.byAttribute.get(key)?.remove(`${t}${SEP}${id}`);
    const counts = this.valueCounts.get(key)!;
    const left = (counts.get(t) ?? 1) - 1;
    if (left === 0) counts.delete(t);
    else counts.set(t, left);
    this.keyCounts.set(key, (this.keyCounts.get(key) ?? 1) - 1);
  }
}

/** Walks `keys` strictly after `from` while `keep` holds, yielding `map(key)`. */
function* walk(keys: SortedKeys | undefined, from: string | null, keep: (key: string) => boolean, map: (key: string) => string): Generator<string> {
  if (!keys) return;
  let cursor = from;
  for (;;) {
    const batch = keys.after(cursor, 512);
    for (const key of batch) {
      if (!keep(key)) return;
      yield map(key);
    }
    if (batch.length < 512) return;
    cursor = batch[batch.length - 1]!;
  }
}

const isEmptyFilter = (f: ContactFilter) =>
  f.channel === undefined && !f.tags && !(f.attributes?.length) && !f.lastSeen;

const isOnlyTag = (f: ContactFilter, tag: string) =>
  f.channel === undefined &&
  !f.lastSeen &&
  !(f.attributes?.length) &&
  !f.tags?.any &&
  !f.tags?.none &&
  f.tags?.all?.length === 1 &&
  f.tags.all[0] === tag;
