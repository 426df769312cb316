import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLiveChat, memoryStore, memoryTransport, silentLogger, type Bot, type Store } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { RESUME_BATCH } from '../../src/engine/commands/resume-bot-turns.js';
import { START, echoBot } from './setup.js';

// The default policy: a turn is owed for the bot's timeout (10 s) plus an outbox lease (30 s).
const OWED_MS = 40_000;

/** An engine of its own (clock, transport, bot) on a shared store: one process of several. */
function engine(store: Store, bot: Bot) {
  const clock = manualClock(START);
  const transport = memoryTransport();
  const chat = createLiveChat({ store, clock, transport, bot, logger: silentLogger });
  return { chat, clock, transport };
}

/** A bot that thinks until released; `asked` counts its calls. Its timeout never fires: the clock of its engine stands still. */
function gatedBot(text: string) {
  const gates: Array<() => void> = [];
  let asked = 0;
  const bot: Bot = {
    async respond() {
      asked += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return { replies: [{ type: 'text', text }] };
    },
  };
  return { bot, asked: () => asked, release: () => gates.splice(0).forEach((open) => open()) };
}


/** One customer message to an engine whose bot never answers: the engine "dies" with the turn owed. */
async function lostTurn(store: Store, from = '+15550001') {
  const dead = engine(store, { respond: () => new Promise(() => {}) });
  return dead.chat.receive({ channel: 'whatsapp', from, externalId: `wamid.${from}`, content: { type: 'text', text: 'hello?' } }, { waitForBot: false });
}

const botReplies = async (store: Store, contactId: string) =>
  (await store.listJourney(contactId, { limit: 100, order: 'asc' })).items.filter((e) => e.type === 'bot.replied');

describe('bot turns lost with their engine', () => {
  it('are recorded with the customer message and settled by the bot turn that answers', async () => {
    const store = memoryStore({ freeze: true });
    const { chat } = engine(store, echoBot);
    const received = await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } }, { waitForBot: false });
    expect(received.conversation.pendingBotTurns).toEqual([{ messageId: received.message.id, dueAt: new Date(Date.parse(START) + OWED_MS).toISOString() }]);
    await chat.idle();
    const after = (await store.getConversation(received.conversation.id))!;
    expect(after).not.toHaveProperty('pendingBotTurns');
    expect(after.version).toBe(received.conversation.version + 1);
  });

  it('owe nothing where the bot is not asked: no bot, or an agent owns the chat', async () => {
    const store = memoryStore({ freeze: true });
    const noBot = createLiveChat({ store, clock: manualClock(START), logger: silentLogger });
    const first = await noBot.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } });
    expect(first.conversation).not.toHaveProperty('pendingBotTurns');
    const { chat } = engine(store, echoBot);
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    await chat.intervene(first.conversation.id, { agentId: 'asha' });
    const second = await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w2', content: { type: 'text', text: 'still there?' } });
    expect(second.conversation).not.toHaveProperty('pendingBotTurns');
  });

  it('are resumed by another engine once due, and answered exactly once', async () => {
    const store = memoryStore({ freeze: true });
    const lost = await lostTurn(store);
    expect(lost.conversation.pendingBotTurns?.map((turn) => turn.messageId)).toEqual([lost.message.id]);

    const heir = engine(store, echoBot);
    // Not due yet: its own engine may still be on it.
    heir.clock.advance(OWED_MS - 1);
    expect(await heir.chat.resumeBotTurns()).toEqual({ resumed: 0 });
    heir.clock.advance(1);
    expect(await heir.chat.resumeBotTurns()).toEqual({ resumed: 1 });
    await heir.chat.idle();
    expect(heir.transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'echo: hello?' }]);
    const replies = await botReplies(store, lost.contact.id);
    expect(replies.map((e) => e.data['inReplyTo'])).toEqual([lost.message.id]);
    expect(await store.getConversation(lost.conversation.id)).not.toHaveProperty('pendingBotTurns');
    expect(await heir.chat.resumeBotTurns()).toEqual({ resumed: 0 });
  });

  it('are resumed by the scheduler on its tick, even when another of its jobs fails', async () => {
    const inner = memoryStore({ freeze: true });
    const lost = await lostTurn(inner);
    // The sweep's query fails on every tick; the owed turn is still resumed.
    const store: Store = Object.assign(Object.create(inner) as Store, { listDue: () => Promise.reject(new Error('sweep query failed')) });
    const heir = engine(store, echoBot);
    heir.chat.start();
    heir.clock.advance(OWED_MS + heir.chat.policy.tickMs);
    await heir.chat.idle();
    heir.chat.stop();
    expect(await botReplies(inner, lost.contact.id)).toHaveLength(1);
    expect(heir.transport.sent).toHaveLength(1);
  });

  it('stop for now when a whole batch fails to be claimed, instead of listing it again at once', async () => {
    const inner = memoryStore({ freeze: true });
    for (let i = 0; i < RESUME_BATCH; i += 1) await lostTurn(inner, `+1555000${100 + i}`);
    let lists = 0;
    // The store takes no commit: no turn can be claimed, so every one stays due.
    const store: Store = Object.assign(Object.create(inner) as Store, {
      commit: () => Promise.reject(new Error('database unavailable')),
      listBotTurnsDue: (query: { now: string; limit: number }) => ((lists += 1), inner.listBotTurnsDue(query)),
    });
    const heir = engine(store, echoBot);
    heir.clock.advance(OWED_MS);
    expect(await heir.chat.resumeBotTurns()).toEqual({ resumed: 0 });
    expect(lists).toBe(1);
    expect(await inner.listBotTurnsDue({ now: heir.clock.now().toISOString(), limit: 100 })).toHaveLength(RESUME_BATCH);
  });

  it('are settled without asking the bot once the chat is no longer the bot\u2019s', async () => {
    const store = memoryStore({ freeze: true });
    const lost = await lostTurn(store);
    const heir = engine(store, echoBot);
    let asked = 0;
    const counting = engine(store, { respond: (input, options) => ((asked += 1), echoBot.respond(input, options)) });
    await heir.chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    await heir.chat.intervene(lost.conversation.id, { agentId: 'asha' });
    counting.clock.advance(OWED_MS);
    expect(await counting.chat.resumeBotTurns()).toEqual({ resumed: 0 });
    expect(asked).toBe(0);
    const after = (await store.getConversation(lost.conversation.id))!;
    expect(after).toMatchObject({ state: 'intervened', assignee: 'asha' });
    expect(after).not.toHaveProperty('pendingBotTurns');
    expect(await store.listBotTurnsDue({ now: counting.clock.now().toISOString(), limit: 10 })).toEqual([]);
  });

  it('are taken once when several engines resume at once', async () => {
    const store = memoryStore({ freeze: true });
    const lost = await Promise.all(['+1', '+2', '+3'].map((from) => lostTurn(store, from)));
    const heirs = [engine(store, echoBot), engine(store, echoBot), engine(store, echoBot)];
    for (const heir of heirs) heir.clock.advance(OWED_MS);
    const results = await Promise.all(heirs.map((heir) => heir.chat.resumeBotTurns()));
    await Promise.all(heirs.map((heir) => heir.chat.idle()));
    expect(results.reduce((n, r) => n + r.resumed, 0)).toBe(3);
    expect(heirs.flatMap((heir) => heir.transport.sent)).toHaveLength(3);
    for (const { contact } of lost) expect(await botReplies(store, contact.id)).toHaveLength(1);
  });

  it('go to the engine that resumed them when the stalled one commits later', async () => {
    const store = memoryStore({ freeze: true });
    const stalled = gatedBot('late answer');
    const slow = engine(store, stalled.bot);
    const received = await slow.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } }, { waitForBot: false });
    await setImmediate();
    expect(stalled.asked()).toBe(1);

    const resuming = gatedBot('resumed answer');
    const heir = engine(store, resuming.bot);
    heir.clock.advance(OWED_MS);
    const resumed = heir.chat.resumeBotTurns();
    while (resuming.asked() === 0) await setImmediate();
    // The stalled engine's bot answers now: the turn is the heir's, so its answer is dropped.
    stalled.release();
    await slow.chat.idle();
    expect(slow.transport.sent).toEqual([]);
    resuming.release();
    expect(await resumed).toEqual({ resumed: 1 });
    await heir.chat.idle();
    expect(heir.transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'resumed answer' }]);
    expect(await botReplies(store, received.contact.id)).toHaveLength(1);
  });

  it('are answered once when a resumed turn stalls past its own lease and is resumed again', async () => {
    const store = memoryStore({ freeze: true });
    const lost = await lostTurn(store);
    const stalled = gatedBot('first heir');
    const first = engine(store, stalled.bot);
    first.clock.advance(OWED_MS);
    const resumedByFirst = first.chat.resumeBotTurns();
    while (stalled.asked() === 0) await setImmediate();
    const second = engine(store, echoBot);
    second.clock.advance(2 * OWED_MS);
    expect(await second.chat.resumeBotTurns()).toEqual({ resumed: 1 });
    // The second heir answered and settled the turn: the first one's late answer is dropped.
    stalled.release();
    await resumedByFirst;
    await Promise.all([first.chat.idle(), second.chat.idle()]);
    expect(first.transport.sent).toEqual([]);
    expect(second.transport.sent).toHaveLength(1);
    expect(await botReplies(store, lost.contact.id)).toHaveLength(1);
  });

  it('end as a bot failure when their commit keeps failing, instead of asking the bot without end', async () => {
    const inner = memoryStore({ freeze: true });
    // The store refuses what this bot answers (as PostgreSQL refuses a \u0000 in text): every commit of a reply throws.
    const store: Store = Object.assign(Object.create(inner) as Store, {
      commit: (changes: Parameters<Store['commit']>[0]) =>
        changes.messages?.some((m) => m.author.type === 'bot') ? Promise.reject(new Error('unsupported Unicode escape sequence')) : inner.commit(changes),
    });
    let asked = 0;
    const bot: Bot = {
      async respond() {
        asked += 1;
        return { replies: [{ type: 'text', text: 'unstorable' }] };
      },
    };
    const { chat, clock, transport } = engine(store, bot);
    const received = await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } }, { waitForBot: false });
    await chat.idle();
    for (let resumes = 1; resumes <= 3; resumes += 1) {
      clock.advance(OWED_MS);
      // The failure is logged; the turn stays owed and comes due again.
      expect(await chat.resumeBotTurns()).toEqual({ resumed: 0 });
      expect((await store.getConversation(received.conversation.id))!.pendingBotTurns).toEqual([
        expect.objectContaining({ messageId: received.message.id, resumes }),
      ]);
    }
    expect(asked).toBe(4);
    clock.advance(OWED_MS);
    expect(await chat.resumeBotTurns()).toEqual({ resumed: 1 });
    expect(asked).toBe(4);
    const after = (await store.getConversation(received.conversation.id))!;
    expect(after).not.toHaveProperty('pendingBotTurns');
    expect(after.state).toBe('requested');
    const failed = (await store.listJourney(received.contact.id, { limit: 100, order: 'asc' })).items.filter((e) => e.type === 'bot.failed');
    expect(failed).toEqual([expect.objectContaining({ data: expect.objectContaining({ messageId: received.message.id, error: expect.stringContaining('after 3 resumes') }) })]);
    expect(transport.sent).toEqual([]);
  });

  it('are owed one per message: a later message’s turn leaves an earlier one owed', async () => {
    const store = memoryStore({ freeze: true });
    const gated = gatedBot('answer');
    const { chat } = engine(store, gated.bot);
    const say = (n: number) => chat.receive({ channel: 'whatsapp', from: '+1', externalId: `w${n}`, content: { type: 'text', text: `m${n}` } }, { waitForBot: false });
    const first = await say(1);
    const second = await say(2);
    while (gated.asked() < 2) await setImmediate();
    expect((await store.getConversation(first.conversation.id))!.pendingBotTurns?.map((turn) => turn.messageId)).toEqual([first.message.id, second.message.id]);
    gated.release();
    await chat.idle();
    expect(await store.getConversation(first.conversation.id)).not.toHaveProperty('pendingBotTurns');
    expect((await botReplies(store, first.contact.id)).map((e) => e.data['inReplyTo']).sort()).toEqual([first.message.id, second.message.id].sort());
  });

  it('are all resumed, in order, when a crash leaves several of one conversation while a new message is answered', async () => {
    const store = memoryStore({ freeze: true });
    const dead = engine(store, { respond: () => new Promise(() => {}) });
    const say = (chat: typeof dead.chat, n: number) =>
      chat.receive({ channel: 'whatsapp', from: '+1', externalId: `w${n}`, content: { type: 'text', text: `m${n}` } }, { waitForBot: false });
    const first = await say(dead.chat, 1);
    const second = await say(dead.chat, 2);
    const heir = engine(store, echoBot);
    heir.clock.advance(OWED_MS);
    // The customer writes again: that turn is answered live and leaves the two lost ones owed.
    const third = await heir.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w3', content: { type: 'text', text: 'm3' } });
    expect(third.conversation.pendingBotTurns?.map((turn) => turn.messageId)).toEqual([first.message.id, second.message.id]);
    expect(await heir.chat.resumeBotTurns()).toEqual({ resumed: 2 });
    await heir.chat.idle();
    expect(heir.transport.sent.map((m) => m.content)).toEqual(['m3', 'm1', 'm2'].map((text) => ({ type: 'text', text: `echo: ${text}` })));
    expect(await store.getConversation(first.conversation.id)).not.toHaveProperty('pendingBotTurns');
  });
});
