import { describe, expect, it } from 'vitest';
import { LiveChatError, createLiveChat, keywordBot } from '../../src/index.js';
import { errorOf, setup } from './setup.js';

describe('bad input', () => {
  async function env() {
    const e = await setup();
    const { conversation, contact } = await e.say('hi');
    await e.chat.intervene(conversation.id, { agentId: 'asha' });
    e.events.length = 0;
    return { ...e, id: conversation.id, contactId: contact.id };
  }

  // Each case: the call, and the input path the error must name.
  const cases: Array<[string, (e: Awaited<ReturnType<typeof env>>) => Promise<unknown>, PropertyKey[]]> = [
    ['receive without content', (e) => e.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w9' } as never), ['content']],
    ['receive with an unknown content type', (e) => e.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w9', content: { type: 'hologram' } } as never), ['content', 'type']],
    ['receive with an empty address', (e) => e.chat.receive({ channel: 'whatsapp', from: '', externalId: 'w9', content: { type: 'text', text: 'x' } }), ['from']],
    ['receive with a bad time', (e) => e.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w9', at: 'yesterday', content: { type: 'text', text: 'x' } }), ['at']],
    ['receive with media lacking a source', (e) => e.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w9', content: { type: 'image' } } as never), ['content']],
    ['receive with bad options', (e) => e.chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w9', content: { type: 'text', text: 'x' } }, { waitForBot: 'yes' } as never), ['waitForBot']],
    ['reply with empty text', (e) => e.chat.reply(e.id, { agentId: 'asha', content: { type: 'text', text: '' } }), ['content', 'text']],
    ['reply with inbound-only content', (e) => e.chat.reply(e.id, { agentId: 'asha', content: { type: 'quick_reply', payload: 'x', text: 'x' } } as never), ['content', 'type']],
    ['reply without agent', (e) => e.chat.reply(e.id, { content: { type: 'text', text: 'x' } } as never), ['agentId']],
    ['intervene with a number id', (e) => e.chat.intervene(42 as never, { agentId: 'asha' }), []],
    ['transfer without target', (e) => e.chat.transfer(e.id, { agentId: 'asha' } as never), ['to']],
    ['request by a stranger', (e) => e.chat.requestIntervention(e.id, { by: 'alien' } as never), ['by']],
    ['status that goes backwards to pending', (e) => e.chat.updateStatus({ channel: 'whatsapp', externalId: 'x', status: 'pending' } as never), ['status']],
    ['inbox of an unknown view', (e) => e.chat.inbox({ view: 'archive' } as never), ['view']],
    ['inbox with a huge page', (e) => e.chat.inbox({ view: 'active', limit: 100_000 }), ['limit']],
    ['counts with a numeric viewer', (e) => e.chat.counts({ viewer: 7 } as never), ['viewer']],
    ['messages with a bad order', (e) => e.chat.messages(e.id, { order: 'sideways' } as never), ['order']],
    ['journey with a negative limit', (e) => e.chat.journey(e.contactId, { limit: -1 }), ['limit']],
    ['attributes with an object value', (e) => e.chat.contacts.setAttributes(e.contactId, { address: { street: 'x' } } as never), ['address']],
    ['a tag that is not a string', (e) => e.chat.contacts.addTag(e.contactId, 7 as never), []],
    ['an agent without a role', (e) => e.chat.agents.upsert({ id: 'x', name: 'X' } as never), ['role']],
  ];

  for (const [name, call, path] of cases) {
    it(`rejects ${name} with INVALID_INPUT naming the path, writing nothing`, async () => {
      const e = await env();
      const before = await e.chat.journey(e.contactId, { limit: 500 });
      const conversation = await e.chat.conversation(e.id);
      const error = await errorOf(() => call(e));
      expect(error).toBeInstanceOf(LiveChatError);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.path).toEqual(path);
      expect(error.message.length).toBeGreaterThan(10);
      expect(e.events).toEqual([]);
      expect(await e.chat.journey(e.contactId, { limit: 500 })).toEqual(before);
      expect(await e.chat.conversation(e.id)).toEqual(conversation);
      expect(await e.chat.agents.get('x')).toBeNull();
    });
  }

  it('rejects a bad policy and bad bot options when they are created', () => {
    expect(() => createLiveChat({ policy: { botTimeoutMs: -5 } })).toThrow(LiveChatError);
    expect(() => createLiveChat({ policy: { historyAfter: { hours: 'many' } } as never })).toThrow(/policy\.historyAfter\.hours/);
    expect(() => createLiveChat({ policy: { lastSeenPrecisionMs: -1 } })).toThrow(/policy\.lastSeenPrecisionMs/);
    expect(() => keywordBot({ rules: [{ keywords: [], reply: 'x' }] })).toThrow(/keywords/);
  });
});
