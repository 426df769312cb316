import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PostgresStore } from '../../../src/adapters/postgres/index.js';
import { MAX_GROUP } from '../../../src/adapters/postgres/commit-group.js';
import { createLiveChat, silentLogger, type ChangeSet, type CommitResult, type Conversation, type Message, type OutboxItem } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';
import { migratedStore, sharedPglite } from './databases.js';

const AT = '2026-04-01T10:00:00.000Z';

/** An outbound message and its send, queued for `conversation`. */
function reply(conversation: Conversation, n: number): { message: Message; send: OutboxItem } {
  const message: Message = {
    id: `msg_group_${n}`,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    channel: 'whatsapp',
    direction: 'outbound',
    author: { type: 'bot' },
    content: { type: 'text', text: `reply ${n}` },
    externalId: null,
    replyTo: null,
    status: 'pending',
    error: null,
    at: AT,
    statusAt: AT,
  };
  const send: OutboxItem = {
    id: `obx_group_${n}`,
    messageId: message.id,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    channel: 'whatsapp',
    to: '+15550000',
    content: { type: 'text', text: `reply ${n}` },
    replyTo: null,
    attempts: 0,
    dueAt: AT,
    leaseUntil: null,
    createdAt: AT,
    lastError: null,
  };
  return { message, send };
}

// The store contract checks what concurrent commits answer; these check that on PGlite they do
// share transactions, and what a group does with claims and with errors.
describe('commits grouped on PGlite', () => {
  let db: PGlite;
  let store: PostgresStore;
  beforeAll(async () => {
    db = await sharedPglite();
    store = await migratedStore(db, 'grouped');
  }, 60_000);

  /** The commit functions PGlite was called with while `fn` ran, in order. */
  async function commitCalls(fn: () => Promise<unknown>): Promise<string[]> {
    const calls = vi.spyOn(db, 'execProtocolStream');
    try {
      await fn();
      return calls.mock.calls.flatMap(([message]) => /commit_(group|changes)\(/.exec(new TextDecoder().decode(message))?.[1] ?? []);
    } finally {
      calls.mockRestore();
    }
  }

  /** Commits the change sets at once: the commit functions called, and each one's result. */
  async function commitAtOnce(changeSets: ChangeSet[]): Promise<{ calls: string[]; results: CommitResult[] }> {
    let results: CommitResult[] = [];
    const calls = await commitCalls(async () => {
      results = await Promise.all(changeSets.map((changes) => store.commit(changes)));
    });
    return { calls, results };
  }

  /** The conversation after one more activity, at its next version. */
  const later = (c: Conversation, at = '2026-04-01T10:05:00.000Z'): Conversation => ({ ...c, lastActivityAt: at, version: c.version + 1 });

  it('commits the messages that arrive while one is in the database together, at most MAX_GROUP to a transaction', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const customers = Array.from({ length: MAX_GROUP + 8 }, (_, i) => `+1555020${String(i).padStart(4, '0')}`);
    const text = (n: number) => ({ type: 'text' as const, text: `message ${n}` });
    // Known customers (in the engine's inbound cache), so receiving is the commit and nothing else.
    for (const [i, from] of customers.entries()) await chat.receive({ channel: 'whatsapp', from, externalId: `wamid.g.first.${i}`, content: text(0) });
    const calls = await commitCalls(() =>
      Promise.all(customers.map((from, i) => chat.receive({ channel: 'whatsapp', from, externalId: `wamid.g.second.${i}`, content: text(1) }))),
    );
    // The first alone; the rest waited behind it: a full group, then what was left.
    expect(calls).toEqual(['changes', 'group', 'group']);
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${store.schema}.messages where external_id like 'wamid.g.second.%'`);
    expect(rows[0]!.n).toBe(customers.length);
    const { rows: versions } = await db.query<{ version: number }>(`select distinct c.version from ${store.schema}.conversations c join ${store.schema}.contacts k on k.id = c.contact_id where k.address like '+1555020%'`);
    expect(versions).toEqual([{ version: 2 }]);
  });

  it('answers each commit of a group with the sends it claimed', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const chats: Conversation[] = [];
    for (const n of [1, 2, 3]) chats.push((await chat.receive({ channel: 'whatsapp', from: `+155503000${n}`, externalId: `wamid.g.claim.${n}`, content: { type: 'text', text: 'hi' } })).conversation);
    const replies = chats.map((conversation, n) => reply(conversation, n));
    const { calls, results } = await commitAtOnce(
      replies.map(({ message, send }) => ({ messages: [message], outboxInserts: [send], claimOutboxUntil: '2026-04-01T10:01:00.000Z' })),
    );
    expect(calls).toEqual(['changes', 'group']);
    expect(results).toEqual(replies.map(({ send }) => ({ ok: true, claimed: [send.id] })));
  });

  it('keeps commits that write one record in separate transactions', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550600001', externalId: 'wamid.g.same.1', content: { type: 'text', text: 'hi' } });
    const { conversation: other } = await chat.receive({ channel: 'whatsapp', from: '+15550600002', externalId: 'wamid.g.same.2', content: { type: 'text', text: 'hi' } });
    const { calls, results } = await commitAtOnce([
      { conversations: [{ record: later(other), expectedVersion: other.version }] },
      { conversations: [{ record: later(conversation), expectedVersion: conversation.version }] },
      { conversations: [{ record: conversation, expectedVersion: null }] },
    ]);
    // The update and the insert of one conversation would refuse the group they shared.
    expect(calls).toEqual(['changes', 'changes', 'changes']);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: false, conflict: { kind: 'unique', entity: 'conversation', id: conversation.id } }]);
  });

  it('keeps a check of a contact apart from the commit that writes it, so the group is not undone', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const { contact, conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550600003', externalId: 'wamid.g.check.1', content: { type: 'text', text: 'hi' } });
    const renamed = { ...contact, name: 'Renamed', version: contact.version + 1 };
    const { calls, results } = await commitAtOnce([
      { conversations: [{ record: later(conversation), expectedVersion: conversation.version }] },
      { contacts: [{ record: renamed, expectedVersion: contact.version }] },
      { contactChecks: [{ id: contact.id, version: contact.version }] },
    ]);
    expect(calls).toEqual(['changes', 'changes', 'changes']);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: false, conflict: { kind: 'version', entity: 'contact', id: contact.id } }]);
  });

  it('goes on committing after a change set without the shape of one', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550500001', externalId: 'wamid.g.shape.1', content: { type: 'text', text: 'hi' } });
    const next = later(conversation);
    const last = later(next, '2026-04-01T10:06:00.000Z');
    // The malformed one waits, with another, behind the first: the group is chosen around it.
    const settled = await Promise.allSettled([
      store.commit({ conversations: [{ record: next, expectedVersion: conversation.version }] }),
      store.commit({ contacts: [{ expectedVersion: null } as never] }),
      store.commit({ conversations: [{ record: last, expectedVersion: next.version }] }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.getConversation(conversation.id)).toEqual(last);
    // And the next commit is not left waiting behind it.
    expect(await store.commit({ conversations: [{ record: { ...last, version: last.version + 1 }, expectedVersion: last.version }] })).toEqual({ ok: true });
  });

  it('gives an error to its own commit only, when a change set of a group fails for another reason than a conflict', async () => {
    const chat = createLiveChat({ store, clock: manualClock(AT), logger: silentLogger });
    const chats: Conversation[] = [];
    for (const n of [1, 2, 3, 4]) chats.push((await chat.receive({ channel: 'whatsapp', from: `+155504000${n}`, externalId: `wamid.g.error.${n}`, content: { type: 'text', text: 'hi' } })).conversation);
    const [first, good, bad, last] = chats.map((c) => later(c));
    const commit = (record: Conversation, expected: number) => store.commit({ conversations: [{ record, expectedVersion: expected }] });
    let settled: PromiseSettledResult<unknown>[] = [];
    const calls = await commitCalls(async () => {
      settled = await Promise.allSettled([
        commit(first!, chats[0]!.version),
        commit(good!, chats[1]!.version),
        // Not a state the schema allows: the database refuses it with a check violation.
        commit({ ...bad!, state: 'lost' as Conversation['state'] }, chats[2]!.version),
        commit(last!, chats[3]!.version),
      ]);
    });
    // The group failed as a whole, and each of its commits was made alone.
    expect(calls).toEqual(['changes', 'group', 'changes', 'changes', 'changes']);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
    expect(await store.getConversation(good!.id)).toEqual(good);
    expect(await store.getConversation(last!.id)).toEqual(last);
    expect((await store.getConversation(bad!.id))?.version).toBe(chats[2]!.version);
  });
});
