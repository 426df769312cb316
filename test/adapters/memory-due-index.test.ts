import { describe, expect, it } from 'vitest';
import { memoryStore, type Conversation } from '../../src/index.js';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

function conversation(i: number, dueMinute: number): Conversation {
  return {
    id: `conv_${String(i).padStart(5, '0')}`,
    contactId: `ct_${i}`,
    channel: 'whatsapp',
    state: 'active',
    assignee: null,
    openedAt: t(0),
    lastActivityAt: t(0),
    lastInboundAt: t(0),
    requestedAt: null,
    intervenedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    archivedAt: null,
    historyDueAt: t(dueMinute),
    version: 1,
  };
}

describe('memory store due index', () => {
  it('lists exactly the due conversations after thousands of due-time moves and archives', async () => {
    const store = memoryStore();
    // 3,000 conversations due at minutes 0..2999, committed out of order to split index chunks.
    const all = Array.from({ length: 3_000 }, (_, k) => (k * 7) % 3_000).map((i) => conversation(i, i));
    await store.commit({ conversations: all.map((record) => ({ record, expectedVersion: null })) });
    // New activity pushes every third one far out; every fifth one goes to History.
    const moved = all.filter((c) => Number(c.id.slice(5)) % 3 === 0);
    await store.commit({ conversations: moved.map((c) => ({ record: { ...c, historyDueAt: t(10_000), version: 2 }, expectedVersion: 1 })) });
    const archived = all.filter((c) => Number(c.id.slice(5)) % 3 !== 0 && Number(c.id.slice(5)) % 5 === 0);
    await store.commit({ conversations: archived.map((c) => ({ record: { ...c, state: 'history', version: 2 }, expectedVersion: 1 })) });

    const expected = Array.from({ length: 2_001 }, (_, i) => i)
      .filter((i) => i % 3 !== 0 && i % 5 !== 0)
      .map((i) => `conv_${String(i).padStart(5, '0')}`);
    const due = await store.listDue({ now: t(2_000), limit: 5_000 });
    expect(due.map((c) => c.id)).toEqual(expected);
    expect((await store.listDue({ now: t(2_000), limit: 10 })).map((c) => c.id)).toEqual(expected.slice(0, 10));
    // The moved ones come due at their new time, once each.
    expect(await store.listDue({ now: t(10_000), limit: 5_000 })).toHaveLength(3_000 - archived.length);
  });

  it('answers with the latest version of each due conversation, also when its due time did not move', async () => {
    const store = memoryStore();
    const c = conversation(1, 5);
    await store.commit({ conversations: [{ record: c, expectedVersion: null }] });
    const taken = { ...c, state: 'intervened' as const, assignee: 'asha', intervenedAt: t(1), version: 2 };
    await store.commit({ conversations: [{ record: taken, expectedVersion: 1 }] });
    expect(await store.listDue({ now: t(5), limit: 10 })).toEqual([taken]);
    expect(await store.listDue({ now: t(4), limit: 10 })).toEqual([]);
  });
});
