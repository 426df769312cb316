import { describe, expect, it } from 'vitest';
import type { Bot } from '../../src/index.js';
import { echoBot, setup } from './setup.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('the bot\u2019s turn', () => {
  it('answers in Active and, by default, in Requested', async () => {
    const { chat, say, transport } = await setup({ bot: echoBot });
    const { conversation } = await say('one');
    await chat.requestIntervention(conversation.id, { by: 'customer' });
    await say('two');
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'echo: one' },
      { type: 'text', text: 'echo: two' },
    ]);
  });

  it('stays silent in Requested when the policy says so, keeping the message for the agent', async () => {
    const { chat, say, transport } = await setup({ bot: echoBot, policy: { botAnswersRequested: false } });
    const { conversation } = await say('one');
    await chat.requestIntervention(conversation.id, { by: 'customer' });
    await say('two');
    await chat.idle();
    expect(transport.sent).toHaveLength(1);
    expect((await chat.messages(conversation.id)).items.filter((m) => m.direction === 'inbound')).toHaveLength(2);
  });

  it('is never asked while an agent owns the chat', async () => {
    let asked = 0;
    const bot: Bot = { async respond() { asked += 1; return {}; } };
    const { chat, say } = await setup({ bot });
    const { conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    await say('are you there?');
    expect(asked).toBe(1);
  });

  it('drops its reply when an agent intervened meanwhile, and the journey says so', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bot: Bot = { async respond() { await gate; return { replies: [{ type: 'text', text: 'bot answer' }] }; } };
    const { chat, transport } = await setup({ bot });
    const received = chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } });
    // Wait until the inbound message is committed and the bot is thinking.
    let open;
    while (!(open = (await chat.inbox({ view: 'active' })).items[0])) await tick();
    await chat.intervene(open.id, { agentId: 'asha' });
    release();
    const { conversation, contact } = await received;
    await chat.idle();
    expect(conversation).toMatchObject({ state: 'intervened', assignee: 'asha' });
    expect(transport.sent).toEqual([]);
    const suppressed = (await chat.journey(contact.id)).items.find((e) => e.type === 'bot.suppressed');
    expect(suppressed).toMatchObject({ actor: { type: 'bot' }, data: { replies: 1, state: 'intervened', assignee: 'asha' } });
  });

  it('requests a human when the bot throws', async () => {
    const bot: Bot = { async respond() { throw new Error('model offline'); } };
    const { chat, say } = await setup({ bot });
    const { conversation, contact } = await say('hi');
    expect(conversation.state).toBe('requested');
    const types = (await chat.journey(contact.id)).items.map((e) => [e.type, e.actor.type]);
    expect(types).toContainEqual(['bot.failed', 'bot']);
    expect(types).toContainEqual(['intervention.requested', 'bot']);
  });

  it('takes a decision returned without a promise, and a synchronous throw is a failure like a rejection', async () => {
    const sync: Bot = { respond: ({ message }) => ({ replies: [{ type: 'text', text: `sync: ${message.content.type}` }] }) };
    const answered = await setup({ bot: sync });
    await answered.say('hi');
    await answered.chat.idle();
    expect(answered.transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'sync: text' }]);

    const throwing: Bot = {
      respond() {
        throw new Error('rules broken');
      },
    };
    const { chat, say } = await setup({ bot: throwing });
    const { conversation, contact } = await say('hi');
    expect(conversation.state).toBe('requested');
    const failed = (await chat.journey(contact.id)).items.find((e) => e.type === 'bot.failed');
    expect(failed?.data['error']).toBe('bot failed: rules broken');
  });

  it('requests a human when the bot times out, and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const bot: Bot = { respond: (_input, ctx) => { signal = ctx.signal; return new Promise(() => {}); } };
    const { chat, clock } = await setup({ bot, policy: { botTimeoutMs: 5_000 } });
    const received = chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } });
    while (clock.pendingTimers === 0) await tick(); // the bot's timeout is armed
    clock.advance(4_999);
    expect(signal?.aborted).toBe(false);
    clock.advance(1);
    const { conversation, contact } = await received;
    expect(signal?.aborted).toBe(true);
    expect(conversation.state).toBe('requested');
    const failed = (await chat.journey(contact.id)).items.find((e) => e.type === 'bot.failed');
    expect(String(failed?.data['error'])).toMatch(/timed out/);
  });

  it('treats an invalid decision as a failure, and can be told to ignore failures', async () => {
    const bot = { async respond() { return { replies: [{ type: 'nonsense' }] }; } } as unknown as Bot;
    const { chat, say } = await setup({ bot, policy: { onBotFailure: 'ignore' } });
    const { conversation, contact } = await say('hi');
    expect(conversation.state).toBe('active');
    const failed = (await chat.journey(contact.id)).items.find((e) => e.type === 'bot.failed');
    expect(String(failed?.data['error'])).toMatch(/invalid decision/);
  });

  it('applies attributes and tags the bot learnt, with the bot as actor', async () => {
    const bot: Bot = { async respond() { return { attributes: { country: 'DE' }, tags: ['lead'] }; } };
    const { chat, say } = await setup({ bot });
    const { contact } = await say('I am in Germany');
    expect(contact.attributes).toEqual({ country: 'DE' });
    expect(contact.tags['lead']).toMatchObject({ source: 'api', actor: { type: 'bot' } });
    const changed = (await chat.journey(contact.id)).items.find((e) => e.type === 'attribute.changed');
    expect(changed).toMatchObject({ actor: { type: 'bot' }, data: { key: 'country', old: null, new: 'DE' } });
  });
});

describe('contacts', () => {
  it('records attribute changes with old and new value and who, and nothing for an equal value', async () => {
    const { chat, say } = await setup();
    const { contact, conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const updated = await chat.contacts.setAttributes(contact.id, { email: 'maya@example.com' }, { by: { agentId: 'asha' } });
    expect(updated.attributes).toEqual({ email: 'maya@example.com' });
    await chat.contacts.setAttributes(contact.id, { email: 'maya@example.com' }, { by: { agentId: 'asha' } });
    await chat.contacts.setAttributes(contact.id, { email: 'maya@new.example' });
    const changes = (await chat.journey(contact.id)).items.filter((e) => e.type === 'attribute.changed');
    expect(changes.map((e) => [e.actor, e.data])).toEqual([
      [{ type: 'agent', id: 'asha' }, { key: 'email', old: null, new: 'maya@example.com' }],
      [{ type: 'api' }, { key: 'email', old: 'maya@example.com', new: 'maya@new.example' }],
    ]);
  });

  it('adds and removes tags with provenance; an agent may not touch another agent\u2019s customer', async () => {
    const { chat, say } = await setup();
    await chat.tags.define({ name: 'vip', category: 'Value' });
    const { contact, conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const tagged = await chat.contacts.addTag(contact.id, 'vip', { by: { agentId: 'asha' } });
    expect(tagged.tags['vip']).toMatchObject({ source: 'manual', actor: { type: 'agent', id: 'asha' }, conversationId: conversation.id });
    await expect(chat.contacts.addTag(contact.id, 'spam', { by: { agentId: 'bo' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(chat.contacts.addTag(contact.id, 'x', { by: { agentId: 'ghost' } })).rejects.toMatchObject({ code: 'UNKNOWN_AGENT' });
    const untagged = await chat.contacts.removeTag(contact.id, 'vip', { by: { agentId: 'root' } });
    expect(untagged.tags['vip']).toBeUndefined();
    const removed = (await chat.journey(contact.id)).items.find((e) => e.type === 'tag.removed');
    expect(removed).toMatchObject({ actor: { type: 'agent', id: 'root' }, data: { tag: 'vip', addedBy: 'manual' } });
    await expect(chat.contacts.addTag('ct_nope', 'vip')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
