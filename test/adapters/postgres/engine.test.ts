import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postgresEvents, postgresStore, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import { toPayload } from '../../../src/adapters/postgres/postgres-store.js';
import {
  createLiveChat,
  keywordBot,
  LiveChatError,
  memoryTransport,
  silentLogger,
  type CommitResult,
  type LiveChatEvent,
  type Store,
} from '../../../src/index.js';
import { migrations } from '../../../src/adapters/postgres/schema.js';
import { manualClock } from '../../../src/testing/index.js';
import { DATABASE_URL, dropSchema, emptyTables, migratedStore, serverPool, sharedPglite, uniqueSchema, warnWithoutServer } from './databases.js';

/** The store with every commit outcome recorded, to see the races the engine resolved. */
function recording(store: Store): Store & { outcomes: CommitResult[] } {
  const outcomes: CommitResult[] = [];
  return Object.assign(Object.create(store) as Store, {
    outcomes,
    async commit(changes: Parameters<Store['commit']>[0]) {
      const result = await store.commit(changes);
      outcomes.push(result);
      return result;
    },
  });
}

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('the engine on the postgres store (PGlite)', () => {
  let store: PostgresStore;
  beforeAll(async () => {
    store = await migratedStore(await sharedPglite(), 'engine');
  }, 60_000);
  beforeEach(async () => {
    await emptyTables(store);
  });

  it('retries a customer message that lost a version race, and keeps every message', async () => {
    const spy = recording(store);
    const clock = manualClock('2026-03-01T10:00:00.000Z');
    const chat = createLiveChat({ store: spy, clock, logger: silentLogger });
    await chat.receive({ channel: 'whatsapp', from: '+15550100', externalId: 'wamid.first', content: text('hello') });
    spy.outcomes.length = 0;
    // Five messages of one customer at once: all read the same conversation version.
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => chat.receive({ channel: 'whatsapp', from: '+15550100', externalId: `wamid.${n}`, content: text(`message ${n}`) })),
    );
    const conflicts = spy.outcomes.filter((o) => !o.ok);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.every((o) => !o.ok && o.conflict.kind === 'version')).toBe(true);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const conversation = await chat.conversation(results[0]!.conversation.id);
    const messages = await chat.messages(conversation!.id, { limit: 50 });
    expect(messages.items.map((m) => m.externalId).sort()).toEqual(['wamid.1', 'wamid.2', 'wamid.3', 'wamid.4', 'wamid.5', 'wamid.first']);
    // Opened at version 1, then one version per message: no write was lost to the races.
    expect(conversation!.version).toBe(6);
  });

  it('answers a redelivered message as a duplicate, even when both copies race', async () => {
    const chat = createLiveChat({ store, logger: silentLogger, clock: manualClock('2026-03-01T10:00:00.000Z') });
    const input = { channel: 'whatsapp', from: '+15550101', externalId: 'wamid.twice', content: text('hi') };
    const [a, b] = await Promise.all([chat.receive(input), chat.receive(input)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.message.id).toBe(b.message.id);
    const journey = await chat.journey(a.contact.id, { limit: 50 });
    expect(journey.items.filter((e) => e.type === 'message.received')).toHaveLength(1);
  });

  it('surfaces a lost intervene race as ALREADY_INTERVENED naming the owner', async () => {
    const spy = recording(store);
    const chat = createLiveChat({ store: spy, logger: silentLogger, clock: manualClock('2026-03-01T10:00:00.000Z') });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    await chat.agents.upsert({ id: 'bo', name: 'Bo', role: 'agent' });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550102', externalId: 'wamid.help', content: text('help') });
    spy.outcomes.length = 0;
    const results = await Promise.allSettled([chat.intervene(conversation.id, { agentId: 'asha' }), chat.intervene(conversation.id, { agentId: 'bo' })]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // Both read version 1: the loser's commit was refused, and its retry met the winner.
    expect(spy.outcomes.some((o) => !o.ok && o.conflict.kind === 'version' && o.conflict.entity === 'conversation')).toBe(true);
    const error = lost[0]!.reason as LiveChatError;
    expect(error).toBeInstanceOf(LiveChatError);
    expect(error.code).toBe('ALREADY_INTERVENED');
    const owner = (await chat.conversation(conversation.id))!.assignee;
    expect(JSON.stringify(error.details)).toContain(owner!);
  });

  it('runs the whole path: bot reply through the outbox, sweep to History, a new conversation after', async () => {
    const clock = manualClock('2026-03-01T10:00:00.000Z');
    const transport = memoryTransport();
    const chat = createLiveChat({ store, clock, transport, logger: silentLogger, bot: keywordBot({ rules: [{ keywords: ['price'], reply: 'From $9' }] }) });
    const first = await chat.receive({ channel: 'whatsapp', from: '+15550103', externalId: 'wamid.p', content: text('price?') });
    await chat.idle();
    expect(transport.sent.map((m) => m.content)).toEqual([text('From $9')]);
    const messages = await chat.messages(first.conversation.id);
    expect(messages.items.map((m) => [m.direction, m.status])).toEqual([
      ['inbound', 'received'],
      ['outbound', 'sent'],
    ]);
    expect(await store.claimOutbox({ now: '2100-01-01T00:00:00.000Z', leaseUntil: '2100-01-01T00:01:00.000Z', limit: 10 })).toEqual([]);
    clock.advance(25 * 60 * 60 * 1000);
    expect(await chat.sweep()).toEqual({ archived: 1 });
    expect(await chat.sweep()).toEqual({ archived: 0 });
    expect((await chat.conversation(first.conversation.id))!.state).toBe('history');
    const next = await chat.receive({ channel: 'whatsapp', from: '+15550103', externalId: 'wamid.q', content: text('hi again') });
    expect(next.conversation.id).not.toBe(first.conversation.id);
    expect((await chat.inbox({ view: 'history' })).items.map((c) => c.id)).toEqual([first.conversation.id]);
  });

  it('resumes a bot turn an engine left owed when it died, and answers it once', async () => {
    const start = '2026-03-01T10:00:00.000Z';
    const dead = createLiveChat({ store, clock: manualClock(start), logger: silentLogger, bot: { respond: () => new Promise(() => {}) } });
    const lost = await dead.receive({ channel: 'whatsapp', from: '+15550104', externalId: 'wamid.lost', content: text('price?') }, { waitForBot: false });
    const clock = manualClock(start);
    const transport = memoryTransport();
    const heir = createLiveChat({ store, clock, transport, logger: silentLogger, bot: keywordBot({ rules: [{ keywords: ['price'], reply: 'From $9' }] }) });
    expect(await heir.resumeBotTurns()).toEqual({ resumed: 0 });
    clock.advance(heir.policy.botTimeoutMs + heir.policy.outboxLeaseMs);
    expect(await heir.resumeBotTurns()).toEqual({ resumed: 1 });
    await heir.idle();
    expect(transport.sent.map((m) => m.content)).toEqual([text('From $9')]);
    expect(await store.getConversation(lost.conversation.id)).not.toHaveProperty('pendingBotTurns');
    expect(await heir.resumeBotTurns()).toEqual({ resumed: 0 });
  });

  it('keeps the bot turns a conversation owes when an engine of an earlier release writes it', async () => {
    const dead = createLiveChat({ store, clock: manualClock('2026-03-01T10:00:00.000Z'), logger: silentLogger, bot: { respond: () => new Promise(() => {}) } });
    const { conversation } = await dead.receive({ channel: 'whatsapp', from: '+15550105', externalId: 'wamid.owed', content: text('hi') }, { waitForBot: false });
    const { pendingBotTurns: owed, ...before } = conversation;
    expect(owed).toHaveLength(1);
    // The release before schema step 7 sends conversations without the field.
    const payload = JSON.parse(toPayload({ conversations: [{ record: { ...before, state: 'requested', version: 2 }, expectedVersion: 1 }] }));
    delete payload.conversationUpdates[0].pendingBotTurns;
    await store.client.query(`select ${store.schema}.commit_changes($1::jsonb)`, [JSON.stringify(payload)]);
    expect(await store.getConversation(conversation.id)).toEqual({ ...before, state: 'requested', pendingBotTurns: owed, version: 2 });
    // This release says when none is left.
    expect(await store.commit({ conversations: [{ record: { ...before, version: 3 }, expectedVersion: 2 }] })).toEqual({ ok: true });
    expect(await store.getConversation(conversation.id)).not.toHaveProperty('pendingBotTurns');
  });

  it('claims due conversations for one sweeper at a time, and a commit releases the claim', async () => {
    const clock = manualClock('2026-03-01T10:00:00.000Z');
    const chat = createLiveChat({ store, clock, logger: silentLogger });
    for (let i = 0; i < 6; i += 1) await chat.receive({ channel: 'whatsapp', from: `+1555020${i}`, externalId: `wamid.d${i}`, content: text('hi') });
    const now = '2026-03-02T11:00:00.000Z';
    const lease = '2026-03-02T11:01:00.000Z';
    const [a, b] = await Promise.all([store.claimDue({ now, leaseUntil: lease, limit: 4 }), store.claimDue({ now, leaseUntil: lease, limit: 4 })]);
    const ids = [...a, ...b].map((c) => c.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(await store.claimDue({ now, leaseUntil: lease, limit: 10 })).toEqual([]);
    // Listing is not claiming: every due conversation is still listed.
    expect(await store.listDue({ now, limit: 10 })).toHaveLength(6);
    // A new message commits the conversation: its claim is gone (and its due time moved on).
    clock.set(now);
    await chat.receive({ channel: 'whatsapp', from: '+15550200', externalId: 'wamid.late', content: text('still there?') });
    expect(await store.claimDue({ now: '2026-03-02T11:00:30.000Z', leaseUntil: lease, limit: 10 })).toEqual([]);
    expect((await store.claimDue({ now: lease, leaseUntil: '2026-03-02T11:02:00.000Z', limit: 10 })).length).toBe(5);
  });

  it('refuses a status update that would give a message another message\u2019s external id, writing nothing', async () => {
    const chat = createLiveChat({ store, logger: silentLogger, clock: manualClock('2026-03-01T10:00:00.000Z') });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550104', externalId: 'wamid.taken', content: text('hi') });
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const { message } = await chat.reply(conversation.id, { agentId: 'asha', content: text('hello') });
    await chat.idle();
    const sent = (await store.getMessage(message.id))!;
    const before = await store.getConversation(conversation.id);
    const result = await store.commit({
      conversations: [{ record: { ...before!, version: before!.version + 1 }, expectedVersion: before!.version }],
      messageUpdates: [{ id: message.id, expectedStatus: sent.status, status: 'delivered', statusAt: '2026-03-01T10:01:00.000Z', externalId: 'wamid.taken' }],
    });
    expect(result).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'message', id: message.id } });
    expect(await store.getMessage(message.id)).toEqual(sent);
    expect(await store.getConversation(conversation.id)).toEqual(before);
  });

  describe('migrations', () => {
    it('are idempotent: a second migrate applies nothing and keeps the data', async () => {
      await store.upsertAgent({ id: 'asha', name: 'Asha', role: 'agent' });
      expect(await store.migrate()).toEqual([]);
      expect(await postgresStore({ client: store.client, schema: store.schema }).migrate()).toEqual([]);
      expect(await store.getAgent('asha')).toEqual({ id: 'asha', name: 'Asha', role: 'agent' });
    });

    it('refuses a bad schema name or client with INVALID_INPUT', () => {
      expect(() => postgresStore({ client: store.client, schema: 'Robert"; drop table x' })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', path: ['schema'] }),
      );
      expect(() => postgresStore({ client: {} as never })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: ['client'] }));
    });
  });

  describe('events across engines (LISTEN/NOTIFY on one PGlite)', () => {
    it('delivers an event committed by one engine to the listeners of another, once, in order', async () => {
      const clock = manualClock('2026-03-01T10:00:00.000Z');
      const one = createLiveChat({ store, clock, logger: silentLogger });
      const two = createLiveChat({ store, clock, logger: silentLogger });
      const bridgeOne = await postgresEvents({ chat: one, store });
      const bridgeTwo = await postgresEvents({ chat: two, store });
      const atTwo: LiveChatEvent[] = [];
      const atOne: LiveChatEvent[] = [];
      bridgeTwo.on('*', (e) => atTwo.push(e));
      bridgeOne.on('*', (e) => atOne.push(e));
      const received = await one.receive({ channel: 'whatsapp', from: '+15550300', externalId: 'wamid.e1', content: text('hello') });
      await bridgeOne.flushed();
      // A round trip on the same connection: PGlite delivers notifications before answering it.
      await store.client.query('select 1');
      const types = ['contact.created', 'conversation.opened', 'message.received', 'tag.added'];
      expect(atTwo.map((e) => e.type)).toEqual(types);
      expect(atOne.map((e) => e.type)).toEqual(types);
      const remote = atTwo.find((e) => e.type === 'message.received')!;
      expect(remote.message).toEqual(received.message);
      expect(remote.conversation).toEqual(received.conversation);
      await bridgeOne.close();
      await bridgeTwo.close();
    });

    it('sends an event too large for one notification as ids and reads the records back', async () => {
      const clock = manualClock('2026-03-01T10:00:00.000Z');
      const one = createLiveChat({ store, clock, logger: silentLogger });
      const two = createLiveChat({ store, clock, logger: silentLogger });
      const bridgeOne = await postgresEvents({ chat: one, store });
      const bridgeTwo = await postgresEvents({ chat: two, store });
      const atTwo: LiveChatEvent[] = [];
      bridgeTwo.on('message.received', (e) => atTwo.push(e));
      const long = 'ü'.repeat(4096);
      const received = await one.receive({ channel: 'whatsapp', from: '+15550301', externalId: 'wamid.big', content: text(long) });
      await bridgeOne.flushed();
      await store.client.query('select 1');
      await bridgeTwo.close();
      expect(atTwo).toHaveLength(1);
      expect(atTwo[0]!.message).toEqual(received.message);
      expect(atTwo[0]!.journey?.type).toBe('message.received');
      await bridgeOne.close();
    });
  });
});

warnWithoutServer('concurrent migrations on a PostgreSQL server');
describe.skipIf(!DATABASE_URL)('migrations on a PostgreSQL server', () => {
  const pool = serverPool(12);
  afterAll(async () => {
    await pool.end();
  });

  it('apply each step exactly once when several instances start at once', async () => {
    const schema = uniqueSchema('migrate');
    const stores = Array.from({ length: 6 }, () => postgresStore({ client: pool, schema }));
    const applied = await Promise.all(stores.map((s) => s.migrate()));
    const versions = migrations(schema).map((m) => m.version);
    expect(applied.flat().sort((a, b) => a - b)).toEqual(versions);
    const { rows } = await pool.query(`select version from ${schema}.schema_migrations order by version`);
    expect(rows).toEqual(versions.map((version) => ({ version })));
    await dropSchema(stores[0]!);
  });
});

warnWithoutServer('contact checks and commit groups against concurrent writers on a PostgreSQL server');
describe.skipIf(!DATABASE_URL)('commits on a PostgreSQL server, against other writers', () => {
  const pool = serverPool(4);
  afterAll(async () => {
    await pool.end();
  });

  /** Resolves once a single commit (not a group) of the store's schema waits for a lock (other test files share the server). */
  async function someoneWaits(store: PostgresStore): Promise<void> {
    for (let i = 0; i < 2000; i += 1) {
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%' || $1 || '.commit_changes%'`,
        [store.schema],
      );
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('no session waited for a lock');
  }

  it('hold the checked contact as an update would: each waits for the other and sees its outcome', async () => {
    const store = await migratedStore(pool, 'checks');
    const holder = await pool.connect();
    try {
      const chat = createLiveChat({ store, transport: memoryTransport(), logger: silentLogger });
      const { contact, conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550001', externalId: 'wamid.check.1', content: text('hi') });
      const renamed = { ...contact, name: 'Renamed', version: contact.version + 1 };
      const touched = (n: number) => ({ record: { ...conversation, version: conversation.version + n }, expectedVersion: conversation.version + n - 1 });
      const commitIn = (changes: Parameters<Store['commit']>[0]) => holder.query(`select ${store.schema}.commit_changes($1::jsonb)`, [toPayload(changes)]);

      // An update in flight: the check waits for it, then reads the contact's new version.
      await holder.query('begin');
      await commitIn({ contacts: [{ record: renamed, expectedVersion: contact.version }] });
      const checking = store.commit({ contactChecks: [{ id: contact.id, version: contact.version }], conversations: [touched(1)] });
      await someoneWaits(store);
      await holder.query('commit');
      expect(await checking).toEqual({ ok: false, conflict: { kind: 'version', entity: 'contact', id: contact.id } });
      expect(await store.getConversation(conversation.id)).toEqual(conversation);

      // A check in flight: an update of the contact waits until the check's transaction ends.
      await holder.query('begin');
      await commitIn({ contactChecks: [{ id: contact.id, version: renamed.version }], conversations: [touched(1)] });
      const updating = store.commit({ contacts: [{ record: { ...renamed, name: 'Again', version: renamed.version + 1 }, expectedVersion: renamed.version }] });
      await someoneWaits(store);
      expect(await store.getContact(contact.id)).toEqual(renamed);
      await holder.query('commit');
      expect(await updating).toEqual({ ok: true });
      expect((await store.getContact(contact.id))?.name).toBe('Again');
    } finally {
      await holder.query('rollback');
      holder.release();
      await dropSchema(store);
    }
  });

  it('gives up a group that waits for a lock held elsewhere, and commits its change sets one by one', async () => {
    const store = await migratedStore(pool, 'group_wait');
    const holder = await pool.connect();
    let results: Promise<unknown>[] = [];
    try {
      const chat = createLiveChat({ store, transport: memoryTransport(), logger: silentLogger });
      const chats = [];
      for (const n of [1, 2, 3, 4]) chats.push((await chat.receive({ channel: 'whatsapp', from: `+1555000${n}`, externalId: `wamid.group.${n}`, content: text('hi') })).conversation);
      const touched = chats.map((c) => ({ record: { ...c, version: c.version + 1 }, expectedVersion: c.version }));
      // Another instance holds the third chat's row.
      await holder.query('begin');
      await holder.query(`select 1 from ${store.schema}.conversations where id = $1 for update`, [chats[2]!.id]);
      // The first two commits go alone (two groups at a time on a pool); the two queued behind
      // them go together (commit_group), and wait. Past the group's lock timeout the group gives
      // up, and the change set on the held row waits alone (commit_changes), as a single commit
      // always does: without the timeout the group would wait for the holder, and no single.
      results = touched.map((w) => store.commit({ conversations: [w] }));
      await someoneWaits(store);
      await holder.query('commit');
      expect(await Promise.all(results)).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
      for (const w of touched) expect(await store.getConversation(w.record.id)).toEqual(w.record);
    } finally {
      // A failed run leaves the lock held and commits waiting: free both before the schema goes.
      await holder.query('rollback');
      holder.release();
      await Promise.allSettled(results);
      await dropSchema(store);
    }
  });
});
