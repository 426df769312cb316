import { describe, expect, it } from 'vitest';
import { createLiveChat, keywordBot, memoryStore, memoryTransport, silentLogger, type Store } from '../../src/index.js';
import { HOUR, errorOf, setup } from './setup.js';

async function intervened(options: Parameters<typeof setup>[0] = {}) {
  const env = await setup(options);
  const { conversation, contact } = await env.say('help');
  await env.chat.intervene(conversation.id, { agentId: 'asha' });
  return { ...env, id: conversation.id, contactId: contact.id };
}

describe('outbox', () => {
  it('writes the outbound message and its send in one commit, and sends after it', async () => {
    const { chat, id, transport, events } = await intervened();
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'Hi Maya' }, replyTo: 'wamid.1' });
    await chat.idle();
    expect(transport.sent).toEqual([
      { messageId: message.id, to: '+15550001', content: { type: 'text', text: 'Hi Maya' }, replyTo: 'wamid.1', externalId: transport.sent[0]!.externalId },
    ]);
    const stored = (await chat.messages(id)).items.find((m) => m.id === message.id);
    expect(stored).toMatchObject({ status: 'sent', externalId: transport.sent[0]!.externalId });
    expect(events.filter((e) => e.type === 'message.status').map((e) => e.message?.status)).toEqual(['sent']);
    expect(await chat.store.claimOutbox({ now: '2100-01-01T00:00:00.000Z', leaseUntil: '2100-01-01T00:00:01.000Z', limit: 10 })).toEqual([]);
  });

  it('retries retryable failures with backoff and then sends', async () => {
    const { chat, id, transport, clock } = await intervened({ policy: { retryBaseMs: 1000 } });
    transport.fail({ times: 2, kind: 'retryable' });
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'retry me' } });
    await chat.idle();
    expect(transport.attempts).toHaveLength(1);
    expect(await chat.flush()).toBe(0); // not due yet: backoff
    clock.advance(1300);
    await chat.flush();
    expect(transport.attempts).toHaveLength(2);
    clock.advance(2600);
    await chat.flush();
    expect(transport.sent).toHaveLength(1);
    expect((await chat.store.getMessage(message.id))?.status).toBe('sent');
  });

  it('marks the message failed with the reason after a final failure, and says so in the journey', async () => {
    const { chat, id, transport, contactId } = await intervened();
    transport.fail({ kind: 'final' });
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'doomed' } });
    await chat.idle();
    expect(await chat.store.getMessage(message.id)).toMatchObject({ status: 'failed', error: { code: 'memory.final' } });
    const failed = (await chat.journey(contactId)).items.find((e) => e.type === 'message.failed');
    expect(failed).toMatchObject({ actor: { type: 'system' }, data: { messageId: message.id, kind: 'final', code: 'memory.final' } });
    expect(transport.sent).toEqual([]);
  });

  it('gives up after maxSendAttempts retryable failures', async () => {
    const { chat, id, transport, clock } = await intervened({ policy: { maxSendAttempts: 3, retryBaseMs: 10 } });
    transport.fail({ times: 10, kind: 'retryable' });
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'x' } });
    await chat.idle();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      await chat.flush();
    }
    expect(transport.attempts).toHaveLength(3);
    expect(await chat.store.getMessage(message.id)).toMatchObject({ status: 'failed' });
  });

  it('keeps one conversation\u2019s messages in order when the first must be retried', async () => {
    const { chat, id, transport, clock } = await intervened();
    transport.fail({ times: 1, kind: 'retryable' });
    await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'first' } });
    await chat.idle();
    await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'second' } });
    await chat.idle();
    clock.advance(60_000);
    await chat.flush();
    expect(transport.sent.map((s) => (s.content.type === 'text' ? s.content.text : ''))).toEqual(['first', 'second']);
  });

  it('re-dispatches after a crash between commit and send, once the dead dispatcher\u2019s lease expires', async () => {
    const { createLiveChat, memoryTransport, silentLogger } = await import('../../src/index.js');
    const env = await setup();
    const { conversation } = await env.say('help');
    await env.chat.intervene(conversation.id, { agentId: 'asha' });
    // The first engine's transport never answers: the process "dies" mid-send.
    const hung = { channel: 'whatsapp', send: () => new Promise<never>(() => {}) };
    const doomed = createLiveChat({ store: env.store, clock: env.clock, transport: hung, logger: silentLogger });
    const { message } = await doomed.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'survive' } });
    const transport = memoryTransport();
    const restarted = createLiveChat({ store: env.store, clock: env.clock, transport, logger: silentLogger });
    expect(await restarted.flush()).toBe(0); // still leased by the dead dispatcher
    env.clock.advance(env.chat.policy.outboxLeaseMs + 1);
    expect(await restarted.flush()).toBe(1);
    expect(transport.sent.map((s) => s.messageId)).toEqual([message.id]);
    expect((await env.store.getMessage(message.id))?.status).toBe('sent');
    env.clock.advance(env.chat.policy.outboxLeaseMs + 1);
    expect(await restarted.flush()).toBe(0);
  });
});

describe('outbox round trips', () => {
  const counted = (store: Store) => {
    const calls = { claimOutbox: [] as number[], getMessage: 0 };
    const wrapped: Store = {
      ...store,
      async claimOutbox(query) {
        const claimed = await store.claimOutbox(query);
        calls.claimOutbox.push(claimed.length);
        return claimed;
      },
      async getMessage(id) {
        calls.getMessage += 1;
        return store.getMessage(id);
      },
    };
    return { wrapped, calls };
  };

  it('claims a reply in the commit that queues it and records the send without reading the message back', async () => {
    const { wrapped, calls } = counted(memoryStore({ freeze: true }));
    const transport = memoryTransport();
    const chat = createLiveChat({ store: wrapped, transport, logger: silentLogger, bot: keywordBot({ fallback: 'on it' }) });
    await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hello' } });
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([{ type: 'text', text: 'on it' }]);
    const reply = (await wrapped.getMessage(transport.sent[0]!.messageId))!;
    expect(reply).toMatchObject({ status: 'sent', externalId: transport.sent[0]!.externalId });
    // The only claim after the send looks for what queued behind it, and finds nothing.
    expect(calls.claimOutbox).toEqual([0]);
    expect(calls.getMessage).toBe(1); // the read just above
  });

  it('tidies away a send that another dispatcher settled while this one was sending', async () => {
    const store = memoryStore({ freeze: true });
    const transport = memoryTransport();
    const racing = {
      ...transport,
      async send(message: Parameters<typeof transport.send>[0]) {
        // Another instance (whose lease we outlived) records the same message as sent first.
        await store.commit({ messageUpdates: [{ id: message.messageId, expectedStatus: 'pending', status: 'sent', statusAt: new Date().toISOString(), externalId: 'wamid.other' }] });
        return transport.send(message);
      },
    };
    const chat = createLiveChat({ store, transport: racing, logger: silentLogger, bot: keywordBot({ fallback: 'on it' }) });
    await chat.receive({ channel: 'whatsapp', from: '+1', externalId: 'w1', content: { type: 'text', text: 'hello' } });
    await chat.idle();
    expect((await store.getMessage(transport.sent[0]!.messageId))?.externalId).toBe('wamid.other');
    expect(await store.claimOutbox({ now: '2100-01-01T00:00:00.000Z', leaseUntil: '2100-01-01T00:00:01.000Z', limit: 10 })).toEqual([]);
  });
});

describe('reply window', () => {
  it('refuses free-form content 24 h after the last inbound message, before the transport', async () => {
    const { chat, id, clock, transport } = await intervened();
    clock.advance(23 * HOUR);
    await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'still open' } });
    clock.advance(1 * HOUR + 1);
    const error = await errorOf(() => chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'too late' } }));
    expect(error).toMatchObject({ code: 'REPLY_WINDOW_CLOSED' });
    expect(error.message).toMatch(/template/);
    await chat.idle();
    expect(transport.attempts.map((a) => (a.content.type === 'text' ? a.content.text : a.content.type))).toEqual(['still open']);
  });

  it('always allows templates', async () => {
    const { chat, id, clock } = await intervened();
    clock.advance(23.9 * HOUR);
    await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'our reply keeps the chat open, not the window' } });
    clock.advance(2 * HOUR);
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'template', name: 'follow_up', language: 'en_US' } });
    expect(message.status).toBe('pending');
  });

  it('reopens with each new inbound message', async () => {
    const { chat, id, clock, say } = await intervened();
    clock.advance(20 * HOUR);
    await say('still there?');
    clock.advance(20 * HOUR);
    await expect(chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'yes' } })).resolves.toBeTruthy();
  });
});

describe('delivery receipts', () => {
  it('moves statuses forward only and ignores duplicates and stale receipts', async () => {
    const { chat, id, transport, events } = await intervened();
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'hi' } });
    await chat.idle();
    const externalId = transport.sent[0]!.externalId;
    const status = (s: 'delivered' | 'read' | 'failed' | 'sent') => chat.updateStatus({ channel: 'whatsapp', externalId, status: s });
    expect((await status('read')).changed).toBe(true);
    expect((await status('delivered')).changed).toBe(false);
    expect((await status('read')).changed).toBe(false);
    expect((await status('failed')).changed).toBe(false);
    expect((await chat.store.getMessage(message.id))?.status).toBe('read');
    expect(events.filter((e) => e.type === 'message.status').map((e) => e.message?.status)).toEqual(['sent', 'read']);
  });

  it('records a delivery failure with the channel\u2019s error in the journey', async () => {
    const { chat, id, transport, contactId } = await intervened();
    await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'hi' } });
    await chat.idle();
    const externalId = transport.sent[0]!.externalId;
    const result = await chat.updateStatus({ channel: 'whatsapp', externalId, status: 'failed', error: { code: '131026', message: 'Message undeliverable' } });
    expect(result.message).toMatchObject({ status: 'failed', error: { code: '131026' } });
    const failed = (await chat.journey(contactId)).items.find((e) => e.type === 'message.failed');
    expect(failed?.data).toMatchObject({ code: '131026', reason: 'Message undeliverable', stage: 'delivery' });
  });

  it('answers unknown external ids without an error', async () => {
    const { chat } = await setup();
    expect(await chat.updateStatus({ channel: 'whatsapp', externalId: 'wamid.other-system', status: 'read' })).toEqual({ message: null, changed: false });
  });
});
