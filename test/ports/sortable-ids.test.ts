import { describe, expect, it } from 'vitest';
import { sortableIds } from '../../src/index.js';

describe('sortableIds', () => {
  it('makes prefixed ids of 12 time, 6 sequence and 16 random hex digits', () => {
    const id = sortableIds(() => 0x0123456789ab)('msg');
    expect(id).toMatch(/^msg_0123456789ab000000[0-9a-f]{16}$/);
  });

  it('orders ids by creation, within one millisecond and across milliseconds', () => {
    let ms = 1_000;
    const ids = sortableIds(() => ms);
    const made: string[] = [];
    for (let i = 0; i < 3_000; i += 1) {
      if (i % 1_000 === 999) ms += 1;
      made.push(ids('jev'));
    }
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('keeps order past 65,536 ids in one millisecond, where the sequence changes how it is written', () => {
    const ids = sortableIds(() => 7);
    const made = Array.from({ length: 70_000 }, () => ids('m'));
    expect(made[0]).toMatch(/^m_000000000007000000[0-9a-f]{16}$/);
    expect(made[0x10000]).toMatch(/^m_000000000007010000[0-9a-f]{16}$/);
    expect(made.every((id, i) => i === 0 || made[i - 1]! < id)).toBe(true);
  });

  it('draws fresh random bits for every id, past the size of its random pool', () => {
    const ids = sortableIds(() => 5);
    const randoms = Array.from({ length: 5_000 }, () => ids('c').slice(-16));
    expect(new Set(randoms).size).toBe(randoms.length);
    // Two generators (two engine instances) at the same millisecond still differ.
    expect(sortableIds(() => 5)('c')).not.toBe(sortableIds(() => 5)('c'));
  });
});
