import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../model/contact.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import type { ChangeSet, CommitConflict, OutboxItem, Store } from '../ports/store.js';
import { profileStoreCases } from './store-contract-profile.js';

/**
 * Options of {@link storeContract}.
 * @public
 */
export interface StoreContractOptions {
  /** Called after each test with the store it used (close connections, drop data). */
  teardown?: (store: Store) => Promise<void> | void;
}

// Fixed, readable timestamps: minute `m` of a fixed day.
const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 9, 0) + m * 60_000).toISOString();
let seq = 0;
const id = (prefix: string) => `${prefix}_${String(++seq).padStart(8, '0')}`;

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: id('ct'),
    channel: 'whatsapp',
    address: `+1555${String(seq).padStart(7, '0')}`,
    name: 'Maya Ortiz',
    attributes: { email: 'maya@example.com', seats: 12, vip: true, note: null },
    tags: {
      'first-message': {
        source: 'first-message',
        actor: { type: 'system' },
        at: t(0),
        conversationId: null,
        campaignId: null,
      },
    },
    referral: { sourceUrl: 'https://fb.me/ad', sourceId: '42', sourceType: 'ad', headline: 'Spring sale' },
    firstSeenAt: t(0),
    lastSeenAt: t(0),
    lastInboundAt: t(0),
    version: 1,
    ...overrides,
  };
}

function conversation(contactId: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: id('conv'),
    contactId,
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
    historyDueAt: t(24 * 60),
    version: 1,
    ...overrides,
  };
}

function message(conv: Conversation, overrides: Partial<Message> = {}): Message {
  return {
    id: id('msg'),
    conversationId: conv.id,
    contactId: conv.contactId,
    channel: 'whatsapp',
    direction: 'inbound',
    author: { type: 'customer' },
    content: { type: 'text', text: 'Does it come in another colour? ü 😀' },
    externalId: `wamid.${seq}`,
    replyTo: null,
    status: 'received',
    error: null,
    at: t(0),
    statusAt: t(0),
    ...overrides,
  };
}

function journeyEvent(contactId: string, overrides: Partial<JourneyEvent> = {}): JourneyEvent {
  return {
    id: id('jev'),
    contactId,
    conversationId: null,
    type: 'message.received',
    actor: { type: 'customer' },
    at: t(0),
    data: { preview: 'hello', nested: { list: [1, 'two', null] } },
    ...overrides,
  };
}

function outboxItem(msg: Message, overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: id('obx'),
    messageId: msg.id,
    conversationId: msg.conversationId ?? msg.contactId,
    contactId: msg.contactId,
    channel: 'whatsapp',
    to: '+15550001',
    content: { type: 'template', name: 'welcome', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maya' }] }] },
    replyTo: null,
    attempts: 0,
    dueAt: t(0),
    leaseUntil: null,
    createdAt: t(0),
    lastError: null,
    ...overrides,
  };
}

/** Seeds one contact with one open conversation and returns them. */
async function seed(store: Store, convOverrides: Partial<Conversation> = {}) {
  const c = contact();
  const conv = conversation(c.id, convOverrides);
  expect(await store.commit({ contacts: [{ record: c, expectedVersion: null }], conversations: [{ record: conv, expectedVersion: null }] })).toEqual({ ok: true });
  return { contact: c, conversation: conv };
}

async function pageAll<T>(fetch: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await fetch(cursor);
    all.push(...page.items);
    if (page.nextCursor === null) return all;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/**
 * The conformance suite every `Store` must pass: atomic commits, optimistic concurrency,
 * idempotency keys, ordering and cursor pagination, due-time queries and outbox claims. Call it
 * inside a vitest test file with a factory that returns a fresh, empty store.
 *
 * @example
 * ```ts
 * import { storeContract } from 'livechat-engine/testing';
 * storeContract('my store', async () => myStore(await freshDatabase()));
 * ```
 * @public
 */
export function storeContract(name: string, makeStore: () => Store | Promise<Store>, options: StoreContractOptions = {}): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await options.teardown?.(store);
    });

    profileStoreCases(() => store);

    describe('records', () => {
      it('reads back every record exactly as committed', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const m = message(conv, { replyTo: 'wamid.ctx', content: { type: 'location', latitude: 52.5, longitude: 13.4, name: 'Berlin' } });
        const e = journeyEvent(c.id, { conversationId: conv.id, actor: { type: 'agent', id: 'asha' } });
        const o = outboxItem(m);
        expect(await store.commit({ messages: [m], journey: [e], outboxInserts: [o] })).toEqual({ ok: true });
        expect(await store.getContact(c.id)).toEqual(c);
        expect(await store.findContact('whatsapp', c.address)).toEqual(c);
        expect(await store.findContact('whatsapp', '+0000')).toBeNull();
        expect(await store.findContact('sms', c.address)).toBeNull();
        expect(await store.getConversation(conv.id)).toEqual(conv);
        expect(await store.findOpenConversation(c.id)).toEqual(conv);
        expect(await store.getMessage(m.id)).toEqual(m);
        expect(await store.findMessageByExternalId('whatsapp', m.externalId!)).toEqual(m);
        expect(await store.findMessageByExternalId('sms', m.externalId!)).toBeNull();
        expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toEqual([e]);
        const claimed = await store.claimOutbox({ now: t(0), leaseUntil: t(1), limit: 10 });
        expect(claimed).toEqual([{ ...o, leaseUntil: t(1) }]);
      });

      it('answers findInbound, when it has it, exactly as the three finders answer', async () => {
        if (!store.findInbound) return;
        const { contact: c, conversation: conv } = await seed(store);
        const m = message(conv, { content: { type: 'location', latitude: 52.5, longitude: 13.4, name: 'Berlin' } });
        await store.commit({ messages: [m] });
        expect(await store.findInbound('whatsapp', m.externalId!, c.address)).toEqual({ message: m, contact: c, conversation: conv });
        expect(await store.findInbound('whatsapp', 'wamid.new', c.address)).toEqual({ message: null, contact: c, conversation: conv });
        expect(await store.findInbound('whatsapp', 'wamid.new', '+0000')).toEqual({ message: null, contact: null, conversation: null });
        expect(await store.findInbound('sms', m.externalId!, c.address)).toEqual({ message: null, contact: null, conversation: null });
        // A contact whose only conversation is in History has none open.
        const archived = { ...conv, state: 'history' as const, archivedAt: t(5), version: conv.version + 1 };
        await store.commit({ conversations: [{ record: archived, expectedVersion: conv.version }] });
        expect(await store.findInbound('whatsapp', 'wamid.new', c.address)).toEqual({ message: null, contact: c, conversation: null });
      });

      it('answers null for records that do not exist', async () => {
        expect(await store.getContact('ct_missing')).toBeNull();
        expect(await store.getConversation('conv_missing')).toBeNull();
        expect(await store.findOpenConversation('ct_missing')).toBeNull();
        expect(await store.getMessage('msg_missing')).toBeNull();
        expect(await store.getAgent('nobody')).toBeNull();
        expect(await store.listMessages('conv_missing', { limit: 10, order: 'asc' })).toEqual({ items: [], nextCursor: null });
      });

      it('upserts and lists agents', async () => {
        await store.upsertAgent({ id: 'asha', name: 'Asha', role: 'agent' });
        await store.upsertAgent({ id: 'bo', name: 'Bo', role: 'admin' });
        await store.upsertAgent({ id: 'asha', name: 'Asha K.', role: 'admin' });
        expect(await store.getAgent('asha')).toEqual({ id: 'asha', name: 'Asha K.', role: 'admin' });
        expect((await store.listAgents()).map((a) => a.id).sort()).toEqual(['asha', 'bo']);
      });
    });

    describe('optimistic concurrency', () => {
      it('lets exactly one of two writers of the same version win', async () => {
        const { conversation: conv } = await seed(store);
        const a = { ...conv, state: 'intervened' as const, assignee: 'asha', version: 2 };
        const b = { ...conv, state: 'intervened' as const, assignee: 'bo', version: 2 };
        const results = await Promise.all([
          store.commit({ conversations: [{ record: a, expectedVersion: 1 }] }),
          store.commit({ conversations: [{ record: b, expectedVersion: 1 }] }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const loser = results.find((r) => !r.ok);
        expect(loser).toEqual({ ok: false, conflict: { kind: 'version', entity: 'conversation', id: conv.id } });
        const stored = await store.getConversation(conv.id);
        expect(stored?.version).toBe(2);
        expect([a.assignee, b.assignee]).toContain(stored?.assignee);
      });

      // A store may run concurrent commits one after the other, side by side, or several in one
      // transaction: each still has its own outcome.
      it('gives each of many concurrent commits its own outcome: a refused one refuses none of the others', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const newcomer = contact();
        const newChat = conversation(newcomer.id);
        const e = journeyEvent(c.id);
        const later = { ...conv, lastActivityAt: t(5), version: 2 };
        const results = await Promise.all([
          store.commit({ journey: [journeyEvent(c.id)] }),
          store.commit({ contacts: [{ record: newcomer, expectedVersion: null }], conversations: [{ record: newChat, expectedVersion: null }] }),
          store.commit({ conversations: [{ record: { ...conv, state: 'resolved', version: 6 }, expectedVersion: 5 }], journey: [journeyEvent(c.id)] }),
          store.commit({ journey: [e] }),
          store.commit({ conversations: [{ record: later, expectedVersion: 1 }] }),
        ]);
        expect(results).toEqual([{ ok: true }, { ok: true }, { ok: false, conflict: { kind: 'version', entity: 'conversation', id: conv.id } }, { ok: true }, { ok: true }]);
        expect(await store.getContact(newcomer.id)).toEqual(newcomer);
        expect(await store.findOpenConversation(newcomer.id)).toEqual(newChat);
        expect(await store.getConversation(conv.id)).toEqual(later);
        expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toHaveLength(2);
        expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toContainEqual(e);
      });

      it('refuses an insert of a record that a concurrent commit updates, as one after the other would', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const later = { ...conv, lastActivityAt: t(5), version: 2 };
        const results = await Promise.all([
          store.commit({ journey: [journeyEvent(c.id)] }),
          store.commit({ conversations: [{ record: later, expectedVersion: 1 }] }),
          store.commit({ conversations: [{ record: conv, expectedVersion: null }] }),
        ]);
        expect(results).toEqual([{ ok: true }, { ok: true }, { ok: false, conflict: { kind: 'unique', entity: 'conversation', id: conv.id } }]);
        expect(await store.getConversation(conv.id)).toEqual(later);
      });

      it('lets exactly one of two concurrent inserts of one id land, as one after the other would', async () => {
        const { contact: c } = await seed(store);
        const e = journeyEvent(c.id);
        const twin = { ...e, data: { preview: 'the twin' } };
        const [first, ...pair] = await Promise.all([
          store.commit({ journey: [journeyEvent(c.id)] }),
          store.commit({ journey: [e] }),
          store.commit({ journey: [twin] }),
        ]);
        expect(first).toEqual({ ok: true });
        expect(pair.filter((r) => r.ok)).toHaveLength(1);
        expect(pair.find((r) => !r.ok)).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'journey', id: e.id } });
        const stored = (await store.listJourney(c.id, { limit: 10, order: 'asc' })).items.filter((entry) => entry.id === e.id);
        expect(stored).toEqual([pair[0]!.ok ? e : twin]);
      });

      it('refuses a stale contact version and writes nothing of the change set', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const m = message(conv);
        const e = journeyEvent(c.id);
        const result = await store.commit({
          messages: [m],
          journey: [e],
          conversations: [{ record: { ...conv, lastActivityAt: t(5), version: 2 }, expectedVersion: 1 }],
          contacts: [{ record: { ...c, name: 'Changed', version: 3 }, expectedVersion: 2 }],
        });
        expect(result).toEqual({ ok: false, conflict: { kind: 'version', entity: 'contact', id: c.id } });
        expect(await store.getMessage(m.id)).toBeNull();
        expect(await store.findMessageByExternalId('whatsapp', m.externalId!)).toBeNull();
        expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toEqual([]);
        expect(await store.getConversation(conv.id)).toEqual(conv);
        expect(await store.getContact(c.id)).toEqual(c);
      });

      it('commits a change set whose checked contacts are at their versions, and leaves them as they are', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const m = message(conv);
        const later = { ...conv, lastActivityAt: t(5), version: 2 };
        expect(await store.commit({ contactChecks: [{ id: c.id, version: c.version }], conversations: [{ record: later, expectedVersion: 1 }], messages: [m] })).toEqual({ ok: true });
        expect(await store.getContact(c.id)).toEqual(c);
        expect(await store.getConversation(conv.id)).toEqual(later);
        expect(await store.getMessage(m.id)).toEqual(m);
      });

      it('refuses a change set whose checked contact changed or does not exist, and writes nothing of it', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const moved = { ...c, name: 'Changed', version: 2 };
        expect(await store.commit({ contacts: [{ record: moved, expectedVersion: 1 }] })).toEqual({ ok: true });
        const missing = contact();
        for (const check of [{ id: c.id, version: 1 }, { id: missing.id, version: 1 }]) {
          const m = message(conv);
          const e = journeyEvent(c.id);
          const result = await store.commit({
            contactChecks: [check],
            conversations: [{ record: { ...conv, lastActivityAt: t(5), version: 2 }, expectedVersion: 1 }],
            messages: [m],
            journey: [e],
          });
          expect(result).toEqual({ ok: false, conflict: { kind: 'version', entity: 'contact', id: check.id } });
          expect(await store.getMessage(m.id)).toBeNull();
          expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toEqual([]);
          expect(await store.getConversation(conv.id)).toEqual(conv);
        }
        expect(await store.getContact(c.id)).toEqual(moved);
        expect(await store.getContact(missing.id)).toBeNull();
      });

      it('refuses an update of a record that does not exist', async () => {
        const c = contact();
        const result = await store.commit({ contacts: [{ record: c, expectedVersion: 1 }] });
        expect(result).toEqual({ ok: false, conflict: { kind: 'version', entity: 'contact', id: c.id } });
        expect(await store.getContact(c.id)).toBeNull();
      });

      it('compares and sets message statuses', async () => {
        const { conversation: conv } = await seed(store);
        const m = message(conv, { direction: 'outbound', author: { type: 'agent', id: 'asha' }, status: 'pending', externalId: null });
        await store.commit({ messages: [m] });
        expect(await store.commit({ messageUpdates: [{ id: m.id, expectedStatus: 'pending', status: 'sent', statusAt: t(1), externalId: 'wamid.out.1' }] })).toEqual({ ok: true });
        const stale = await store.commit({ messageUpdates: [{ id: m.id, expectedStatus: 'pending', status: 'failed', statusAt: t(2), error: { code: '131026', message: 'undeliverable' } }] });
        expect(stale).toEqual({ ok: false, conflict: { kind: 'version', entity: 'message', id: m.id } });
        expect(await store.commit({ messageUpdates: [{ id: m.id, expectedStatus: 'sent', status: 'failed', statusAt: t(3), error: { code: '131026', message: 'undeliverable' } }] })).toEqual({ ok: true });
        expect(await store.getMessage(m.id)).toEqual({ ...m, status: 'failed', statusAt: t(3), externalId: 'wamid.out.1', error: { code: '131026', message: 'undeliverable' } });
        expect((await store.findMessageByExternalId('whatsapp', 'wamid.out.1'))?.id).toBe(m.id);
      });
    });

    describe('idempotency keys', () => {
      it('keeps message external ids unique per channel', async () => {
        const { conversation: conv } = await seed(store);
        const first = message(conv, { externalId: 'wamid.same' });
        expect(await store.commit({ messages: [first] })).toEqual({ ok: true });
        const again = message(conv, { externalId: 'wamid.same' });
        const e = journeyEvent(conv.contactId);
        expect(await store.commit({ messages: [again], journey: [e] })).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'message', id: again.id } });
        expect(await store.getMessage(again.id)).toBeNull();
        expect((await store.listJourney(conv.contactId, { limit: 10, order: 'asc' })).items).toEqual([]);
        expect(await store.commit({ messages: [message(conv, { externalId: 'wamid.same', channel: 'sms' })] })).toEqual({ ok: true });
      });

      it('refuses two inserts of the same external id in one change set', async () => {
        const { conversation: conv } = await seed(store);
        const result = await store.commit({ messages: [message(conv, { externalId: 'wamid.x' }), message(conv, { externalId: 'wamid.x' })] });
        expect(result.ok).toBe(false);
        expect(await store.findMessageByExternalId('whatsapp', 'wamid.x')).toBeNull();
      });

      it('refuses a change set that writes one record twice, and writes nothing of it', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const e = journeyEvent(c.id);
        const m = message(conv, { externalId: null });
        const newcomer = contact();
        const o = outboxItem(m);
        const twice: Array<[ChangeSet, CommitConflict]> = [
          [{ contacts: [{ record: newcomer, expectedVersion: null }, { record: { ...newcomer, address: '+15559999999' }, expectedVersion: null }] }, { kind: 'unique', entity: 'contact', id: newcomer.id }],
          [{ contacts: [{ record: { ...c, version: 2 }, expectedVersion: 1 }, { record: { ...c, name: 'Twice', version: 2 }, expectedVersion: 1 }] }, { kind: 'version', entity: 'contact', id: c.id }],
          [{ messages: [m, { ...m }] }, { kind: 'unique', entity: 'message', id: m.id }],
          [{ journey: [e, { ...e }] }, { kind: 'unique', entity: 'journey', id: e.id }],
          // An update, then an insert of the record; an insert, then an update of it.
          [{ conversations: [{ record: { ...conv, version: 2 }, expectedVersion: 1 }, { record: conv, expectedVersion: null }] }, { kind: 'unique', entity: 'conversation', id: conv.id }],
          [{ contacts: [{ record: newcomer, expectedVersion: null }, { record: { ...newcomer, version: 2 }, expectedVersion: 1 }] }, { kind: 'version', entity: 'contact', id: newcomer.id }],
          [{ messages: [m], outboxInserts: [o, { ...o }] }, { kind: 'unique', entity: 'outbox', id: o.id }],
        ];
        for (const [changes, conflict] of twice) {
          const witness = journeyEvent(c.id);
          expect(await store.commit({ ...changes, journey: [...(changes.journey ?? []), witness] })).toEqual({ ok: false, conflict });
          expect((await store.listJourney(c.id, { limit: 10, order: 'asc' })).items).toEqual([]);
        }
        expect(await store.getContact(newcomer.id)).toBeNull();
        expect(await store.getContact(c.id)).toEqual(c);
        expect(await store.getConversation(conv.id)).toEqual(conv);
        expect(await store.getMessage(m.id)).toBeNull();
        expect(await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 })).toEqual([]);
      });

      it('keeps contact addresses unique per channel', async () => {
        const c = contact({ address: '+15557770000' });
        expect(await store.commit({ contacts: [{ record: c, expectedVersion: null }] })).toEqual({ ok: true });
        const twin = contact({ address: '+15557770000' });
        expect(await store.commit({ contacts: [{ record: twin, expectedVersion: null }] })).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'contact', id: twin.id } });
        expect(await store.getContact(twin.id)).toBeNull();
      });

      it('allows at most one open conversation per contact', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const second = conversation(c.id);
        expect(await store.commit({ conversations: [{ record: second, expectedVersion: null }] })).toEqual({
          ok: false,
          conflict: { kind: 'unique', entity: 'conversation', id: second.id },
        });
        // Archiving the open one and opening the next in one change set is allowed.
        const archived = { ...conv, state: 'history' as const, archivedAt: t(30), version: 2 };
        expect(await store.commit({ conversations: [{ record: archived, expectedVersion: 1 }, { record: second, expectedVersion: null }] })).toEqual({ ok: true });
        expect((await store.findOpenConversation(c.id))?.id).toBe(second.id);
        expect(await store.getConversation(conv.id)).toEqual(archived);
      });

      it('refuses duplicate ids', async () => {
        const { contact: c } = await seed(store);
        const e = journeyEvent(c.id);
        expect(await store.commit({ journey: [e] })).toEqual({ ok: true });
        expect(await store.commit({ journey: [{ ...e }] })).toEqual({ ok: false, conflict: { kind: 'unique', entity: 'journey', id: e.id } });
      });
    });

    describe('inbox queries', () => {
      it('pages a state newest activity first, with an assignee filter', async () => {
        const created: Conversation[] = [];
        for (let i = 0; i < 7; i += 1) {
          const state: ConversationState = i % 2 === 0 ? 'intervened' : 'active';
          const { conversation: conv } = await seed(store, { state, assignee: state === 'intervened' ? (i % 4 === 0 ? 'asha' : 'bo') : null, lastActivityAt: t(i % 3) });
          created.push(conv);
        }
        const byActivity = (a: Conversation, b: Conversation) => (a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1);
        const intervened = created.filter((c) => c.state === 'intervened').sort(byActivity);
        const pages = await pageAll((cursor) => store.listConversations({ state: 'intervened', cursor, limit: 2 }));
        expect(pages.map((c) => c.id)).toEqual(intervened.map((c) => c.id));
        const asha = await pageAll((cursor) => store.listConversations({ state: 'intervened', assignee: 'asha', cursor, limit: 1 }));
        expect(asha.map((c) => c.id)).toEqual(intervened.filter((c) => c.assignee === 'asha').map((c) => c.id));
        const active = await store.listConversations({ state: 'active', limit: 10 });
        expect(active.items.map((c) => c.id)).toEqual(created.filter((c) => c.state === 'active').sort(byActivity).map((c) => c.id));
        expect(active.nextCursor).toBeNull();
        expect((await store.listConversations({ state: 'history', limit: 10 })).items).toEqual([]);
      });

      it('moves a conversation between views when its state changes', async () => {
        const { conversation: conv } = await seed(store);
        await store.commit({ conversations: [{ record: { ...conv, state: 'requested', version: 2 }, expectedVersion: 1 }] });
        expect((await store.listConversations({ state: 'active', limit: 10 })).items).toEqual([]);
        expect((await store.listConversations({ state: 'requested', limit: 10 })).items.map((c) => c.id)).toEqual([conv.id]);
      });

      it('counts conversations per state and per assignee as they move', async () => {
        const one = await seed(store, { state: 'intervened', assignee: 'asha' });
        await seed(store, { state: 'intervened', assignee: 'bo' });
        await seed(store, { state: 'active' });
        await seed(store, { state: 'active' });
        const count = (state: ConversationState, assignee?: string) => store.countConversations({ state, ...(assignee === undefined ? {} : { assignee }) });
        expect([await count('active'), await count('intervened'), await count('intervened', 'asha'), await count('intervened', 'cy'), await count('history')]).toEqual([2, 2, 1, 0, 0]);
        // A transfer moves the count between assignees; a resolve moves it between states.
        const transferred = { ...one.conversation, assignee: 'bo', version: 2 };
        expect(await store.commit({ conversations: [{ record: transferred, expectedVersion: 1 }] })).toEqual({ ok: true });
        expect([await count('intervened', 'asha'), await count('intervened', 'bo')]).toEqual([0, 2]);
        await store.commit({ conversations: [{ record: { ...transferred, state: 'resolved', assignee: null, version: 3 }, expectedVersion: 2 }] });
        expect([await count('intervened'), await count('intervened', 'bo'), await count('resolved')]).toEqual([1, 1, 1]);
        // A refused commit changes no count.
        await store.commit({ conversations: [{ record: { ...transferred, state: 'history', version: 9 }, expectedVersion: 2 }] });
        expect([await count('resolved'), await count('history')]).toEqual([1, 0]);
      });

      it('lists only open conversations that are due, soonest first', async () => {
        const a = await seed(store, { historyDueAt: t(30) });
        const b = await seed(store, { historyDueAt: t(10) });
        await seed(store, { historyDueAt: t(90) });
        const gone = await seed(store, { historyDueAt: t(5) });
        await store.commit({ conversations: [{ record: { ...gone.conversation, state: 'history', version: 2 }, expectedVersion: 1 }] });
        expect((await store.listDue({ now: t(60), limit: 10 })).map((c) => c.id)).toEqual([b.conversation.id, a.conversation.id]);
        expect((await store.listDue({ now: t(60), limit: 1 })).map((c) => c.id)).toEqual([b.conversation.id]);
        // New activity pushes the due time out.
        await store.commit({ conversations: [{ record: { ...b.conversation, historyDueAt: t(100), version: 2 }, expectedVersion: 1 }] });
        expect((await store.listDue({ now: t(60), limit: 10 })).map((c) => c.id)).toEqual([a.conversation.id]);
        expect(await store.listDue({ now: t(0), limit: 10 })).toEqual([]);
      });

      it('reads back the bot turns a conversation owes, in order, and their absence once settled', async () => {
        const first = { messageId: 'msg_first', dueAt: t(3) };
        const second = { messageId: 'msg_second', dueAt: t(2) };
        const { contact: c, conversation: conv } = await seed(store, { pendingBotTurns: [first, second] });
        expect(await store.getConversation(conv.id)).toEqual(conv);
        expect(await store.findOpenConversation(c.id)).toEqual(conv);
        if (store.findInbound) expect((await store.findInbound('whatsapp', 'wamid.none', c.address)).conversation).toEqual(conv);
        const answered = { ...conv, pendingBotTurns: [second], version: 2 };
        expect(await store.commit({ conversations: [{ record: answered, expectedVersion: 1 }] })).toEqual({ ok: true });
        expect(await store.getConversation(conv.id)).toEqual(answered);
        const { pendingBotTurns: _answered, ...settled } = answered;
        expect(await store.commit({ conversations: [{ record: { ...settled, version: 3 }, expectedVersion: 2 }] })).toEqual({ ok: true });
        expect(await store.getConversation(conv.id)).not.toHaveProperty('pendingBotTurns');
        expect(await store.listBotTurnsDue({ now: t(10), limit: 10 })).toEqual([]);
      });

      it('lists conversations with a bot turn due, soonest due turn first, in any state', async () => {
        const a = await seed(store, { pendingBotTurns: [{ messageId: 'msg_a', dueAt: t(30) }] });
        // The soonest due turn counts, wherever it is in the list (a turn taken over moves out).
        const b = await seed(store, { pendingBotTurns: [{ messageId: 'msg_b1', dueAt: t(70) }, { messageId: 'msg_b2', dueAt: t(10) }] });
        await seed(store, { pendingBotTurns: [{ messageId: 'msg_later', dueAt: t(90) }] });
        await seed(store);
        // A crash can leave a turn owed on a chat that went to History since: it is listed, to be settled.
        const gone = await seed(store, { pendingBotTurns: [{ messageId: 'msg_gone', dueAt: t(5) }] });
        const archived = { ...gone.conversation, state: 'history' as const, archivedAt: t(6), version: 2 };
        await store.commit({ conversations: [{ record: archived, expectedVersion: 1 }] });
        expect(await store.listBotTurnsDue({ now: t(60), limit: 10 })).toEqual([archived, b.conversation, a.conversation]);
        expect((await store.listBotTurnsDue({ now: t(60), limit: 1 })).map((c) => c.id)).toEqual([gone.conversation.id]);
        // A turn taken over moves its due time out; a settled one is no longer owed.
        const taken = { ...b.conversation, pendingBotTurns: [{ messageId: 'msg_b1', dueAt: t(70) }, { messageId: 'msg_b2', dueAt: t(100) }], version: 2 };
        await store.commit({ conversations: [{ record: taken, expectedVersion: 1 }] });
        const { pendingBotTurns: _answered, ...settled } = archived;
        await store.commit({ conversations: [{ record: { ...settled, version: 3 }, expectedVersion: 2 }] });
        expect((await store.listBotTurnsDue({ now: t(60), limit: 10 })).map((c) => c.id)).toEqual([a.conversation.id]);
        expect((await store.listBotTurnsDue({ now: t(80), limit: 10 })).map((c) => c.id)).toEqual([a.conversation.id, b.conversation.id]);
        expect(await store.listBotTurnsDue({ now: t(0), limit: 10 })).toEqual([]);
      });
    });

    describe('timelines', () => {
      it('pages messages and journey events by time both ways, stable while records are added', async () => {
        const { contact: c, conversation: conv } = await seed(store);
        const messages = [3, 1, 2, 2, 0].map((m) => message(conv, { at: t(m) }));
        const events = [3, 1, 2, 2, 0].map((m) => journeyEvent(c.id, { at: t(m), conversationId: conv.id }));
        await store.commit({ messages, journey: events });
        const order = <T extends { at: string; id: string }>(xs: T[]) => [...xs].sort((x, y) => (x.at === y.at ? (x.id < y.id ? -1 : 1) : x.at < y.at ? -1 : 1)).map((x) => x.id);
        const asc = await pageAll((cursor) => store.listMessages(conv.id, { cursor, limit: 2, order: 'asc' }));
        expect(asc.map((m) => m.id)).toEqual(order(messages));
        const desc = await pageAll((cursor) => store.listJourney(c.id, { cursor, limit: 2, order: 'desc' }));
        expect(desc.map((e) => e.id)).toEqual(order(events).reverse());

        const first = await store.listJourney(c.id, { limit: 2, order: 'asc' });
        const late = journeyEvent(c.id, { at: t(9) });
        await store.commit({ journey: [late] });
        const rest = await pageAll((cursor) => store.listJourney(c.id, { cursor: cursor ?? first.nextCursor, limit: 2, order: 'asc' }));
        expect([...first.items, ...rest].map((e) => e.id)).toEqual([...order(events), late.id]);
      });

      it('keeps one conversation\u2019s messages apart from another\u2019s', async () => {
        const one = await seed(store);
        const two = await seed(store);
        await store.commit({ messages: [message(one.conversation), message(two.conversation), message(one.conversation)] });
        expect((await store.listMessages(one.conversation.id, { limit: 10, order: 'asc' })).items).toHaveLength(2);
        expect((await store.listMessages(two.conversation.id, { limit: 10, order: 'asc' })).items).toHaveLength(1);
      });
    });

    describe('outbox', () => {
      /** Queues `count` items, each in its own conversation unless `shared`. */
      async function queued(count: number, overrides: (i: number) => Partial<OutboxItem> = () => ({}), shared = false) {
        const items: OutboxItem[] = [];
        const messages: Message[] = [];
        let conv = (await seed(store)).conversation;
        for (let i = 0; i < count; i += 1) {
          if (!shared && i > 0) conv = (await seed(store)).conversation;
          const m = message(conv, { direction: 'outbound', status: 'pending', externalId: null, author: { type: 'bot' } });
          messages.push(m);
          items.push(outboxItem(m, { createdAt: t(i), dueAt: t(i), ...overrides(i) }));
        }
        await store.commit({ messages, outboxInserts: items });
        return items;
      }

      it('claims due, free items oldest first and never hands one out twice', async () => {
        const items = await queued(5, (i) => (i === 4 ? { dueAt: t(50) } : {}));
        const [a, b] = await Promise.all([
          store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 2 }),
          store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 2 }),
        ]);
        const ids = [...a!, ...b!].map((o) => o.id);
        expect(new Set(ids).size).toBe(4);
        expect(ids.sort()).toEqual(items.slice(0, 4).map((o) => o.id).sort());
        expect(a!.map((o) => o.createdAt)).toEqual([...a!.map((o) => o.createdAt)].sort());
        expect(await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 })).toEqual([]);
        // Leases expire: a crashed dispatcher's items come back.
        const again = await store.claimOutbox({ now: t(12), leaseUntil: t(13), limit: 10 });
        expect(again.map((o) => o.id)).toEqual(items.slice(0, 4).map((o) => o.id));
      });

      it('claims a conversation\u2019s queue in order and holds it behind an item that is not free', async () => {
        const items = await queued(3, () => ({}), true);
        const first = await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 });
        expect(first.map((o) => o.id)).toEqual(items.map((o) => o.id));
        await store.commit({ outboxDeletes: [items[0]!.id], outboxUpdates: [{ id: items[1]!.id, attempts: 1, dueAt: t(30), lastError: null }, { id: items[2]!.id, attempts: 0, dueAt: items[2]!.dueAt, lastError: null }] });
        // items[2] is due and free, but items[1] before it waits for its retry.
        expect(await store.claimOutbox({ now: t(20), leaseUntil: t(21), limit: 10 })).toEqual([]);
        const later = await store.claimOutbox({ now: t(30), leaseUntil: t(31), limit: 10 });
        expect(later.map((o) => o.id)).toEqual([items[1]!.id, items[2]!.id]);
      });

      it('claims inserts in the commit when asked (or ignores the ask), never ahead of an older item of their conversation', async () => {
        const [older] = await queued(1);
        const conv = (await store.getConversation(older!.conversationId))!;
        const fresh = (await seed(store)).conversation;
        const reply = (c: Conversation, i: number) => {
          const m = message(c, { direction: 'outbound', status: 'pending', externalId: null, author: { type: 'bot' } });
          return { m, o: outboxItem(m, { createdAt: t(i), dueAt: t(i) }) };
        };
        const [behind, first, second] = [reply(conv, 1), reply(fresh, 2), reply(fresh, 3)];
        const result = await store.commit({ messages: [behind.m, first.m, second.m], outboxInserts: [behind.o, first.o, second.o], claimOutboxUntil: t(11) });
        expect(result.ok).toBe(true);
        const claimed = result.ok ? result.claimed : undefined;
        if (claimed === undefined) {
          // A store that does not claim at commit queues everything unclaimed.
          expect((await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 })).map((o) => o.id).sort()).toEqual([older!.id, behind.o.id, first.o.id, second.o.id].sort());
          return;
        }
        // The fresh conversation's queue was empty: both of its items are ours. The other one
        // queues behind an item that is still there, so it stays free for a claim in order.
        expect([...claimed].sort()).toEqual([first.o.id, second.o.id].sort());
        const rest = await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 });
        expect(rest.map((o) => o.id)).toEqual([older!.id, behind.o.id]);
        // The claim lapses like any other.
        expect((await store.claimOutbox({ now: t(12), leaseUntil: t(13), limit: 10 })).map((o) => o.id)).toEqual([older!.id, behind.o.id, first.o.id, second.o.id]);
        // Without the ask, nothing is claimed and the result names nothing.
        const plain = reply(fresh, 4);
        expect(await store.commit({ messages: [plain.m], outboxInserts: [plain.o] })).toEqual({ ok: true });
      });

      it('claims only the given conversations', async () => {
        const items = await queued(3);
        const claimed = await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10, conversations: [items[2]!.conversationId] });
        expect(claimed.map((o) => o.id)).toEqual([items[2]!.id]);
      });

      it('reschedules, frees and deletes items', async () => {
        const [item] = await queued(1);
        await store.claimOutbox({ now: t(1), leaseUntil: t(5), limit: 10 });
        expect(await store.commit({ outboxUpdates: [{ id: item!.id, attempts: 1, dueAt: t(20), lastError: { code: '130429', message: 'throttled' } }] })).toEqual({ ok: true });
        expect(await store.claimOutbox({ now: t(10), leaseUntil: t(11), limit: 10 })).toEqual([]);
        const [back] = await store.claimOutbox({ now: t(20), leaseUntil: t(21), limit: 10 });
        expect(back).toEqual({ ...item, attempts: 1, dueAt: t(20), leaseUntil: t(21), lastError: { code: '130429', message: 'throttled' } });
        expect(await store.commit({ outboxDeletes: [item!.id] })).toEqual({ ok: true });
        expect(await store.commit({ outboxDeletes: [item!.id] })).toEqual({ ok: false, conflict: { kind: 'version', entity: 'outbox', id: item!.id } });
        expect(await store.claimOutbox({ now: t(99), leaseUntil: t(100), limit: 10 })).toEqual([]);
      });
    });
  });
}
