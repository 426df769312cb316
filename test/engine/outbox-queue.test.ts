import { describe, expect, it } from 'vitest';
import { createLiveChat, memoryTransport, silentLogger, type Transport } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { START } from './setup.js';

describe('outbox dispatch', () => {
  it('sends a message queued behind one that is being sent, without waiting for the scheduler', async () => {
    const inner = memoryTransport();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    // The first send hangs until released: the second reply is committed while it is in flight.
    const transport: Transport = {
      channel: 'whatsapp',
      async send(message) {
        calls += 1;
        if (calls === 1) await gate;
        return inner.send(message);
      },
    };
    const chat = createLiveChat({ clock: manualClock(START), transport, logger: silentLogger });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hi' } });
    await chat.intervene(conversation.id, { agentId: 'asha' });
    await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'one' } });
    while (calls === 0) await new Promise((r) => setImmediate(r));
    await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'two' } });
    release();
    await chat.idle();
    expect(inner.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ]);
  });
});
