import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../../src/adapters/memory/sorted-keys.js';

// The memory store's inbox, message and journey indexes. The model is a plain sorted array.
type Op =
  | { op: 'insert'; key: string }
  | { op: 'remove'; key: string }
  | { op: 'after' | 'before'; cursor: string | null; limit: number };

const key = fc.integer({ min: 0, max: 5_000 }).map((n) => `k${String(n).padStart(5, '0')}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), key }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('after' as const, 'before' as const), cursor: fc.option(key), limit: fc.integer({ min: 1, max: 1_500 }) }) },
);

// toEqual on long arrays is slow; it only runs to report a difference.
function same(got: string[], want: string[]) {
  if (got.length !== want.length || got.some((k, i) => k !== want[i])) expect(got).toEqual(want);
}

function modelAfter(model: string[], cursor: string | null, limit: number) {
  return model.filter((k) => cursor === null || k > cursor).slice(0, limit);
}
function modelBefore(model: string[], cursor: string | null, limit: number) {
  return model.filter((k) => cursor === null || k < cursor).reverse().slice(0, limit);
}

describe('SortedKeys', () => {
  it('answers like a sorted array under any mix of inserts, removals and pages', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1_500, maxLength: 3_000 }), (ops) => {
        const keys = new SortedKeys();
        const model: string[] = [];
        for (const o of ops) {
          if (o.op === 'insert') {
            if (model.includes(o.key)) continue; // store keys are unique (timestamp + id)
            keys.insert(o.key);
            const at = model.findIndex((k) => k > o.key);
            model.splice(at < 0 ? model.length : at, 0, o.key);
          } else if (o.op === 'remove') {
            keys.remove(o.key);
            const i = model.indexOf(o.key);
            if (i >= 0) model.splice(i, 1);
          } else if (o.op === 'after') {
            same(keys.after(o.cursor, o.limit), modelAfter(model, o.cursor, o.limit));
          } else {
            same(keys.before(o.cursor, o.limit), modelBefore(model, o.cursor, o.limit));
          }
          if (keys.size !== model.length) expect(keys.size).toBe(model.length);
        }
        same(keys.after(null, model.length + 1), model);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps order across many chunks when keys arrive out of order and leave from the oldest end', () => {
    const keys = new SortedKeys();
    const all = Array.from({ length: 20_000 }, (_, i) => `k${String((i * 7919) % 20_000).padStart(6, '0')}`);
    for (const k of all) keys.insert(k);
    const sorted = [...all].sort();
    expect(keys.after(null, 30_000)).toEqual(sorted);
    for (const k of sorted.slice(0, 15_000)) keys.remove(k);
    expect(keys.size).toBe(5_000);
    expect(keys.before(null, 3)).toEqual(sorted.slice(-3).reverse());
    expect(keys.after(sorted[15_100]!, 2)).toEqual(sorted.slice(15_101, 15_103));
    expect(keys.before(sorted[15_100]!, 200)).toEqual(sorted.slice(15_000, 15_100).reverse());
  });

  it('moves a key from the oldest end of a large index without touching the others', () => {
    // A flat array moves every later key on such a removal; chunks keep it local. This is a
    // behaviour check (size, order), the cost is measured by npm run bench (sweep).
    const keys = new SortedKeys();
    for (let i = 0; i < 100_000; i += 1) keys.insert(`k${String(i).padStart(6, '0')}`);
    keys.remove('k000000');
    keys.insert('k100000');
    expect(keys.size).toBe(100_000);
    expect(keys.after(null, 1)).toEqual(['k000001']);
    expect(keys.before(null, 1)).toEqual(['k100000']);
  });
});
