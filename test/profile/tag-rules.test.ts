import { describe, expect, it } from 'vitest';
import { compileTagRule, compileTagRules, createLiveChat, type TagRuleDefinition } from '../../src/index.js';
import { errorOf, setup } from '../engine/setup.js';

const pricing: TagRuleDefinition = {
  id: 'pricing-interest',
  on: ['message.received'],
  if: { type: 'text', contains: ['price', 'cost'] },
  then: { add: ['pricing'] },
};

describe('declarative tag rules', () => {
  it('tag on message text inside the receiving unit of work, naming the rule in the journey', async () => {
    const { chat, say, events } = await setup({ tagRules: [pricing] });
    const r = await say('What does it COST per seat?');
    // One write of the contact: the rule ran inside receive's unit of work.
    expect(r.contact.version).toBe(1);
    expect(r.contact.tags['pricing']).toMatchObject({ source: 'rule', actor: { type: 'rule', id: 'pricing-interest' }, conversationId: r.conversation.id });
    const added = (await chat.journey(r.contact.id, { types: ['tag.added'], actor: { type: 'rule' } })).items;
    expect(added.map((e) => [e.actor, e.data['tag']])).toEqual([[{ type: 'rule', id: 'pricing-interest' }, 'pricing']]);
    expect(events.filter((e) => e.type === 'tag.added').map((e) => e.contact?.version)).toEqual([1, 1]);
    const other = await say('hello', '+15550009');
    expect(other.contact.tags['pricing']).toBeUndefined();
  });

  it('match regular expressions case-insensitively and look at button titles', async () => {
    const rule: TagRuleDefinition = { id: 'order', on: ['message.received'], if: { type: 'text', regex: '\\border\\s*#?\\d{4,}' }, then: { add: ['order-question'] } };
    const { say } = await setup({ tagRules: [rule] });
    expect((await say('Where is ORDER #12345?')).contact.tags['order-question']).toBeDefined();
    expect((await say('my border is 1234', '+2')).contact.tags['order-question']).toBeUndefined();
    const { contact } = await say('x', '+3', { content: { type: 'interactive_reply', kind: 'button', id: 'b1', title: 'Order 98765' } });
    expect(contact.tags['order-question']).toBeDefined();
  });

  it('combine attribute, tag and state tests on attribute changes, adding and removing tags', async () => {
    const rules: TagRuleDefinition[] = [
      {
        id: 'enterprise',
        on: ['attribute.changed'],
        if: {
          type: 'all',
          of: [
            { type: 'changed', keys: ['seats'] },
            { type: 'attribute', key: 'seats', op: 'gte', value: 50 },
            { type: 'attribute', key: 'country', op: 'in', values: ['DE', 'AT'] },
            { type: 'not', of: { type: 'tags', any: ['partner'] } },
            { type: 'state', in: ['active', 'intervened'] },
          ],
        },
        then: { add: ['enterprise-dach'], remove: ['smb'] },
      },
      { id: 'has-mail', on: ['attribute.changed'], if: { type: 'attribute', key: 'email', op: 'exists' }, then: { add: ['reachable'] } },
    ];
    const { chat, say } = await setup({ tagRules: rules });
    // Without a definition, seats would be stored as text and never compare as a number.
    await chat.attributes.define({ key: 'seats', type: 'number', label: 'Seats' });
    const { contact } = await say('hi');
    await chat.contacts.addTag(contact.id, 'smb');
    await chat.contacts.setAttributes(contact.id, { country: 'DE', seats: 10 });
    expect(Object.keys((await chat.contact(contact.id))!.tags).sort()).toEqual(['first-message', 'smb']);
    const after = await chat.contacts.setAttributes(contact.id, { seats: 80 });
    expect(Object.keys(after.tags).sort()).toEqual(['enterprise-dach', 'first-message']);
    const removed = (await chat.journey(contact.id, { types: ['tag.removed'] })).items[0];
    expect(removed).toMatchObject({ actor: { type: 'rule', id: 'enterprise' }, data: { tag: 'smb', source: 'rule', addedBy: 'api' } });
    expect(after.tags['reachable']).toBeUndefined();
    expect((await chat.contacts.setAttributes(contact.id, { email: 'a@b.co' })).tags['reachable']).toMatchObject({ actor: { type: 'rule', id: 'has-mail' } });
  });

  it('fire on the first message and on ad referrals', async () => {
    const rules: TagRuleDefinition[] = [
      { id: 'newcomer', on: ['first.message'], then: { add: ['new'] } },
      { id: 'spring-ad', on: ['referral.received'], if: { type: 'referral', sourceType: 'ad', headlineContains: 'spring' }, then: { add: ['spring-campaign'] } },
    ];
    const { say } = await setup({ tagRules: rules });
    const first = await say('hi', '+1', { referral: { sourceId: 'ad-1', sourceType: 'ad', headline: 'The SPRING sale' } });
    expect(Object.keys(first.contact.tags).sort()).toEqual(['first-message', 'new', 'spring-campaign']);
    const second = await say('hi again', '+2');
    expect(Object.keys(second.contact.tags).sort()).toEqual(['first-message', 'new']);
    const again = await say('still me', '+2', { referral: { sourceId: 'ad-2', sourceType: 'post', headline: 'Spring' } });
    expect(again.contact.tags['spring-campaign']).toBeUndefined();
  });

  it('run with code rules, in the order given', async () => {
    const { say } = await setup({
      tagRules: [
        { id: 'code', evaluate: ({ trigger, contact }) => (trigger === 'message.received' && contact.tags['pricing'] ? { add: ['saw-pricing'] } : null) },
        pricing,
        { id: 'code-after', evaluate: ({ trigger, contact }) => (trigger === 'message.received' && contact.tags['pricing'] ? { add: ['after-pricing'] } : null) },
      ],
    });
    const { contact } = await say('price?');
    expect(contact.tags['saw-pricing']).toBeUndefined();
    expect(contact.tags['after-pricing']).toBeDefined();
  });

  it('that fail to parse are a clear error naming the rule and the path', async () => {
    const bad: Array<[unknown, RegExp, PropertyKey[]]> = [
      [{ ...pricing, if: { type: 'text', regex: '([a-z' } }, /Tag rule "pricing-interest" is invalid at if\.regex: not a valid regular expression/, [1, 'if', 'regex']],
      [{ ...pricing, on: ['message.sent'] }, /"pricing-interest" is invalid at on\.0/, [1, 'on', 0]],
      [{ ...pricing, then: {} }, /"pricing-interest" is invalid at then: a rule must add or remove/, [1, 'then']],
      [{ ...pricing, if: { type: 'all', of: [{ type: 'attribute', key: 'x', op: 'near', value: 1 }] } }, /at if\.of\.0\.op/, [1, 'if', 'of', 0, 'op']],
      [{ ...pricing, if: { type: 'text' } }, /exactly one of contains and regex/, [1, 'if']],
      [{ on: ['message.received'], then: { add: ['x'] } }, /Tag rule #1 is invalid at id/, [1, 'id']],
      [{ ...pricing, id: 'first' }, /"first" is defined twice/, [1, 'id']],
    ];
    for (const [rule, message, path] of bad) {
      const error = await errorOf(async () => createLiveChat({ tagRules: [{ ...pricing, id: 'first' }, rule as TagRuleDefinition] }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(message);
      expect(error.path).toEqual(path);
    }
    expect(() => compileTagRule({ id: 'x', on: [], then: { add: ['y'] } })).toThrow(/Tag rule "x" is invalid at on/);
  });

  it('can live in a config file: JSON round-trips and compiles to the same behaviour', () => {
    const [rule] = compileTagRules(JSON.parse(JSON.stringify([pricing])));
    const message = { id: 'm', conversationId: 'c', contactId: 'ct', channel: 'whatsapp', direction: 'inbound', author: { type: 'customer' }, content: { type: 'text', text: 'Price list?' }, externalId: 'w', replyTo: null, status: 'received', error: null, at: '2026-01-01T00:00:00.000Z', statusAt: '2026-01-01T00:00:00.000Z' } as const;
    const contact = { id: 'ct', channel: 'whatsapp', address: '+1', name: null, attributes: {}, tags: {}, referral: null, firstSeenAt: message.at, lastSeenAt: message.at, lastInboundAt: null, version: 1 };
    expect(rule!.evaluate({ trigger: 'message.received', contact, conversation: null, message })).toEqual({ add: ['pricing'] });
    expect(rule!.evaluate({ trigger: 'first.message', contact, conversation: null, message })).toBeNull();
  });
});

describe('the first-message tag', () => {
  it('is chosen by keyword rules on the first message, else the default', async () => {
    const { say } = await setup({ policy: { firstMessageTagRules: [{ keywords: ['job', 'career'], tag: 'applicant' }, { keywords: ['price'], tag: 'lead' }] } });
    expect(Object.keys((await say('Any CAREER openings?', '+1')).contact.tags)).toEqual(['applicant']);
    expect((await say('price?', '+2')).contact.tags['lead']).toMatchObject({ source: 'first-message', actor: { type: 'system' } });
    expect(Object.keys((await say('hello', '+3')).contact.tags)).toEqual(['first-message']);
    // Only the first message ever chooses it.
    expect(Object.keys((await say('price?', '+3')).contact.tags)).toEqual(['first-message']);
  });

  it('can be switched off', async () => {
    const { say } = await setup({ policy: { firstMessageTag: null } });
    expect((await say('hello')).contact.tags).toEqual({});
  });
});
