import { describe, expect, it } from 'vitest';
import { keywordBot, type TagRule } from '../../src/index.js';
import { HOUR, echoBot, setup } from './setup.js';

describe('receive', () => {
  it('creates the contact, opens a conversation and records the journey', async () => {
    const { chat, say } = await setup();
    const { contact, conversation, message, duplicate } = await say('Hi there', '+15550001', { profile: { name: 'Maya' } });
    expect(duplicate).toBe(false);
    expect(contact).toMatchObject({ channel: 'whatsapp', address: '+15550001', name: 'Maya', version: 1 });
    expect(conversation).toMatchObject({ contactId: contact.id, state: 'active', assignee: null, version: 1 });
    expect(message).toMatchObject({ direction: 'inbound', author: { type: 'customer' }, status: 'received', externalId: 'wamid.1' });
    const journey = await chat.journey(contact.id);
    expect(journey.items.map((e) => e.type)).toEqual(['contact.created', 'conversation.opened', 'message.received', 'tag.added']);
    expect(journey.items[3]!.data).toMatchObject({ tag: 'first-message', source: 'first-message' });
    expect((await chat.contact(contact.id))?.tags['first-message']).toMatchObject({ source: 'first-message', conversationId: conversation.id });
  });

  it('is idempotent on (channel, externalId): a redelivery changes nothing', async () => {
    const { chat, store, events } = await setup({ bot: echoBot });
    const input = { channel: 'whatsapp', from: '+15550001', externalId: 'wamid.same', content: { type: 'text' as const, text: 'Hi' } };
    const first = await chat.receive(input);
    await chat.idle();
    const eventsBefore = events.length;
    const journeyBefore = await chat.journey(first.contact.id, { limit: 500 });
    const again = await chat.receive({ ...input, content: { type: 'text', text: 'different body, same id' } });
    await chat.idle();
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    expect(events.length).toBe(eventsBefore);
    expect(await chat.journey(first.contact.id, { limit: 500 })).toEqual(journeyBefore);
    expect((await store.listMessages(first.conversation.id, { limit: 50, order: 'asc' })).items).toHaveLength(2);
  });

  it('keeps one conversation per contact and updates the contact on every message', async () => {
    const { chat, say, clock } = await setup();
    const a = await say('one');
    clock.advance(60_000);
    const b = await say('two', '+15550001', { profile: { name: 'Maya R.' } });
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(b.contact.id).toBe(a.contact.id);
    expect(b.contact).toMatchObject({ name: 'Maya R.', version: 2, lastInboundAt: clock.now().toISOString() });
    expect(b.conversation.lastActivityAt).toBe(clock.now().toISOString());
    expect(b.conversation.historyDueAt).toBe(new Date(clock.now().getTime() + 24 * HOUR).toISOString());
    // The first-message tag is applied once, on the first message ever.
    expect((await chat.journey(a.contact.id)).items.filter((e) => e.type === 'tag.added')).toHaveLength(1);
  });

  it('orders by the customer\u2019s timestamp and never lets it run ahead of the clock', async () => {
    const { say, clock } = await setup();
    const early = new Date(clock.now().getTime() - 5 * 60_000);
    const r = await say('late webhook', '+15550001', { at: early });
    expect(r.message.at).toBe(early.toISOString());
    const future = new Date(clock.now().getTime() + HOUR);
    const f = await say('skewed', '+15550001', { at: future.toISOString() });
    expect(f.message.at).toBe(clock.now().toISOString());
  });

  it('keeps an ad referral on the contact and in the journey', async () => {
    const { chat, say } = await setup();
    const referral = { sourceUrl: 'https://fb.me/spring', sourceId: 'ad-42', sourceType: 'ad', headline: 'Spring sale' };
    const r = await say('I saw your ad', '+15550001', { referral });
    expect(r.contact.referral).toEqual(referral);
    const entry = (await chat.journey(r.contact.id)).items.find((e) => e.type === 'referral.received');
    expect(entry?.data).toMatchObject({ sourceId: 'ad-42', headline: 'Spring sale' });
  });

  it('keeps unsupported content instead of dropping it', async () => {
    const { chat, say } = await setup();
    const r = await say('x', '+15550001', { content: { type: 'unsupported', originalType: 'order', payload: { catalog_id: '7' } } });
    const page = await chat.messages(r.conversation.id);
    expect(page.items[0]!.content).toEqual({ type: 'unsupported', originalType: 'order', payload: { catalog_id: '7' } });
  });

  it('runs tag rules in the same unit of work and names the rule in the journey', async () => {
    const vip: TagRule = {
      id: 'pricing-interest',
      evaluate: ({ message }) => (message?.content.type === 'text' && /price/i.test(message.content.text) ? { add: ['pricing'] } : null),
    };
    const { chat, say } = await setup({ tagRules: [vip] });
    const r = await say('What is the PRICE?');
    expect(r.contact.tags['pricing']).toMatchObject({ source: 'rule', actor: { type: 'rule', id: 'pricing-interest' } });
    const entry = (await chat.journey(r.contact.id)).items.find((e) => e.type === 'tag.added' && e.data['tag'] === 'pricing');
    expect(entry?.actor).toEqual({ type: 'rule', id: 'pricing-interest' });
  });

  it('lets the bot answer and resolves after the bot\u2019s turn', async () => {
    const bot = keywordBot({ rules: [{ keywords: ['hours'], reply: 'We open at 9.' }], handoffKeywords: ['agent'] });
    const { chat, transport, say } = await setup({ bot });
    const r = await say('opening hours?');
    const messages = await chat.messages(r.conversation.id);
    expect(messages.items.map((m) => [m.direction, m.author.type])).toEqual([
      ['inbound', 'customer'],
      ['outbound', 'bot'],
    ]);
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'We open at 9.' }]);
    expect((await chat.messages(r.conversation.id)).items[1]!.status).toBe('sent');
  });

  it('resolves right after the commit with waitForBot: false; idle() waits for the bot', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowBot = { async respond() { await gate; return { replies: [{ type: 'text' as const, text: 'late' }] }; } };
    const { chat, transport } = await setup({ bot: slowBot });
    const r = await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } }, { waitForBot: false });
    expect(r.message.status).toBe('received');
    expect((await chat.messages(r.conversation.id)).items).toHaveLength(1);
    release();
    await chat.idle();
    expect(transport.sent).toHaveLength(1);
  });

  it('moves the chat to Requested on a handoff keyword', async () => {
    const bot = keywordBot({ handoffKeywords: ['agent'], handoffReply: 'Connecting you.' });
    const { chat, say } = await setup({ bot });
    const r = await say('I want an AGENT');
    expect(r.conversation.state).toBe('requested');
    const types = (await chat.journey(r.contact.id)).items.map((e) => e.type);
    expect(types).toContain('intervention.requested');
    const req = (await chat.journey(r.contact.id)).items.find((e) => e.type === 'intervention.requested');
    expect(req?.actor).toEqual({ type: 'bot' });
  });
});
