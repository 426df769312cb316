import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveChatError, type AttributeValue } from '../../src/index.js';
import { setup } from '../engine/setup.js';

// A model of what tag and attribute commands must do to two contacts, checked command by command
// against the engine: the resulting tags (with their source) and attributes, which commands fail
// with which code, that a failed command writes nothing, and that the journey grows by exactly
// one entry per real change.

type Model = {
  attributes: Array<Record<string, AttributeValue>>;
  tags: Array<Record<string, string>>;
  catalog: Set<string>;
};

const keys = ['seats', 'country', 'email', 'nickname'] as const;
const values: Record<(typeof keys)[number], unknown[]> = {
  seats: [1, 50, 'ten', null, Number.NaN],
  country: ['DE', 'US', 'FR', null],
  email: ['maya@example.com', 'not-an-email', null],
  nickname: ['Mo', 7, true, null],
};
const tagPool = ['vip', 'lead', 'gold', 'first-message'];

type Command =
  | { kind: 'set'; who: number; entries: Array<[number, number]>; viaAgent: boolean }
  | { kind: 'add' | 'remove'; who: number; tag: number; viaAgent: boolean }
  | { kind: 'define' | 'delete'; tag: number }
  | { kind: 'rename'; tag: number; to: number };

const who = fc.integer({ min: 0, max: 1 });
const tag = fc.integer({ min: 0, max: tagPool.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), who, entries: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat({ max: 4 })), { minLength: 1, maxLength: 3 }), viaAgent: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('add' as const, 'remove' as const), who, tag, viaAgent: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('define' as const, 'delete' as const), tag }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), tag, to: tag }) },
);

const valid = (key: string, value: unknown): boolean => {
  if (value === null) return true;
  if (key === 'seats') return typeof value === 'number' && Number.isFinite(value);
  if (key === 'country') return value === 'DE' || value === 'US';
  if (key === 'email') return typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(value);
  return true;
};

const input = (cmd: Extract<Command, { kind: 'set' }>): Record<string, unknown> =>
  Object.fromEntries(cmd.entries.map(([k, v]) => [keys[k]!, values[keys[k]!][v % values[keys[k]!].length]]));

/** What the model says a command does: an error code, or the journey entries it adds. */
function apply(model: Model, cmd: Command, strict: boolean): { error: string } | { entries: number } {
  switch (cmd.kind) {
    case 'set': {
      const changes: Record<string, AttributeValue> = {};
      // As an object literal would: a key given twice keeps its last value.
      for (const [key, value] of Object.entries(input(cmd))) {
        if (key === 'nickname' && strict) return { error: 'INVALID_INPUT' };
        if (!valid(key, value)) return { error: 'INVALID_INPUT' };
        changes[key] = key === 'nickname' && value !== null ? String(value) : (value as AttributeValue);
      }
      let entries = 0;
      const attributes = { ...model.attributes[cmd.who]! };
      for (const [key, value] of Object.entries(changes)) {
        if ((attributes[key] ?? null) === value) continue;
        attributes[key] = value;
        entries += 1;
      }
      model.attributes[cmd.who] = attributes;
      return { entries };
    }
    case 'add': {
      const name = tagPool[cmd.tag]!;
      if (cmd.viaAgent && !model.catalog.has(name)) return { error: 'UNKNOWN_TAG' };
      if (model.tags[cmd.who]![name]) return { entries: 0 };
      model.tags[cmd.who]![name] = cmd.viaAgent ? 'manual' : 'api';
      return { entries: 1 };
    }
    case 'remove': {
      const name = tagPool[cmd.tag]!;
      if (!model.tags[cmd.who]![name]) return { entries: 0 };
      delete model.tags[cmd.who]![name];
      return { entries: 1 };
    }
    case 'define':
      model.catalog.add(tagPool[cmd.tag]!);
      return { entries: 0 };
    case 'delete': {
      const name = tagPool[cmd.tag]!;
      const holders = model.tags.filter((t) => t[name]).length;
      if (!model.catalog.has(name) && holders === 0) return { error: 'UNKNOWN_TAG' };
      model.catalog.delete(name);
      for (const t of model.tags) delete t[name];
      return { entries: holders };
    }
    case 'rename': {
      const from = tagPool[cmd.tag]!;
      const to = tagPool[cmd.to]!;
      if (from === to) return { error: 'INVALID_INPUT' };
      if (model.catalog.has(from) && model.catalog.has(to)) return { error: 'ALREADY_EXISTS' };
      const holders = model.tags.filter((t) => t[from]).length;
      if (!model.catalog.has(from) && !model.catalog.has(to) && holders === 0) return { error: 'UNKNOWN_TAG' };
      if (model.catalog.delete(from)) model.catalog.add(to);
      for (const t of model.tags) {
        if (!t[from]) continue;
        t[to] ??= t[from]!;
        delete t[from];
      }
      return { entries: holders };
    }
  }
}

describe('tag and attribute commands', () => {
  it('do what the model says, write nothing when refused, and journal exactly the changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 40 }), async (strict, commands) => {
        const { chat, say } = await setup({ policy: { undefinedAttributes: strict ? 'reject' : 'text' } });
        await chat.attributes.define({ key: 'seats', type: 'number', label: 'Seats' });
        await chat.attributes.define({ key: 'country', type: 'one-of', label: 'Country', options: ['DE', 'US'] });
        await chat.attributes.define({ key: 'email', type: 'email', label: 'E-mail' });
        await chat.tags.define({ name: 'vip', category: 'Value' });
        const ids = [(await say('hi', '+1')).contact.id, (await say('hi', '+2')).contact.id];
        const model: Model = { attributes: [{}, {}], tags: [{ 'first-message': 'first-message' }, { 'first-message': 'first-message' }], catalog: new Set(['vip']) };
        const journeyLength = async () => (await Promise.all(ids.map(async (id) => (await chat.journey(id, { limit: 500 })).items.length))).reduce((a, b) => a + b, 0);

        for (const cmd of commands) {
          const before = await journeyLength();
          const contactsBefore = await Promise.all(ids.map((id) => chat.contact(id)));
          const expected = apply(model, cmd, strict);
          let error: string | null = null;
          try {
            const by = 'viaAgent' in cmd && cmd.viaAgent ? { by: { agentId: 'asha' } } : {};
            if (cmd.kind === 'set') {
              await chat.contacts.setAttributes(ids[cmd.who]!, input(cmd) as never, by);
            } else if (cmd.kind === 'add') await chat.contacts.addTag(ids[cmd.who]!, tagPool[cmd.tag]!, by);
            else if (cmd.kind === 'remove') await chat.contacts.removeTag(ids[cmd.who]!, tagPool[cmd.tag]!, by);
            else if (cmd.kind === 'define') await chat.tags.define({ name: tagPool[cmd.tag]!, category: 'Any' });
            else if (cmd.kind === 'delete') await chat.tags.delete(tagPool[cmd.tag]!);
            else if (cmd.kind === 'rename') await chat.tags.rename(tagPool[cmd.tag]!, tagPool[cmd.to]!);
          } catch (e) {
            if (!(e instanceof LiveChatError)) throw e;
            error = e.code;
          }
          if ('error' in expected) {
            expect(error).toBe(expected.error);
            expect(await Promise.all(ids.map((id) => chat.contact(id)))).toEqual(contactsBefore);
            expect(await journeyLength()).toBe(before);
          } else {
            expect(error).toBeNull();
            expect(await journeyLength()).toBe(before + expected.entries);
          }
          for (const [i, id] of ids.entries()) {
            const contact = (await chat.contact(id))!;
            expect(contact.attributes).toEqual(model.attributes[i]);
            expect(Object.fromEntries(Object.entries(contact.tags).map(([name, a]) => [name, a.source]))).toEqual(model.tags[i]);
          }
          expect(new Set((await chat.tags.list()).map((t) => t.name))).toEqual(model.catalog);
        }
      }),
      { numRuns: 60 },
    );
  });
});
