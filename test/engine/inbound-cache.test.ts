import { describe, expect, it } from 'vitest';
import { createLiveChat, keywordBot, memoryStore, memoryTransport, silentLogger, type Store } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { START, remoteStore } from './setup.js';

const text = (from: string, externalId: string, body = 'hi') => ({ channel: 'whatsapp', from, externalId, content: { type: 'text' as const, text: body } });

describe('the inbound cache (stores whose reads cost a round trip)', () => {
  it('commits a known customer\u2019s next message without reading first', async () => {
    const { store, reads } = remoteStore();
    const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger, bot: keywordBot({ fallback: 'ok' }) });
    await chat.receive(text('+1', 'w1'));
    await chat.receive(text('+1', 'w2'));
    await chat.receive(text('+1', 'w3'));
    expect(reads.findInbound).toBe(1);
    const { items } = await chat.messages((await store.findOpenConversation((await store.findContact('whatsapp', '+1'))!.id))!.id, { limit: 10 });
    expect(items.map((m) => [m.direction, m.externalId ?? 'reply'])).toEqual([
      ['inbound', 'w1'],
      ['outbound', items[1]!.externalId],
      ['inbound', 'w2'],
      ['outbound', items[3]!.externalId],
      ['inbound', 'w3'],
      ['outbound', items[5]!.externalId],
    ]);
  });

  it('retries on fresh reads when another engine changed the chat, and the change wins', async () => {
    const { store, reads, shared } = remoteStore();
    const clock = manualClock(START);
    const transport = memoryTransport();
    const cached = createLiveChat({ store, clock, transport, logger: silentLogger, bot: keywordBot({ fallback: 'bot here' }) });
    const other = createLiveChat({ store: shared, clock, logger: silentLogger });
    await other.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation } = await cached.receive(text('+1', 'w1'));
    // Another instance: an agent takes the chat there; this engine still keeps the old version.
    await other.intervene(conversation.id, { agentId: 'asha' });
    const next = await cached.receive(text('+1', 'w2', 'are you there?'));
    await cached.idle();
    expect(next.conversation).toMatchObject({ id: conversation.id, state: 'intervened', assignee: 'asha' });
    expect(reads.findInbound).toBe(2); // the first message, and the retry of the second
    // The bot answered the first message only: the second went to the agent.
    expect(transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'bot here' }]);
  });

  it('follows what this engine itself commits, so its own agents’ work costs no retry', async () => {
    const { store, reads } = remoteStore();
    const commits: number[] = [];
    const counting: Store = { ...store, commit: (changes) => (commits.push(1), store.commit(changes)) };
    const chat = createLiveChat({ store: counting, clock: manualClock(START), logger: silentLogger });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation, contact } = await chat.receive(text('+1', 'w1'));
    await chat.intervene(conversation.id, { agentId: 'asha' });
    await chat.contacts.setAttributes(contact.id, { email: 'maya@example.com' }, { by: { agentId: 'asha' } });
    commits.length = 0;
    const next = await chat.receive(text('+1', 'w2'));
    expect(next.conversation).toMatchObject({ state: 'intervened', assignee: 'asha' });
    expect(next.contact.attributes).toEqual({ email: 'maya@example.com' });
    expect(commits).toHaveLength(1); // no refused commit first
    expect(reads.findInbound).toBe(1);
  });

  it('answers a redelivery as a duplicate without changing anything, also from a kept record', async () => {
    const { store } = remoteStore();
    const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger });
    const first = await chat.receive(text('+1', 'w1'));
    const again = await chat.receive(text('+1', 'w1'));
    expect(again.duplicate).toBe(true);
    expect(again.message.id).toBe(first.message.id);
    expect(await store.getConversation(first.conversation.id)).toEqual(first.conversation);
  });

  it('keeps at most inboundCacheSize customers, and none with 0', async () => {
    for (const [size, expected] of [
      [1, 4], // two customers taking turns push each other out
      [2, 2],
      [0, 4],
    ] as const) {
      const { store, reads } = remoteStore();
      const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger, policy: { inboundCacheSize: size } });
      for (const [i, from] of ['+1', '+2', '+1', '+2'].entries()) await chat.receive(text(from, `w${i}`));
      expect(reads.findInbound).toBe(expected);
    }
  });

  it('drops the customer who wrote least recently, not the one who wrote first', async () => {
    const { store, reads } = remoteStore();
    const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger, policy: { inboundCacheSize: 2 } });
    for (const [i, from] of ['+1', '+2', '+1', '+3'].entries()) await chat.receive(text(from, `w${i}`));
    reads.findInbound = 0;
    // +3 took +2's place (+1 wrote after +2): +1 and +3 are kept, +2 is read again.
    await chat.receive(text('+1', 'w4'));
    await chat.receive(text('+3', 'w5'));
    expect(reads.findInbound).toBe(0);
    await chat.receive(text('+2', 'w6'));
    expect(reads.findInbound).toBe(1);
  });

  it('is not used with a store in the same process', async () => {
    const shared = memoryStore();
    let reads = 0;
    const store: Store = { ...shared, findInbound: (...args) => ((reads += 1), shared.findInbound!(...args)) };
    const chat = createLiveChat({ store, clock: manualClock(START), logger: silentLogger });
    await chat.receive(text('+1', 'w1'));
    await chat.receive(text('+1', 'w2'));
    expect(reads).toBe(2);
  });
});
