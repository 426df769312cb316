import { describe, expect, it } from 'vitest';
import { ContactIndex } from '../../src/adapters/memory/contact-index.js';
import type { Contact } from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';

function population(n: number) {
  const index = new ContactIndex();
  const byId = new Map<string, Contact>();
  for (let i = 0; i < n; i += 1) {
    const c: Contact = {
      id: `ct_${String(i).padStart(6, '0')}`,
      channel: 'whatsapp',
      address: `+1${i}`,
      name: null,
      attributes: { country: ['DE', 'US', 'FR', 'AT'][i % 4]!, seats: i % 100 },
      tags: i % 100 === 0 ? { rare: { source: 'api', actor: { type: 'api' }, at, conversationId: null, campaignId: null } } : {},
      referral: null,
      firstSeenAt: at,
      lastSeenAt: new Date(Date.parse(at) + i * 1000).toISOString(),
      lastInboundAt: null,
      version: 1,
    };
    index.update(undefined, c);
    byId.set(c.id, c);
  }
  let reads = 0;
  const get = (id: string) => {
    reads += 1;
    return byId.get(id)!;
  };
  return { index, get, reads: () => reads, reset: () => (reads = 0) };
}

describe('the memory store\u2019s contact index', () => {
  it('answers from the most selective index instead of reading every contact', () => {
    const p = population(10_000);
    const filter = { tags: { all: ['rare'] }, attributes: [{ key: 'country', op: 'equals' as const, value: 'DE' }] };
    expect(p.index.plan(filter)).toMatchObject({ driver: 'tag', tag: 'rare', estimate: 100 });
    expect(p.index.count(filter, p.get)).toBe(100);
    expect(p.reads()).toBe(100);

    p.reset();
    const narrow = { attributes: [{ key: 'seats', op: 'in' as const, values: [5, 6] }, { key: 'country', op: 'equals' as const, value: 'US' }] };
    expect(p.index.plan(narrow)).toMatchObject({ driver: 'attribute', estimate: 200 });
    expect(p.index.count(narrow, p.get)).toBe(100);
    expect(p.reads()).toBe(200);

    p.reset();
    expect(p.index.count({ tags: { all: ['rare'] } }, p.get)).toBe(100);
    expect(p.index.count({}, p.get)).toBe(10_000);
    expect(p.reads()).toBe(0);
  });

  it('counts by walking every contact when no index would skip most of them', () => {
    const p = population(1_000);
    let walked = 0;
    const values = function* () {
      for (let i = 0; i < 1_000; i += 1) {
        walked += 1;
        yield p.get(`ct_${String(i).padStart(6, '0')}`);
      }
    };
    const broad = { attributes: [{ key: 'seats', op: 'gte' as const, value: 10 }] };
    expect(p.index.count(broad, p.get, values)).toBe(900);
    expect(walked).toBe(1_000);
    walked = 0;
    expect(p.index.count({ tags: { all: ['rare'] } , attributes: [{ key: 'seats', op: 'exists' as const }] }, p.get, values)).toBe(10);
    expect(walked).toBe(0);
  });

  it('reads only the page it returns (plus one) when the index is in id order', () => {
    const p = population(10_000);
    const page = p.index.page({ tags: { all: ['rare'] } }, { limit: 10 }, p.get);
    expect(page.items).toHaveLength(10);
    expect(p.reads()).toBe(11);
  });

  it('says when nothing can match without reading anything', () => {
    const p = population(1_000);
    expect(p.index.plan({ tags: { all: ['ghost'] } })).toEqual({ driver: 'empty', estimate: 0 });
    expect(p.index.count({ tags: { all: ['ghost'] }, attributes: [{ key: 'seats', op: 'gt', value: 1 }] }, p.get)).toBe(0);
    expect(p.reads()).toBe(0);
  });
});
