import { describe, expect, it } from 'vitest';
import { createLiveChat, memoryStore, silentLogger, type Store } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { HOUR, START, setup } from './setup.js';

describe('history', () => {
  it('moves a chat to History 24 h after its last message, in or out', async () => {
    const { chat, say, clock } = await setup();
    const { conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    clock.advance(10 * HOUR);
    await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'on it' } });
    clock.advance(23 * HOUR);
    expect(await chat.sweep()).toEqual({ archived: 0 });
    clock.advance(1 * HOUR);
    expect(await chat.sweep()).toEqual({ archived: 1 });
    const archived = await chat.conversation(conversation.id);
    expect(archived).toMatchObject({ state: 'history', assignee: null, archivedAt: clock.now().toISOString() });
    expect((await chat.inbox({ view: 'history' })).items.map((c) => c.id)).toEqual([conversation.id]);
    expect(await chat.sweep()).toEqual({ archived: 0 });
  });

  it('opens a new conversation for a later message; contact and journey persist', async () => {
    const { chat, say, clock } = await setup();
    const first = await say('hi');
    clock.advance(25 * HOUR);
    await chat.sweep();
    const second = await say('back again');
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect(second.contact.id).toBe(first.contact.id);
    expect((await chat.conversation(first.conversation.id))?.state).toBe('history');
    const types = (await chat.journey(first.contact.id)).items.map((e) => e.type);
    expect(types.filter((t) => t === 'conversation.opened')).toHaveLength(2);
    expect(types).toContain('conversation.archived');
  });

  it('archives a due chat that was not swept yet when the next message arrives', async () => {
    const { chat, say, clock } = await setup();
    const first = await say('hi');
    clock.advance(24 * HOUR + 1);
    const second = await say('hello?');
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect((await chat.conversation(first.conversation.id))?.state).toBe('history');
  });

  it('never moves a chat out of History', async () => {
    const { chat, say, clock } = await setup();
    const { conversation } = await say('hi');
    clock.advance(25 * HOUR);
    await chat.sweep();
    await expect(chat.intervene(conversation.id, { agentId: 'asha' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await expect(chat.requestIntervention(conversation.id, { by: 'api' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('uses policy.historyAfter', async () => {
    const { chat, say, clock } = await setup({ policy: { historyAfter: { hours: 2 } } });
    await say('hi');
    clock.advance(2 * HOUR);
    expect(await chat.sweep()).toEqual({ archived: 1 });
  });

  it('survives a restart: a new engine over the same store archives what is due', async () => {
    const store = memoryStore();
    const clock = manualClock(START);
    const before = createLiveChat({ store, clock, logger: silentLogger });
    const { conversation } = await before.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } });
    clock.advance(30 * HOUR);
    const after = createLiveChat({ store, clock, logger: silentLogger });
    expect(await after.sweep()).toEqual({ archived: 1 });
    expect((await after.conversation(conversation.id))?.state).toBe('history');
  });

  it('asks the store only for what is due', async () => {
    const store = memoryStore();
    const calls: number[] = [];
    const counting: Store = {
      ...store,
      async listDue(query) {
        const due = await store.listDue(query);
        calls.push(due.length);
        return due;
      },
      async listConversations() {
        throw new Error('sweep must not scan the inbox');
      },
    };
    const clock = manualClock(START);
    const chat = createLiveChat({ store: counting, clock, logger: silentLogger });
    for (let i = 0; i < 250; i += 1) {
      if (i === 3) clock.advance(HOUR); // the first three become due an hour before the rest
      await chat.receive({ channel: 'whatsapp', from: `+${i}`, externalId: `w${i}`, content: { type: 'text', text: 'hi' } });
    }
    clock.advance(23 * HOUR); // now = the first three's due time; the rest are due an hour later
    expect(await chat.sweep()).toEqual({ archived: 3 });
    expect(calls).toEqual([3]);
  });

  it('archives a due batch in one commit; when a chat changed after the listing, each goes on its own', async () => {
    const store = memoryStore({ freeze: true });
    let late: (() => Promise<unknown>) | null = null;
    const commits: number[] = [];
    const racing: Store = {
      ...store,
      async listDue(query) {
        const due = await store.listDue(query);
        // The customer of the second due chat writes between the listing and the sweep's commit.
        const write = late;
        late = null;
        if (write) await write();
        return due;
      },
      async commit(changes) {
        commits.push(changes.conversations?.length ?? 0);
        return store.commit(changes);
      },
    };
    const clock = manualClock(START);
    const chat = createLiveChat({ store: racing, clock, logger: silentLogger });
    const opened = [];
    for (let i = 0; i < 5; i += 1) opened.push((await chat.receive({ channel: 'whatsapp', from: `+${i}`, externalId: `w${i}`, content: { type: 'text', text: 'hi' } })).conversation);
    clock.advance(25 * HOUR);
    late = () => chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w-late', content: { type: 'text', text: 'still there?' } });
    commits.length = 0;
    const swept = await chat.sweep();
    // The late message archived its old chat itself (it was due) and opened a new one.
    const states = await Promise.all(opened.map(async (c) => (await chat.conversation(c.id))?.state));
    expect(states).toEqual(['history', 'history', 'history', 'history', 'history']);
    expect(swept).toEqual({ archived: 4 });
    // The late message's commit, the sweep's refused batch of 5, then one commit for each of
    // the other 4, read afresh (the late one is History already and needs none).
    expect(commits).toEqual([2, 5, 1, 1, 1, 1]);
    expect((await store.findOpenConversation(opened[1]!.contactId))?.state).toBe('active');
  });

  it('sweeps and dispatches on the scheduler loop driven by the clock', async () => {
    const { chat, say, clock, transport } = await setup({ policy: { tickMs: 60_000 } });
    const { conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    transport.fail({ times: 1, kind: 'retryable' });
    await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'hello' } });
    await chat.idle();
    chat.start();
    clock.advance(60_000);
    await chat.idle();
    expect(transport.sent).toHaveLength(1);
    // Timers fire at their own time: the tick armed before this jump runs at its due time, and
    // the next one, re-armed after it, runs a tick later.
    clock.advance(25 * HOUR);
    await chat.idle();
    expect((await chat.conversation(conversation.id))?.state).toBe('intervened');
    clock.advance(60_000);
    await chat.idle();
    chat.stop();
    expect((await chat.conversation(conversation.id))?.state).toBe('history');
  });
});
