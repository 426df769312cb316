import { describe, expect, it } from 'vitest';
import type { Bot } from '../../src/index.js';
import { errorOf, setup } from '../engine/setup.js';

async function withDefinitions(options: Parameters<typeof setup>[0] = {}) {
  const env = await setup(options);
  await env.chat.attributes.define({ key: 'email', type: 'email', label: 'E-mail' });
  await env.chat.attributes.define({ key: 'seats', type: 'number', label: 'Seats' });
  await env.chat.attributes.define({ key: 'trial', type: 'boolean', label: 'On trial' });
  await env.chat.attributes.define({ key: 'renewal', type: 'date', label: 'Renewal' });
  await env.chat.attributes.define({ key: 'mobile', type: 'phone', label: 'Mobile' });
  await env.chat.attributes.define({ key: 'site', type: 'url', label: 'Website' });
  await env.chat.attributes.define({ key: 'size', type: 'one-of', label: 'Organization size', options: ['1-10', '11-50', '51+'] });
  await env.chat.attributes.define({ key: 'company', type: 'text', label: 'Company' });
  const { contact } = await env.say('hi');
  return { ...env, contactId: contact.id };
}

describe('attribute definitions', () => {
  it('are registered up front and listed by key, with the opt-out attribute', async () => {
    const { chat } = await withDefinitions();
    const list = await chat.attributes.list();
    expect(list.map((d) => d.key)).toEqual(['company', 'email', 'mobile', 'optedOut', 'renewal', 'seats', 'site', 'size', 'trial']);
    expect(list.find((d) => d.key === 'size')).toMatchObject({ type: 'one-of', label: 'Organization size', options: ['1-10', '11-50', '51+'], version: 1 });
    expect(list.find((d) => d.key === 'optedOut')).toMatchObject({ type: 'boolean' });
  });

  it('can be redefined, which bumps the version and keeps the creation time', async () => {
    const { chat, clock } = await withDefinitions();
    const before = (await chat.attributes.list()).find((d) => d.key === 'size')!;
    clock.advance(60_000);
    const after = await chat.attributes.define({ key: 'size', type: 'one-of', label: 'Team size', options: ['1-10', '11-50', '51-200', '201+'] });
    expect(after).toMatchObject({ label: 'Team size', version: 2, createdAt: before.createdAt });
  });

  it('refuses bad definitions with the path', async () => {
    const { chat } = await setup();
    expect(await errorOf(() => chat.attributes.define({ key: 'size', type: 'one-of', label: 'Size' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['options'] });
    expect(await errorOf(() => chat.attributes.define({ key: 'n', type: 'number', label: 'N', options: ['1'] }))).toMatchObject({ code: 'INVALID_INPUT', path: ['options'] });
    expect(await errorOf(() => chat.attributes.define({ key: '9lives', type: 'text', label: 'x' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['key'] });
    expect(await errorOf(() => chat.attributes.define({ key: 'x', type: 'colour' as never, label: 'x' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['type'] });
  });

  it('take an admin when an agent changes them', async () => {
    const { chat } = await setup();
    expect(await errorOf(() => chat.attributes.define({ key: 'x', type: 'text', label: 'X' }, { by: { agentId: 'asha' } }))).toMatchObject({ code: 'FORBIDDEN' });
    await expect(chat.attributes.define({ key: 'x', type: 'text', label: 'X' }, { by: { agentId: 'root' } })).resolves.toMatchObject({ key: 'x' });
  });
});

describe('attribute values', () => {
  const good: Array<[string, unknown]> = [
    ['email', 'maya@example.com'],
    ['seats', 42],
    ['trial', false],
    ['renewal', '2026-09-01'],
    ['renewal', '2026-09-01T10:00:00.000Z'],
    ['mobile', '+4915112345678'],
    ['site', 'https://example.com/about'],
    ['size', '11-50'],
    ['company', 'Acme'],
  ];
  for (const [key, value] of good) {
    it(`accepts ${key} = ${JSON.stringify(value)}`, async () => {
      const { chat, contactId } = await withDefinitions();
      const contact = await chat.contacts.setAttributes(contactId, { [key]: value } as never);
      expect(contact.attributes[key]).toBe(value);
    });
  }

  const bad: Array<[string, unknown]> = [
    ['email', 'maya-at-example'],
    ['seats', 'forty'],
    ['seats', Number.POSITIVE_INFINITY],
    ['trial', 'yes'],
    ['renewal', 'next tuesday'],
    ['mobile', '0151 1234'],
    ['site', 'ftp://example.com'],
    ['size', '5000+'],
    ['company', 7],
  ];
  for (const [key, value] of bad) {
    it(`refuses ${key} = ${JSON.stringify(value)} with INVALID_INPUT at [${key}], writing nothing`, async () => {
      const { chat, contactId, events } = await withDefinitions();
      const before = await chat.contact(contactId);
      const journeyBefore = await chat.journey(contactId, { limit: 500 });
      events.length = 0;
      const error = await errorOf(() => chat.contacts.setAttributes(contactId, { company: 'Acme', [key]: value } as never));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', path: [key] });
      expect(error.message).toContain(key);
      expect(await chat.contact(contactId)).toEqual(before);
      expect(await chat.journey(contactId, { limit: 500 })).toEqual(journeyBefore);
      expect(events).toEqual([]);
    });
  }

  it('clears a value with null, and clearing an unset value records nothing', async () => {
    const { chat, contactId } = await withDefinitions();
    await chat.contacts.setAttributes(contactId, { trial: null });
    await chat.contacts.setAttributes(contactId, { email: 'maya@example.com' });
    expect((await chat.contacts.setAttributes(contactId, { email: null })).attributes).toEqual({ email: null });
    const changes = (await chat.journey(contactId, { types: ['attribute.changed'] })).items.map((e) => e.data);
    expect(changes).toEqual([
      { key: 'email', old: null, new: 'maya@example.com' },
      { key: 'email', old: 'maya@example.com', new: null },
    ]);
  });

  it('stores undefined keys as text by default, and refuses them when the policy says so', async () => {
    const lenient = await withDefinitions();
    const stored = await lenient.chat.contacts.setAttributes(lenient.contactId, { plan: 'pro', employees: 12, beta: true });
    expect(stored.attributes).toMatchObject({ plan: 'pro', employees: '12', beta: 'true' });
    const strict = await withDefinitions({ policy: { undefinedAttributes: 'reject' } });
    expect(await errorOf(() => strict.chat.contacts.setAttributes(strict.contactId, { company: 'Acme', plan: 'pro' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['plan'] });
    expect((await strict.chat.contact(strict.contactId))?.attributes).toEqual({});
  });

  it('records key, old value, new value, who and when; an equal value records nothing', async () => {
    const { chat, contactId, clock, say } = await withDefinitions();
    const { conversation } = await say('again');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    await chat.contacts.setAttributes(contactId, { seats: 10 }, { by: { agentId: 'asha' } });
    clock.advance(5_000);
    await chat.contacts.setAttributes(contactId, { seats: 10, size: '11-50' }, { by: { agentId: 'asha' } });
    await chat.contacts.setAttributes(contactId, { seats: 12 });
    const changes = (await chat.journey(contactId, { types: ['attribute.changed'] })).items;
    expect(changes.map((e) => [e.actor, e.data, e.conversationId])).toEqual([
      [{ type: 'agent', id: 'asha' }, { key: 'seats', old: null, new: 10 }, conversation.id],
      [{ type: 'agent', id: 'asha' }, { key: 'size', old: null, new: '11-50' }, conversation.id],
      [{ type: 'api' }, { key: 'seats', old: 10, new: 12 }, conversation.id],
    ]);
    expect(changes[1]!.at).toBe(new Date(Date.parse(changes[0]!.at) + 5_000).toISOString());
  });

  it('validates what a bot learnt, and treats a bad value as a failed bot turn', async () => {
    const bot: Bot = { async respond() { return { attributes: { email: 'not-an-email' } }; } };
    const env = await setup({ bot });
    await env.chat.attributes.define({ key: 'email', type: 'email', label: 'E-mail' });
    const { contact, conversation } = await env.say('my mail is not-an-email');
    expect(contact.attributes).toEqual({});
    expect(conversation.state).toBe('requested');
    const failed = (await env.chat.journey(contact.id, { types: ['bot.failed'] })).items[0];
    expect(String(failed?.data['error'])).toMatch(/invalid decision.*email/);
  });
});
