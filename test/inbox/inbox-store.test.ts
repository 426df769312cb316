import { afterEach, describe, expect, it } from 'vitest';
import { LiveChatError } from '../../src/index.js';
import { createInboxStore, inProcessSource, type InboxSource } from '../../src/inbox/index.js';
import { errorOf } from '../engine/setup.js';
import { HOUR, gate, ids, inboxSetup, settle } from './setup.js';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

async function world(options: Parameters<typeof inboxSetup>[0] = {}) {
  const env = await inboxSetup(options);
  cleanup = env.closeAll;
  return env;
}

describe('loading', () => {
  it('reads the session, the Active tab newest first, and every tab count', async () => {
    const { say, clock, inboxFor, chat } = await world();
    const first = await say('hello', '+15550001', { profile: { name: 'Maya' } });
    clock.advance(1000);
    const second = await say('hi there', '+15550002');
    clock.advance(1000);
    const third = await say('I want an agent', '+15550003');
    await chat.requestIntervention(third.conversation.id, { by: 'customer' });
    const asha = await inboxFor('asha');
    const s = asha.getSnapshot();
    expect(s.status).toBe('ready');
    expect(s.connection).toBe('live');
    expect(s.viewer).toMatchObject({ id: 'asha', name: 'Asha' });
    expect(Object.keys(s.agents).sort()).toEqual(['asha', 'bo', 'root']);
    expect(ids(asha, 'active')).toEqual([second.conversation.id, first.conversation.id]);
    expect(s.tabs.active.items[1]).toMatchObject({ title: 'Maya', address: '+15550001', preview: 'hello', lastAuthor: 'customer', state: 'active' });
    expect(s.tabs.active.items[0]!.title).toBe('+15550002');
    expect(s.counts).toEqual({ active: 2, requested: 1, intervened: 0, resolved: 0, history: 0 });
    expect(s.tabs.requested.status).toBe('idle');
    await asha.showTab('requested');
    expect(asha.getSnapshot().tab).toBe('requested');
    expect(ids(asha, 'requested')).toEqual([third.conversation.id]);
  });

  it('pages a tab with its cursor and never lists a row twice when a later row moves up meanwhile', async () => {
    const { say, clock, inboxFor } = await world();
    const convs: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      clock.advance(1000);
      convs.push((await say(`hi ${i}`, `+1555000${i}`)).conversation.id);
    }
    const asha = await inboxFor('asha', { pageSize: 3 });
    expect(ids(asha, 'active')).toEqual([convs[6], convs[5], convs[4]]);
    expect(asha.getSnapshot().tabs.active.hasMore).toBe(true);
    // The oldest chat (on a page not read yet) gets a message: it enters the list at the top.
    clock.advance(1000);
    await say('still there?', '+15550000');
    expect(ids(asha, 'active')).toEqual([convs[0], convs[6], convs[5], convs[4]]);
    await asha.loadMore();
    await asha.loadMore();
    expect(ids(asha, 'active')).toEqual([convs[0], ...convs.slice(1).reverse()]);
    expect(asha.getSnapshot().tabs.active.hasMore).toBe(false);
  });

  it('validates its options and every input with INVALID_INPUT', async () => {
    const { source, inboxFor } = await world();
    expect(() => createInboxStore({ source, viewer: '' })).toThrow(LiveChatError);
    expect(() => createInboxStore({ source: {} as InboxSource, viewer: 'asha' })).toThrow(/InboxSource/);
    expect(() => createInboxStore({ source, viewer: 'asha', pageSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: ['pageSize'] }));
    expect(() => inProcessSource({} as never)).toThrow(/LiveChat/);
    const asha = await inboxFor('asha');
    expect(await errorOf(() => asha.showTab('archive' as never))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await errorOf(() => asha.reply('   ', { conversationId: 'conv_1' }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await errorOf(() => asha.reply('hi'))).toMatchObject({ code: 'INVALID_INPUT', path: ['conversationId'] });
    expect(await errorOf(() => asha.setAttribute('email', { nested: true } as never, { contactId: 'ct_1' }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(asha.getSnapshot().notices).toEqual([]);
  });

  it('fails loading with the engine error when the viewer is not an agent', async () => {
    const { inboxFor } = await world();
    const ghost = await inboxFor('ghost');
    expect(ghost.getSnapshot().status).toBe('failed');
    expect(ghost.getSnapshot().notices[0]).toMatchObject({ code: 'UNKNOWN_AGENT', action: 'load' });
  });
});

describe('live updates', () => {
  it('puts a new customer message at the top of both agents\u2019 lists and updates the counts', async () => {
    const { say, clock, inboxFor, chat } = await world();
    await say('first', '+15550001');
    const asha = await inboxFor('asha');
    const bo = await inboxFor('bo');
    clock.advance(60_000);
    const { conversation } = await say('Is the blue one in stock?', '+15550002', { profile: { name: 'Lena' } });
    for (const store of [asha, bo]) expect(store.getSnapshot().tabs.active.items[0]).toMatchObject({ id: conversation.id, title: 'Lena', preview: 'Is the blue one in stock?' });
    await settle(chat);
    expect(asha.getSnapshot().counts.active).toBe(2);
  });

  it('shares structure: an update to one conversation keeps every other row and tab as they were', async () => {
    const { say, clock, inboxFor, chat } = await world();
    const a = await say('a', '+15550001');
    clock.advance(1000);
    await say('b', '+15550002');
    const c = await say('agent please', '+15550003');
    await chat.requestIntervention(c.conversation.id, { by: 'customer' });
    const asha = await inboxFor('asha');
    await asha.showTab('requested');
    const before = asha.getSnapshot();
    clock.advance(1000);
    await say('a again', '+15550001');
    const after = asha.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.tabs.active).not.toBe(before.tabs.active);
    expect(after.tabs.requested).toBe(before.tabs.requested);
    expect(after.tabs.active.items[0]!.id).toBe(a.conversation.id);
    // The other row is the very same object.
    expect(after.tabs.active.items[1]).toBe(before.tabs.active.items[0]);
    expect(after.profile).toBe(before.profile);
  });

  it('applies each engine event to exactly one state change', async () => {
    const { say, inboxFor } = await world();
    const asha = await inboxFor('asha');
    let notified = 0;
    asha.subscribe(() => (notified += 1));
    await say('hello', '+15550001');
    // contact.created, conversation.opened, message.received, tag.added: one notification each at most.
    expect(notified).toBeGreaterThan(0);
    expect(notified).toBeLessThanOrEqual(4);
  });
});

describe('visibility follows the engine', () => {
  it('drops a chat from my lists the moment another agent intervenes, and shows it again once resolved', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation } = await say('agent please', '+15550001', { profile: { name: 'Maya' } });
    await chat.requestIntervention(conversation.id, { by: 'customer' });
    const bo = await inboxFor('bo');
    await bo.showTab('requested');
    await bo.openConversation(conversation.id);
    expect(ids(bo, 'requested')).toEqual([conversation.id]);
    expect(bo.getSnapshot().open).toMatchObject({ status: 'ready', can: { intervene: true, manage: false } });

    await chat.intervene(conversation.id, { agentId: 'asha' });
    // No await of anything else: the event already moved it.
    const hidden = bo.getSnapshot();
    for (const tab of Object.values(hidden.tabs)) expect(tab.items.map((r) => r.id)).not.toContain(conversation.id);
    expect(hidden.open).toMatchObject({ status: 'hidden', hiddenBy: 'Asha', messages: [], can: { intervene: false, manage: false } });
    expect(hidden.profile).toBeNull();

    await chat.resolve(conversation.id, { agentId: 'asha' });
    await bo.showTab('resolved');
    expect(ids(bo, 'resolved')).toEqual([conversation.id]);
    await settle(chat);
    expect(bo.getSnapshot().open).toMatchObject({ status: 'ready', can: { intervene: true } });
    expect(bo.getSnapshot().open!.messages.map((m) => m.text)).toEqual(['agent please']);
  });

  it('lets an admin keep seeing intervened chats, as the policy says', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation } = await say('help', '+15550001');
    const root = await inboxFor('root');
    await root.showTab('intervened');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    expect(root.getSnapshot().tabs.intervened.items[0]).toMatchObject({ id: conversation.id, assignee: 'asha', assigneeName: 'Asha' });
  });
});

describe('optimistic actions', () => {
  it('intervenes at once, before the engine answers, then keeps the confirmed record', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation } = await say('help', '+15550001');
    const held = gate();
    const asha = await inboxFor('asha', {
      wrap: (s) => ({ ...s, intervene: async (id, input) => (await held.promise, s.intervene(id, input)) }),
    });
    await asha.showTab('intervened');
    await asha.openConversation(conversation.id);
    const done = asha.intervene();
    await settle();
    const pending = asha.getSnapshot();
    expect(ids(asha, 'active')).toEqual([]);
    expect(pending.tabs.intervened.items[0]).toMatchObject({ id: conversation.id, state: 'intervened', assignee: 'asha', pending: 'intervene' });
    expect(pending.open?.can).toEqual({ intervene: false, manage: true });
    expect((await chat.conversation(conversation.id))!.state).toBe('active');
    held.open();
    expect(await done).toEqual({ ok: true });
    expect(asha.getSnapshot().tabs.intervened.items[0]).toMatchObject({ id: conversation.id, pending: null, conversation: { version: 2 } });
    await settle(chat);
    expect(asha.getSnapshot().counts).toMatchObject({ active: 0, intervened: 1 });
  });

  it('rolls back a lost intervene race and names the agent who has the chat', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation } = await say('help', '+15550001');
    const held = gate();
    const bo = await inboxFor('bo', { wrap: (s) => ({ ...s, intervene: async (id, input) => (await held.promise, s.intervene(id, input)) }) });
    await bo.showTab('intervened');
    const done = bo.intervene(conversation.id);
    await settle();
    expect(ids(bo, 'intervened')).toEqual([conversation.id]);
    // Asha wins while Bo's click is in flight.
    await chat.intervene(conversation.id, { agentId: 'asha' });
    held.open();
    const result = await done;
    expect(result).toMatchObject({ ok: false, error: { code: 'ALREADY_INTERVENED', message: 'Asha has already intervened in this chat.', details: { owner: 'asha' }, action: 'intervene' } });
    const s = bo.getSnapshot();
    for (const tab of Object.values(s.tabs)) expect(tab.items.map((r) => r.id)).not.toContain(conversation.id);
    expect(s.notices.map((n) => n.code)).toEqual(['ALREADY_INTERVENED']);
    bo.dismissNotice(s.notices[0]!.id);
    expect(bo.getSnapshot().notices).toEqual([]);
  });

  it('shows a reply at once with a clock tick, then the engine\u2019s message and its delivery ticks', async () => {
    const { say, chat, inboxFor, transport } = await world();
    const { conversation } = await say('help', '+15550001');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const held = gate();
    const asha = await inboxFor('asha', { wrap: (s) => ({ ...s, reply: async (id, input) => (await held.promise, s.reply(id, input)) }) });
    await asha.openConversation(conversation.id);
    const done = asha.reply('On it!');
    await settle();
    const local = asha.getSnapshot().open!.messages.at(-1)!;
    expect(local).toMatchObject({ text: 'On it!', local: true, tick: 'clock', authorName: 'Asha', direction: 'outbound' });
    expect(asha.getSnapshot().tabs.active.items).toEqual([]);
    held.open();
    expect(await done).toEqual({ ok: true });
    const confirmed = asha.getSnapshot().open!.messages.filter((m) => m.text === 'On it!');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.local).toBe(false);
    await settle(chat);
    expect(asha.getSnapshot().open!.messages.at(-1)!.tick).toBe('sent');
    const externalId = transport.sent.at(-1)!.externalId;
    await chat.updateStatus({ channel: 'whatsapp', externalId, status: 'delivered' });
    expect(asha.getSnapshot().open!.messages.at(-1)!.tick).toBe('delivered');
    await chat.updateStatus({ channel: 'whatsapp', externalId, status: 'read' });
    expect(asha.getSnapshot().open!.messages.at(-1)).toMatchObject({ tick: 'read', status: 'read' });
    expect(asha.getSnapshot().open!.summary).toMatchObject({ preview: 'On it!', lastAuthor: 'agent', lastStatus: 'read' });
  });

  it('transfers, releases and resolves, moving the row between tabs and owners', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation } = await say('help', '+15550001');
    const asha = await inboxFor('asha');
    const bo = await inboxFor('bo');
    for (const store of [asha, bo]) for (const view of ['intervened', 'requested', 'resolved'] as const) await store.showTab(view);
    expect(await asha.intervene(conversation.id)).toEqual({ ok: true });
    expect(await asha.transfer('bo', { conversationId: conversation.id })).toEqual({ ok: true });
    expect(ids(asha, 'intervened')).toEqual([]);
    expect(ids(bo, 'intervened')).toEqual([conversation.id]);
    expect(bo.getSnapshot().tabs.intervened.items[0]).toMatchObject({ assigneeName: 'Bo' });
    expect(await bo.release({ conversationId: conversation.id })).toEqual({ ok: true });
    for (const store of [asha, bo]) expect(ids(store, 'requested')).toEqual([conversation.id]);
    expect(await bo.intervene(conversation.id)).toEqual({ ok: true });
    expect(await bo.resolve({ conversationId: conversation.id })).toEqual({ ok: true });
    for (const store of [asha, bo]) expect(ids(store, 'resolved')).toEqual([conversation.id]);
    await settle(chat);
    expect(asha.getSnapshot().counts).toEqual({ active: 0, requested: 0, intervened: 0, resolved: 1, history: 0 });
    // Asha may not resolve a chat that is not hers: rolled back, with the owner named.
    await bo.intervene(conversation.id);
    expect(await asha.resolve({ conversationId: conversation.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only Bo, who has this chat, or an admin can do that.' } });
    expect(ids(bo, 'intervened')).toEqual([conversation.id]);
  });
});

describe('the reply window', () => {
  it('is open, closing soon, then closed as the clock moves, and the composer must use a template', async () => {
    const { say, chat, clock, inboxFor, transport } = await world();
    const { conversation } = await say('help', '+15550001');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const asha = await inboxFor('asha');
    await asha.openConversation(conversation.id);
    const closesAt = new Date(clock.now().getTime() + 24 * HOUR).toISOString();
    expect(asha.getSnapshot().open!.replyWindow).toEqual({ state: 'open', closesAt });
    clock.advance(23 * HOUR + 1);
    expect(asha.getSnapshot().open!.replyWindow).toEqual({ state: 'closing-soon', closesAt });
    clock.advance(HOUR);
    expect(asha.getSnapshot().open!.replyWindow).toEqual({ state: 'closed', closesAt });

    const refused = await asha.reply('Are you still there?');
    expect(refused).toMatchObject({ ok: false, error: { code: 'REPLY_WINDOW_CLOSED', message: expect.stringContaining('template') } });
    expect(asha.getSnapshot().open!.messages.map((m) => m.text)).toEqual(['help']);
    const template = { type: 'template' as const, name: 'follow_up', language: 'en_US', components: [{ type: 'body' as const, parameters: [{ type: 'text' as const, text: 'Maya' }] }] };
    expect(await asha.reply(template)).toEqual({ ok: true });
    await settle(chat);
    expect(transport.sent.at(-1)!.content).toMatchObject({ type: 'template', name: 'follow_up' });
    // A new customer message opens the window again.
    await say('yes!', '+15550001');
    expect(asha.getSnapshot().open!.replyWindow.state).toBe('open');
  });
});

describe('profile and journey', () => {
  it('edits an attribute and adds a tag optimistically; the journey names the agent', async () => {
    const { say, chat, inboxFor, clock } = await world();
    const { conversation, contact } = await say('help', '+15550001', { profile: { name: 'Maya' } });
    clock.advance(60_000);
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const held = gate();
    const asha = await inboxFor('asha', {
      wrap: (s) => ({ ...s, setAttributes: async (...args) => (await held.promise, s.setAttributes(...args)) }),
    });
    await asha.openConversation(conversation.id);
    const profile = asha.getSnapshot().profile!;
    expect(profile).toMatchObject({ contactId: contact.id, name: 'Maya', address: '+15550001' });
    expect(profile.attributes.map((a) => [a.key, a.label, a.value])).toEqual([
      ['email', 'Email', null],
      ['country', 'Country', null],
    ]);
    expect(profile.tags).toMatchObject([{ name: 'first-message', source: 'first-message', actorName: 'System' }]);
    expect(profile.availableTags.map((t) => t.name)).toEqual(['vip', 'lead', 'complaint']);

    clock.advance(60_000);
    const saving = asha.setAttribute('email', 'maya@example.com');
    await settle();
    expect(asha.getSnapshot().profile!.attributes[0]).toMatchObject({ key: 'email', value: 'maya@example.com', pending: true });
    held.open();
    expect(await saving).toEqual({ ok: true });
    expect(asha.getSnapshot().profile!.attributes[0]).toMatchObject({ value: 'maya@example.com', pending: false });

    clock.advance(60_000);
    expect(await asha.addTag('vip')).toEqual({ ok: true });
    const after = asha.getSnapshot();
    expect(after.profile!.tags[0]).toMatchObject({ name: 'vip', source: 'manual', actor: { type: 'agent', id: 'asha' }, actorName: 'Asha', category: 'Value', conversationId: conversation.id });
    expect(after.profile!.availableTags.map((t) => t.name)).toEqual(['lead', 'complaint']);
    const titles = after.journey!.items.map((j) => j.title);
    expect(titles.slice(0, 3)).toEqual(['Asha added the tag vip', 'Asha changed email', 'Asha intervened']);
    expect(after.journey!.items[1]).toMatchObject({ actorName: 'Asha', detail: '(empty) → maya@example.com' });
    expect(after.journey!.items.at(-1)!.title).toBe('Maya wrote for the first time');

    clock.advance(60_000);
    expect(await asha.removeTag('vip')).toEqual({ ok: true });
    expect(asha.getSnapshot().profile!.tags.map((t) => t.name)).toEqual(['first-message']);
    expect(asha.getSnapshot().journey!.items[0]!.title).toBe('Asha removed the tag vip');
  });

  it('rolls back a profile change the engine refuses', async () => {
    const { say, chat, inboxFor } = await world();
    const { conversation, contact } = await say('help', '+15550001');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const bo = await inboxFor('bo');
    const result = await bo.setAttribute('email', 'x@example.com', { contactId: contact.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only Asha, who has this chat, or an admin can do that.' } });
    expect((await chat.contact(contact.id))!.attributes).toEqual({});
  });

  it('pages older messages and older journey entries', async () => {
    const { say, clock, source } = await world();
    let conversationId = '';
    for (let i = 0; i < 7; i += 1) {
      clock.advance(1000);
      conversationId = (await say(`message ${i}`, '+15550001')).conversation.id;
    }
    const small = createInboxStore({ source, viewer: 'asha', messagePageSize: 3, journeyPageSize: 4, clock });
    await small.ready;
    await small.openConversation(conversationId);
    await settle();
    expect(small.getSnapshot().open!.messages.map((m) => m.text)).toEqual(['message 4', 'message 5', 'message 6']);
    expect(small.getSnapshot().open!.hasOlder).toBe(true);
    await small.loadOlderMessages();
    await small.loadOlderMessages();
    expect(small.getSnapshot().open!.messages.map((m) => m.text)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `message ${i}`));
    expect(small.getSnapshot().open!.hasOlder).toBe(false);
    expect(small.getSnapshot().journey!.items).toHaveLength(4);
    while (small.getSnapshot().journey!.hasOlder) await small.loadOlderJourney();
    // contact.created, conversation.opened, tag.added, then one message.received per message.
    expect(small.getSnapshot().journey!.items).toHaveLength(10);
    small.close();
  });
});

describe('a source that lost events', () => {
  it('reloads everything it shows when the source says reset', async () => {
    const { say, chat, inboxFor, clock } = await world();
    const first = await say('hello', '+15550001');
    let deaf = false;
    let emit: ((signal: import('../../src/inbox/index.js').SourceSignal) => void) | null = null;
    const asha = await inboxFor('asha', {
      wrap: (s) => ({
        ...s,
        subscribe: (viewer, listener) => {
          emit = listener;
          return s.subscribe(viewer, (signal) => (deaf ? undefined : listener(signal)));
        },
      }),
    });
    await asha.openConversation(first.conversation.id);
    deaf = true;
    clock.advance(1000);
    const second = await say('are you there?', '+15550002');
    await chat.intervene(first.conversation.id, { agentId: 'asha' });
    await say('still waiting', '+15550001');
    expect(ids(asha, 'active')).toEqual([first.conversation.id]);
    deaf = false;
    emit!({ kind: 'reset', reason: 'missed events' });
    await settle(chat);
    expect(ids(asha, 'active')).toEqual([second.conversation.id]);
    expect(asha.getSnapshot().open!.messages.map((m) => m.text)).toEqual(['hello', 'still waiting']);
    expect(asha.getSnapshot().open!.can).toEqual({ intervene: false, manage: true });
    expect(asha.getSnapshot().counts).toMatchObject({ active: 1, intervened: 1 });
  });
});
