import { describe, expect, it } from 'vitest';
import { memoryStore, type ChangeSet, type Store } from '../../src/index.js';
import { errorOf, setup } from '../engine/setup.js';

describe('the tag catalog', () => {
  it('defines tags in categories, lists them by name, and updates them', async () => {
    const { chat, clock } = await setup();
    await chat.tags.define({ name: 'vip', category: 'Value', description: 'Top customers', color: '#d4af37' });
    await chat.tags.define({ name: 'churn-risk', category: 'Retention' });
    expect((await chat.tags.list()).map((t) => [t.name, t.category, t.version])).toEqual([
      ['churn-risk', 'Retention', 1],
      ['vip', 'Value', 1],
    ]);
    clock.advance(1_000);
    const updated = await chat.tags.define({ name: 'vip', category: 'Loyalty' });
    expect(updated).toMatchObject({ category: 'Loyalty', description: null, color: null, version: 2 });
    expect(await errorOf(() => chat.tags.define({ name: '', category: 'x' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['name'] });
    expect(await errorOf(() => chat.tags.define({ name: 'x', category: 'y' }, { by: { agentId: 'bo' } }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets agents apply only catalog tags by hand; integrator code may apply any', async () => {
    const { chat, say } = await setup();
    await chat.tags.define({ name: 'vip', category: 'Value' });
    const { contact } = await say('hi');
    expect(await errorOf(() => chat.contacts.addTag(contact.id, 'made-up', { by: { agentId: 'asha' } }))).toMatchObject({ code: 'UNKNOWN_TAG', details: { tag: 'made-up' } });
    expect((await chat.contact(contact.id))?.tags['made-up']).toBeUndefined();
    const manual = await chat.contacts.addTag(contact.id, 'vip', { by: { agentId: 'asha' } });
    expect(manual.tags['vip']).toMatchObject({ source: 'manual', actor: { type: 'agent', id: 'asha' } });
    const api = await chat.contacts.addTag(contact.id, 'crm-synced');
    expect(api.tags['crm-synced']).toMatchObject({ source: 'api', actor: { type: 'api' } });
    // Removing is not restricted to the catalog: an agent may take off an automated tag.
    const removed = await chat.contacts.removeTag(contact.id, 'first-message', { by: { agentId: 'asha' } });
    expect(removed.tags['first-message']).toBeUndefined();
  });

  it('renames a tag in the catalog and on every contact, keeping provenance', async () => {
    const { chat, say, clock } = await setup();
    await chat.tags.define({ name: 'vip', category: 'Value', color: 'gold' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { contact } = await say('hi', `+1555000${i}`);
      ids.push(contact.id);
      if (i < 4) await chat.contacts.addTag(contact.id, 'vip', { by: { agentId: 'asha' } });
    }
    // One holder already has the new name: its own assignment wins.
    await chat.contacts.addTag(ids[3]!, 'gold-tier');
    const before = (await chat.contact(ids[0]!))!.tags['vip'];
    clock.advance(60_000);
    const result = await chat.tags.rename('vip', 'gold-tier', { by: { agentId: 'root' } });
    expect(result).toMatchObject({ contacts: 4, definition: { name: 'gold-tier', category: 'Value', color: 'gold' } });
    expect((await chat.tags.list()).map((t) => t.name)).toEqual(['gold-tier']);
    expect((await chat.contact(ids[0]!))?.tags).toEqual({ 'first-message': expect.anything(), 'gold-tier': before });
    expect((await chat.contact(ids[3]!))?.tags['gold-tier']).toMatchObject({ source: 'api' });
    expect((await chat.contact(ids[4]!))?.tags['gold-tier']).toBeUndefined();
    const renamed = (await chat.journey(ids[0]!, { types: ['tag.renamed'] })).items;
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatchObject({ actor: { type: 'agent', id: 'root' }, data: { from: 'vip', to: 'gold-tier', assignment: before } });
    expect(await chat.audience.count({ tags: { all: ['vip'] } })).toBe(0);
    expect(await chat.audience.count({ tags: { all: ['gold-tier'] } })).toBe(4);
    // Manual tagging now takes the new name only.
    expect(await errorOf(() => chat.contacts.addTag(ids[4]!, 'vip', { by: { agentId: 'asha' } }))).toMatchObject({ code: 'UNKNOWN_TAG' });
  });

  it('refuses a rename onto an existing catalog name, and an unknown tag', async () => {
    const { chat } = await setup();
    await chat.tags.define({ name: 'a', category: 'x' });
    await chat.tags.define({ name: 'b', category: 'x' });
    expect(await errorOf(() => chat.tags.rename('a', 'b'))).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await errorOf(() => chat.tags.rename('ghost', 'c'))).toMatchObject({ code: 'UNKNOWN_TAG' });
    expect(await errorOf(() => chat.tags.rename('a', 'a'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await errorOf(() => chat.tags.delete('ghost'))).toMatchObject({ code: 'UNKNOWN_TAG' });
  });

  it('renames an automated tag that is not in the catalog', async () => {
    const { chat, say } = await setup();
    const { contact } = await say('hi');
    const result = await chat.tags.rename('first-message', 'inbound-lead');
    expect(result).toEqual({ definition: null, contacts: 1 });
    expect(Object.keys((await chat.contact(contact.id))!.tags)).toEqual(['inbound-lead']);
  });

  it('deletes a tag from the catalog and from every contact, saying why in the journey', async () => {
    const { chat, say } = await setup();
    await chat.tags.define({ name: 'spam', category: 'Hygiene' });
    const { contact } = await say('hi');
    await chat.contacts.addTag(contact.id, 'spam', { by: { agentId: 'asha' } });
    expect(await chat.tags.delete('spam', { by: { agentId: 'root' } })).toEqual({ contacts: 1 });
    expect(await chat.tags.list()).toEqual([]);
    expect((await chat.contact(contact.id))?.tags['spam']).toBeUndefined();
    const removed = (await chat.journey(contact.id, { types: ['tag.removed'] })).items[0];
    expect(removed).toMatchObject({ actor: { type: 'agent', id: 'root' }, data: { tag: 'spam', addedBy: 'manual', reason: 'tag deleted' } });
  });

  it('moves assignments in batches, and a rename interrupted by a crash finishes when called again', async () => {
    const inner = memoryStore();
    let commits = 0;
    let crashAt = -1;
    // A store that fails once, on the n-th commit that moves contacts.
    const store: Store = {
      ...inner,
      capabilities: inner.capabilities,
      async commit(changes: ChangeSet) {
        if ((changes.contacts?.length ?? 0) >= 100) {
          commits += 1;
          if (commits === crashAt) throw new Error('connection reset');
        }
        return inner.commit(changes);
      },
    };
    const { chat, say } = await setup({ store });
    await chat.tags.define({ name: 'vip', category: 'Value' });
    for (let i = 0; i < 450; i += 1) {
      const { contact } = await say('hi', `+1666${String(i).padStart(6, '0')}`);
      await chat.contacts.addTag(contact.id, 'vip', { by: { agentId: 'asha' } });
    }
    crashAt = commits + 2;
    expect(await errorOf(() => chat.tags.rename('vip', 'gold'))).toMatchObject({ code: 'STORE_ERROR' });
    // The catalog moved and the first batch of 200 too; the rest still carry the old name.
    expect((await chat.tags.list()).map((t) => t.name)).toEqual(['gold']);
    expect(await chat.audience.count({ tags: { all: ['gold'] } })).toBe(200);
    expect(await chat.audience.count({ tags: { all: ['vip'] } })).toBe(250);
    expect(await chat.tags.rename('vip', 'gold')).toEqual({ definition: expect.objectContaining({ name: 'gold' }), contacts: 250 });
    expect(await chat.audience.count({ tags: { all: ['gold'] } })).toBe(450);
    expect(await chat.audience.count({ tags: { any: ['vip'] } })).toBe(0);
  });
});
