import { describe, expect, it } from 'vitest';
import { AGENT_BUTTON_ID, keywordBot, type KeywordBotOptions } from '../../src/index.js';
import { errorOf, setup } from '../engine/setup.js';

const products: KeywordBotOptions['products'] = {
  catalog: [
    { id: 'solo', name: 'Solo', description: 'for one person', suits: { size: ['1-10'] } },
    { id: 'team-eu', name: 'Team EU', description: 'GDPR hosting', suits: { size: ['11-50', '51+'], country: ['DE', 'AT', 'FR'] } },
    { id: 'team-us', name: 'Team US', suits: { size: ['11-50', '51+'], country: ['US'] } },
    { id: 'enterprise', name: 'Enterprise', suits: { size: ['51+'] } },
  ],
  ask: [
    { attribute: 'size', question: 'How many people work at your organization?', options: [{ value: '1-10', title: '1-10' }, { value: '11-50', title: '11-50' }, { value: '51+', title: '51 or more' }] },
    {
      attribute: 'country',
      question: 'Where are you based?',
      options: [
        { value: 'DE', title: 'Germany' },
        { value: 'AT', title: 'Austria' },
        { value: 'FR', title: 'France' },
        { value: 'US', title: 'United States' },
      ],
    },
  ],
};

const options: KeywordBotOptions = {
  greeting: 'Hi! I am the Acme bot.',
  rules: [{ keywords: ['price'], reply: 'Plans start at $9/month.' }],
  faq: [
    { id: 'hours', question: 'Opening hours', keywords: ['open', 'hours'], answer: 'Mon-Fri, 9:00-17:00.' },
    { id: 'refund', question: 'Refunds', keywords: ['refund'], answer: 'Within 30 days, no questions asked.' },
  ],
  menu: { body: 'What can I help you with?', button: 'Topics' },
  handoffKeywords: ['human'],
  handoffReply: 'Connecting you to an agent.',
  agentButton: 'Talk to an agent',
  products,
};

const tap = (id: string, title = id) => ({ content: { type: 'interactive_reply' as const, kind: 'button' as const, id, title } });

describe('keywordBot', () => {
  it('answers FAQ by keyword, with a "Talk to an agent" button under the answer', async () => {
    const { chat, say, transport } = await setup({ bot: keywordBot(options) });
    await say('When are you open?');
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'Hi! I am the Acme bot.' },
      { type: 'buttons', body: 'Mon-Fri, 9:00-17:00.', buttons: [{ id: AGENT_BUTTON_ID, title: 'Talk to an agent' }] },
    ]);
  });

  it('offers the FAQ as a menu when nothing matches, and answers the question picked', async () => {
    const { chat, say, transport, clock } = await setup({ bot: keywordBot(options) });
    await say('hello');
    clock.advance(1_000); // the greeting is for the message that opened the chat only
    await say('something else entirely');
    await chat.idle();
    expect(transport.sent[1]!.content).toEqual({
      type: 'list',
      body: 'What can I help you with?',
      button: 'Topics',
      sections: [{ rows: [{ id: 'faq:hours', title: 'Opening hours' }, { id: 'faq:refund', title: 'Refunds' }, { id: AGENT_BUTTON_ID, title: 'Talk to an agent' }] }],
    });
    await say('x', '+15550001', tap('faq:refund', 'Refunds'));
    await chat.idle();
    expect(transport.sent.at(-1)!.content).toMatchObject({ type: 'buttons', body: 'Within 30 days, no questions asked.' });
  });

  it('requests a human when the customer taps "Talk to an agent"', async () => {
    const { chat, say } = await setup({ bot: keywordBot(options) });
    await say('hi');
    const r = await say('x', '+15550001', tap(AGENT_BUTTON_ID, 'Talk to an agent'));
    expect(r.conversation.state).toBe('requested');
    const request = (await chat.journey(r.contact.id, { types: ['intervention.requested'] })).items[0];
    expect(request).toMatchObject({ actor: { type: 'bot' }, data: { reason: 'customer asked for a human' } });
  });

  it('asks for the attributes it needs, stores the answers, then suggests the products that fit', async () => {
    const { chat, say, transport } = await setup({ bot: keywordBot(options) });
    const first = await say('Can you recommend a product?');
    await chat.idle();
    expect(transport.sent.at(-1)!.content).toEqual({
      type: 'buttons',
      body: 'How many people work at your organization?',
      buttons: [
        { id: 'attr:size="1-10"', title: '1-10' },
        { id: 'attr:size="11-50"', title: '11-50' },
        { id: 'attr:size="51+"', title: '51 or more' },
      ],
    });
    await say('x', '+15550001', tap('attr:size="11-50"', '11-50'));
    await chat.idle();
    // Four countries: a list rather than buttons.
    expect(transport.sent.at(-1)!.content).toMatchObject({ type: 'list', body: 'Where are you based?', sections: [{ rows: expect.arrayContaining([{ id: 'attr:country="DE"', title: 'Germany' }]) }] });
    await say('x', '+15550001', { content: { type: 'interactive_reply', kind: 'list', id: 'attr:country="DE"', title: 'Germany' } });
    await chat.idle();
    expect(transport.sent.at(-1)!.content).toEqual({
      type: 'buttons',
      body: 'Based on what you told us, we suggest:\n• Team EU — GDPR hosting',
      buttons: [{ id: AGENT_BUTTON_ID, title: 'Talk to an agent' }],
    });
    const profile = await chat.profile(first.contact.id);
    expect(profile.contact.attributes).toEqual({ size: '11-50', country: 'DE' });
    const changes = (await chat.journey(first.contact.id, { types: ['attribute.changed'] })).items;
    expect(changes.map((e) => [e.actor.type, e.data['key'], e.data['new']])).toEqual([
      ['bot', 'size', '11-50'],
      ['bot', 'country', 'DE'],
    ]);
  });

  it('suggests at once when the profile already has what it needs, and skips questions no product depends on', async () => {
    const { chat, say, transport } = await setup({ bot: keywordBot(options) });
    const { contact } = await say('hi');
    await chat.contacts.setAttributes(contact.id, { size: '1-10' });
    await say('Which product do you suggest?');
    await chat.idle();
    // Only Solo fits 1-10, and Solo does not care about the country: nothing more to ask.
    expect(transport.sent.at(-1)!.content).toMatchObject({ type: 'buttons', body: 'Based on what you told us, we suggest:\n• Solo — for one person' });
  });

  it('says so when nothing fits', async () => {
    const { chat, say, transport } = await setup({ bot: keywordBot({ ...options, agentButton: undefined }) });
    const { contact } = await say('hi');
    await chat.contacts.setAttributes(contact.id, { size: '11-50', country: 'JP' });
    await say('recommend something');
    await chat.idle();
    expect(transport.sent.at(-1)!.content).toEqual({ type: 'text', text: 'We could not find a product that fits you; an agent can help.' });
  });

  it('keeps the foundation behaviour: rules, greeting, fallback, handoff keywords', async () => {
    const { chat, say, transport } = await setup({ bot: keywordBot({ rules: [{ keywords: ['price'], reply: 'From $9.' }], fallback: 'Sorry?', handoffKeywords: ['agent'] }) });
    await say('price please');
    await say('???');
    const r = await say('AGENT');
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'From $9.' },
      { type: 'text', text: 'Sorry?' },
    ]);
    expect(r.conversation.state).toBe('requested');
  });

  it('validates its options', async () => {
    expect(await errorOf(async () => keywordBot({ faq: [{ id: 'x', question: 'A question far too long for a row', answer: 'a' }] }))).toMatchObject({
      code: 'INVALID_INPUT',
      path: ['faq', 0, 'question'],
    });
    expect(await errorOf(async () => keywordBot({ products: { catalog: [] } }))).toMatchObject({ code: 'INVALID_INPUT', path: ['products', 'catalog'] });
  });
});
