import { describe, expect, it } from 'vitest';
import { errorOf, setup } from '../engine/setup.js';

describe('bad input to the profile entry points', () => {
  async function env() {
    const e = await setup();
    const { contact } = await e.say('hi');
    await e.chat.idle();
    e.events.length = 0;
    return { ...e, contactId: contact.id };
  }

  // Each case: the call, and the input path the error must name.
  const cases: Array<[string, (e: Awaited<ReturnType<typeof env>>) => Promise<unknown>, PropertyKey[]]> = [
    ['an audience with an unknown operator', (e) => e.chat.audience.count({ attributes: [{ key: 'x', op: 'like', value: 'a' }] } as never), ['attributes', 0, 'op']],
    ['an audience with an empty tag list', (e) => e.chat.audience.count({ tags: { any: [] } }), ['tags', 'any']],
    ['an audience with an unknown part', (e) => e.chat.audience.count({ segment: 'x' } as never), []],
    ['an audience with a bad time', (e) => e.chat.audience.list({ lastSeen: { from: 'last week' } }), ['lastSeen', 'from']],
    ['an audience page of 0', (e) => e.chat.audience.list({}, { limit: 0 }), ['limit']],
    ['an in-test without values', (e) => e.chat.audience.count({ attributes: [{ key: 'x', op: 'in', values: [] }] }), ['attributes', 0, 'values']],
    ['a tag definition without category', (e) => e.chat.tags.define({ name: 'x' } as never), ['category']],
    ['a rename to an empty name', (e) => e.chat.tags.rename('vip', ''), []],
    ['stats without an end', (e) => e.chat.stats({ from: new Date() } as never), ['to']],
    ['a profile of a number', (e) => e.chat.profile(7 as never), []],
    ['a journey filtered by an unknown actor type', (e) => e.chat.journey(e.contactId, { actor: { type: 'robot' } } as never), ['actor', 'type']],
    ['attributes with a nested object', (e) => e.chat.contacts.setAttributes(e.contactId, { company: { name: 'x' } } as never), ['company']],
    ['a broadcast without a name', (e) => e.chat.broadcast({ template: { type: 'template', name: 't', language: 'en_US' } } as never), ['name']],
    ['a campaign list with a bad cursor type', (e) => e.chat.broadcasts.list({ cursor: 5 } as never), ['cursor']],
  ];

  for (const [name, call, path] of cases) {
    it(`rejects ${name} with INVALID_INPUT naming the path, writing nothing`, async () => {
      const e = await env();
      const before = await e.chat.journey(e.contactId, { limit: 500 });
      const error = await errorOf(() => call(e));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.path).toEqual(path);
      expect(await e.chat.journey(e.contactId, { limit: 500 })).toEqual(before);
      expect(await e.chat.tags.list()).toEqual([]);
      expect((await e.chat.broadcasts.list()).items).toEqual([]);
      expect(e.events).toEqual([]);
    });
  }
});
