import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/index.js';
import { storeContract } from '../../src/testing/index.js';

storeContract('memory', () => memoryStore());
storeContract('memory, frozen records', () => memoryStore({ freeze: true }));

describe('memoryStore options', () => {
  const contact = {
    id: 'ct_1',
    channel: 'whatsapp',
    address: '+15550001',
    name: null,
    attributes: { plan: 'pro' },
    tags: {},
    referral: null,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    lastInboundAt: null,
    version: 1,
  };

  it('with freeze, a record handed out throws where it is mutated, nested parts included', async () => {
    const store = memoryStore({ freeze: true });
    expect(await store.commit({ contacts: [{ record: structuredClone(contact), expectedVersion: null }] })).toEqual({ ok: true });
    const read = (await store.getContact('ct_1'))!;
    expect(() => ((read as { name: string | null }).name = 'x')).toThrow(TypeError);
    expect(() => ((read.attributes as Record<string, unknown>)['plan'] = 'free')).toThrow(TypeError);
    expect((await store.getContact('ct_1'))!.attributes).toEqual({ plan: 'pro' });
  });

  it('without freeze (the default), records stay plain objects', async () => {
    const store = memoryStore();
    await store.commit({ contacts: [{ record: structuredClone(contact), expectedVersion: null }] });
    expect(Object.isFrozen(await store.getContact('ct_1'))).toBe(false);
  });

  it('rejects unknown or mistyped options with INVALID_INPUT', () => {
    expect(() => memoryStore({ freeze: 'yes' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => memoryStore({ freez: true } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
