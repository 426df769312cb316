import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLiveChat, LiveChatError, memoryStore, silentLogger, type OutboundContent, type OutboundMessage } from '../../../src/index.js';
import { manualClock, type ManualClock } from '../../../src/testing/index.js';
import { whatsappTransport, type WhatsAppTransportOptions } from '../../../src/adapters/whatsapp/index.js';
import { GRAPH, PHONE_NUMBER_ID, TOKEN, graphApi, metaErrors } from './graph-api.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Lets promise chains and msw's interception run, without moving time. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
async function settle(turns = 20) {
  for (let i = 0; i < turns; i += 1) await turn();
}

function setup(options: Partial<WhatsAppTransportOptions> = {}, clock: ManualClock = manualClock('2026-03-01T10:00:00.000Z')) {
  const graph = graphApi(() => clock.now().getTime());
  server.use(...graph.handlers);
  const transport = whatsappTransport({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, graphVersion: 'v25.0', clock, random: () => 0, ...options });
  return { graph, transport, clock, t0: clock.now().getTime() };
}

const to = '+16505551234';
const msg = (content: OutboundContent, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ messageId: 'msg_1', to, content, replyTo: null, ...extra });

describe('whatsappTransport: send bodies', () => {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  it.each<[string, OutboundContent, Record<string, unknown>]>([
    ['text with URL preview', { type: 'text', text: 'See https://example.com', previewUrl: true }, { type: 'text', text: { body: 'See https://example.com', preview_url: true } }],
    ['text', { type: 'text', text: 'Hi' }, { type: 'text', text: { body: 'Hi' } }],
    ['image by id with caption', { type: 'image', mediaId: '1479537139650973', caption: 'The blue one' }, { type: 'image', image: { id: '1479537139650973', caption: 'The blue one' } }],
    ['video by link', { type: 'video', link: 'https://cdn.example.com/v.mp4' }, { type: 'video', video: { link: 'https://cdn.example.com/v.mp4' } }],
    [
      'document with caption and filename',
      { type: 'document', link: 'https://cdn.example.com/invoice.pdf', caption: 'Your invoice', filename: 'invoice.pdf' },
      { type: 'document', document: { link: 'https://cdn.example.com/invoice.pdf', caption: 'Your invoice', filename: 'invoice.pdf' } },
    ],
    ['audio (no caption)', { type: 'audio', mediaId: '5', voice: true }, { type: 'audio', audio: { id: '5' } }],
    ['sticker', { type: 'sticker', mediaId: '6' }, { type: 'sticker', sticker: { id: '6' } }],
    [
      'location',
      { type: 'location', latitude: 37.44216251868683, longitude: -122.16153582049394, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301' },
      { type: 'location', location: { latitude: 37.44216251868683, longitude: -122.16153582049394, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301' } },
    ],
    [
      'contacts',
      { type: 'contacts', contacts: [{ name: 'Barbara Johnson', phones: [{ phone: '+14155550123', waId: '14155550123', type: 'MOBILE' }] }] },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Barbara Johnson', first_name: 'Barbara Johnson' }, phones: [{ phone: '+14155550123', wa_id: '14155550123', type: 'MOBILE' }] }] },
    ],
    ['reaction', { type: 'reaction', messageId: 'wamid.abc', emoji: '\u{1F600}' }, { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '\u{1F600}' } }],
    ['reaction removal', { type: 'reaction', messageId: 'wamid.abc' }, { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '' } }],
    [
      'reply buttons',
      { type: 'buttons', header: 'Order #123', body: 'Cancel it?', footer: 'Lucky Shrub', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Order #123' },
          body: { text: 'Cancel it?' },
          footer: { text: 'Lucky Shrub' },
          action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
        },
      },
    ],
    [
      'a list',
      { type: 'list', body: 'Which shipping?', button: 'Shipping options', sections: [{ title: 'I want it ASAP!', rows: [{ id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' }] }] },
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Which shipping?' },
          action: { button: 'Shipping options', sections: [{ title: 'I want it ASAP!', rows: [{ id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' }] }] },
        },
      },
    ],
    [
      'a template with header, body and button parameters',
      {
        type: 'template',
        name: 'order_delivery_update',
        language: 'en_US',
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/box.png' } }] },
          { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }, { type: 'text', text: '566701' }] },
          { type: 'button', subType: 'url', index: 0, parameters: [{ type: 'text', text: '566701' }] },
        ],
      },
      {
        type: 'template',
        template: {
          name: 'order_delivery_update',
          language: { code: 'en_US' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/box.png' } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }, { type: 'text', text: '566701' }] },
            { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '566701' }] },
          ],
        },
      },
    ],
  ])('sends %s as the Graph API body and returns the wamid', async (_, content, expected) => {
    const { graph, transport } = setup();
    const result = await transport.send(msg(content));
    expect(result).toEqual({ ok: true, externalId: expect.stringMatching(/^wamid\./) });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({ method: 'POST', url: `${GRAPH}/${PHONE_NUMBER_ID}/messages`, authorization: `Bearer ${TOKEN}` });
    expect(graph.requests[0]!.body).toEqual({ ...base, ...expected });
  });

  it('adds reply context and the plus to a bare wa_id', async () => {
    const { graph, transport } = setup();
    await transport.send(msg({ type: 'text', text: 'Yes!' }, { to: '16505551234', replyTo: 'wamid.CUSTOMER_QUESTION' }));
    expect(graph.requests[0]!.body).toMatchObject({ to: '+16505551234', context: { message_id: 'wamid.CUSTOMER_QUESTION' } });
  });

  it('talks to a configurable base URL', async () => {
    const clock = manualClock();
    const seen: string[] = [];
    const transport = whatsappTransport({
      phoneNumberId: '1',
      accessToken: 't',
      graphVersion: 'v25.0',
      baseUrl: 'http://127.0.0.1:9/graph/',
      clock,
      fetch: async (url) => {
        seen.push(String(url));
        return Response.json({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.local' }] });
      },
    });
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toEqual({ ok: true, externalId: 'wamid.local' });
    expect(seen).toEqual(['http://127.0.0.1:9/graph/v25.0/1/messages']);
  });
});

describe('whatsappTransport: limits are checked before sending', () => {
  const button = (i: number) => ({ id: `b${i}`, title: `Button ${i}` });
  it.each<[string, OutboundContent, string]>([
    ['a text over 4096 characters', { type: 'text', text: 'x'.repeat(4097) }, 'content.text'],
    ['a caption over 1024 characters', { type: 'image', mediaId: '1', caption: 'x'.repeat(1025) }, 'content.caption'],
    ['four buttons', { type: 'buttons', body: 'Pick', buttons: [button(1), button(2), button(3), button(4)] }, 'content.buttons'],
    ['a button title over 20 characters', { type: 'buttons', body: 'Pick', buttons: [{ id: 'a', title: 'x'.repeat(21) }] }, 'content.buttons.0.title'],
    ['duplicate button ids', { type: 'buttons', body: 'Pick', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }, 'content.buttons'],
    ['a button body over 1024 characters', { type: 'buttons', body: 'x'.repeat(1025), buttons: [button(1)] }, 'content.body'],
    ['a footer over 60 characters', { type: 'buttons', body: 'Pick', footer: 'x'.repeat(61), buttons: [button(1)] }, 'content.footer'],
    [
      'eleven list rows',
      { type: 'list', body: 'Pick', button: 'Open', sections: [{ rows: Array.from({ length: 6 }, (_, i) => button(i)) }, { rows: Array.from({ length: 5 }, (_, i) => button(i + 6)) }] },
      'content.sections',
    ],
    ['a row title over 24 characters', { type: 'list', body: 'Pick', button: 'Open', sections: [{ rows: [{ id: 'r', title: 'x'.repeat(25) }] }] }, 'content.sections.0.rows.0.title'],
    ['a row description over 72 characters', { type: 'list', body: 'Pick', button: 'Open', sections: [{ rows: [{ id: 'r', title: 'R', description: 'x'.repeat(73) }] }] }, 'content.sections.0.rows.0.description'],
  ])('refuses %s without a request', async (_, content, path) => {
    const { graph, transport } = setup();
    const result = await transport.send(msg(content));
    expect(result).toMatchObject({ ok: false, kind: 'final', error: { code: 'INVALID_INPUT', message: expect.stringContaining(path) } });
    expect(() => transport.validate(content)).toThrow(LiveChatError);
    expect(graph.requests).toHaveLength(0);
  });

  it('accepts content exactly at the limits', async () => {
    const { transport } = setup();
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, title: 'x'.repeat(24), description: 'y'.repeat(72) }));
    for (const content of [
      { type: 'text', text: 'x'.repeat(4096) },
      { type: 'buttons', body: 'x'.repeat(1024), footer: 'f'.repeat(60), buttons: [button(1), button(2), { id: 'b3', title: 'x'.repeat(20) }] },
      { type: 'list', body: 'Pick', button: 'Open', sections: [{ rows: rows.slice(0, 5) }, { rows: rows.slice(5) }] },
    ] satisfies OutboundContent[]) {
      expect(() => transport.validate(content)).not.toThrow();
      expect((await transport.send(msg(content))).ok).toBe(true);
    }
  });

  it("makes the engine refuse an agent's reply that breaks them, before anything is stored", async () => {
    const { transport, clock } = setup();
    const chat = createLiveChat({ transport, clock, store: memoryStore(), logger: silentLogger });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: to, externalId: 'wamid.in', content: { type: 'text', text: 'hi' } });
    await chat.intervene(conversation.id, { agentId: 'asha' });
    const reply = chat.reply(conversation.id, { agentId: 'asha', content: { type: 'buttons', body: 'Pick', buttons: [button(1), button(2), button(3), button(4)] } });
    await expect(reply).rejects.toMatchObject({ code: 'INVALID_INPUT', path: ['buttons'] });
    expect((await chat.messages(conversation.id)).items).toHaveLength(1);
  });
});

describe('whatsappTransport: errors are classified by error.code', () => {
  it('reports 131047 as the reply window closed (REPLY_WINDOW_CLOSED), final', async () => {
    const { graph, transport } = setup();
    graph.answer(metaErrors.reEngagement);
    const result = await transport.send(msg({ type: 'text', text: 'late' }));
    expect(result).toEqual({ ok: false, kind: 'window-closed', error: { code: 'REPLY_WINDOW_CLOSED', message: expect.stringContaining('only a template may be sent') } });
    expect(result.ok === false && result.error.message).toContain('131047');
  });

  it('reports an expired token (190) as a configuration error that says what is wrong, and logs it', async () => {
    const logger = { ...silentLogger, error: vi.fn() };
    const { graph, transport } = setup({ logger });
    graph.answer(metaErrors.tokenExpired);
    const result = await transport.send(msg({ type: 'text', text: 'x' }));
    expect(result).toMatchObject({ ok: false, kind: 'configuration', error: { code: 'TRANSPORT_CONFIGURATION', message: expect.stringMatching(/access token is invalid or expired.*190/) } });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('reports a permission error (10) and a wrong token as configuration errors', async () => {
    const { graph, transport } = setup();
    graph.answer(metaErrors.permission);
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toMatchObject({ kind: 'configuration' });
    const wrong = whatsappTransport({ phoneNumberId: PHONE_NUMBER_ID, accessToken: 'stale', graphVersion: 'v25.0', clock: manualClock() });
    expect(await wrong.send(msg({ type: 'text', text: 'x' }))).toMatchObject({ kind: 'configuration', error: { message: expect.stringContaining('Invalid OAuth access token') } });
  });

  it('reports an invalid parameter (100) as final with its code and details', async () => {
    const { graph, transport } = setup();
    graph.answer(metaErrors.invalidParameter);
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toEqual({
      ok: false,
      kind: 'final',
      error: { code: '100', message: 'WhatsApp error 100: (#100) Invalid parameter (Parameter value is not valid)' },
    });
  });

  it('retries a 5xx without a body and a network failure', async () => {
    const { graph, transport } = setup();
    graph.answer(metaErrors.serviceUnavailable, metaErrors.networkFailure);
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toMatchObject({ ok: false, kind: 'retryable', error: { code: 'http.503' } });
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toMatchObject({ ok: false, kind: 'retryable', error: { code: 'network' } });
    expect((await transport.send(msg({ type: 'text', text: 'x' }))).ok).toBe(true);
  });

  it('treats a request with no answer within the timeout as a network failure', async () => {
    const clock = manualClock();
    const transport = whatsappTransport({
      phoneNumberId: '1',
      accessToken: 't',
      graphVersion: 'v25.0',
      clock,
      limits: { timeoutMs: 10_000 },
      fetch: (_url, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))),
    });
    const pending = transport.send(msg({ type: 'text', text: 'x' }));
    await settle();
    clock.advance(10_000);
    expect(await pending).toMatchObject({ ok: false, kind: 'retryable', error: { code: 'network', message: expect.stringContaining('10000 ms') } });
  });

  it('never reports a success it cannot read', async () => {
    const { graph, transport } = setup();
    const { HttpResponse } = await import('msw');
    graph.answer(() => HttpResponse.json({ messaging_product: 'whatsapp', messages: [] }));
    expect(await transport.send(msg({ type: 'text', text: 'x' }))).toMatchObject({ ok: false, kind: 'final', error: { code: 'unexpected_response' } });
  });
});

describe('whatsappTransport: pacing', () => {
  it('keeps a business number under its messages per second', async () => {
    const { graph, transport, clock, t0 } = setup({ limits: { messagesPerSecond: 2, burst: 2, pairIntervalMs: 0 } });
    const sends = Array.from({ length: 5 }, (_, i) => transport.send(msg({ type: 'text', text: 'promo' }, { to: `+1555000000${i}` })));
    for (let i = 0; i < 4; i += 1) {
      await settle();
      clock.advance(500);
    }
    const results = await Promise.all(sends);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(graph.requests.map((r) => r.at - t0)).toEqual([0, 0, 500, 1000, 1500]);
  });

  it('spaces messages to one recipient without holding back the others', async () => {
    const { graph, transport, clock, t0 } = setup({ limits: { pairIntervalMs: 6000, pairBurst: 1, maxWaitMs: 10_000 } });
    const first = transport.send(msg({ type: 'text', text: '1' }));
    const second = transport.send(msg({ type: 'text', text: '2' }));
    const other = transport.send(msg({ type: 'text', text: 'hi' }, { to: '+447700900123' }));
    await settle();
    expect(graph.requests.map((r) => [r.body!['to'], r.at - t0])).toEqual([
      [to, 0],
      ['+447700900123', 0],
    ]);
    clock.advance(6000);
    await Promise.all([first, second, other]);
    expect(graph.requests.map((r) => r.at - t0)).toEqual([0, 0, 6000]);
  });

  it('hands a long wait back to the engine as a retry instead of sleeping through its lease', async () => {
    const { graph, transport } = setup({ limits: { pairIntervalMs: 6000, pairBurst: 1, maxWaitMs: 1000 } });
    expect((await transport.send(msg({ type: 'text', text: '1' }))).ok).toBe(true);
    expect(await transport.send(msg({ type: 'text', text: '2' }))).toMatchObject({ ok: false, kind: 'retryable', error: { code: 'paced' }, retryAfterMs: 6000 });
    expect(graph.requests).toHaveLength(1);
  });

  it('backs off 4^n seconds for a recipient after 131056, and only for that recipient', async () => {
    const { graph, transport, clock } = setup({ limits: { maxWaitMs: 0 } });
    graph.answer(metaErrors.pairRate);
    expect(await transport.send(msg({ type: 'text', text: '1' }))).toMatchObject({ ok: false, kind: 'retryable', error: { code: '131056' }, retryAfterMs: 4000 });
    expect((await transport.send(msg({ type: 'text', text: 'other' }, { to: '+447700900123' }))).ok).toBe(true);
    expect(await transport.send(msg({ type: 'text', text: 'too soon' }))).toMatchObject({ kind: 'retryable', error: { code: 'paced' }, retryAfterMs: 4000 });
    clock.advance(4000);
    graph.answer(metaErrors.pairRate);
    expect(await transport.send(msg({ type: 'text', text: '1 again' }))).toMatchObject({ retryAfterMs: 16_000 });
    clock.advance(16_000);
    expect((await transport.send(msg({ type: 'text', text: '1 at last' }))).ok).toBe(true);
    clock.advance(60_000);
    // A success ends the run of strikes: the next 131056 starts again at 4 s.
    graph.answer(metaErrors.pairRate);
    expect(await transport.send(msg({ type: 'text', text: 'later' }))).toMatchObject({ retryAfterMs: 4000 });
    expect(graph.requests.filter((r) => r.body!['to'] === to)).toHaveLength(4);
  });

  it('adds jitter on top of the backoff, never below it', async () => {
    const { graph, transport } = setup({ random: () => 0.99 });
    graph.answer(metaErrors.pairRate);
    const result = await transport.send(msg({ type: 'text', text: '1' }));
    expect(result.ok === false && result.retryAfterMs).toBeGreaterThan(4000);
    expect(result.ok === false && result.retryAfterMs).toBeLessThan(4800);
  });

  it('slows the whole number down after 130429', async () => {
    const { graph, transport, clock } = setup({ limits: { maxWaitMs: 0 } });
    graph.answer(metaErrors.throughput);
    expect(await transport.send(msg({ type: 'text', text: '1' }))).toMatchObject({ ok: false, kind: 'retryable', error: { code: '130429' }, retryAfterMs: 1000 });
    expect(await transport.send(msg({ type: 'text', text: 'x' }, { to: '+447700900123' }))).toMatchObject({ error: { code: 'paced' }, retryAfterMs: 1000 });
    clock.advance(1000);
    graph.answer(metaErrors.throughput);
    expect(await transport.send(msg({ type: 'text', text: '2' }))).toMatchObject({ retryAfterMs: 2000 });
  });

  it('lets the engine retry a throttled send and deliver it', async () => {
    const { graph, transport, clock } = setup();
    const chat = createLiveChat({ transport, clock, store: memoryStore(), logger: silentLogger, policy: { retryBaseMs: 100 } });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: to, externalId: 'wamid.in', content: { type: 'text', text: 'hi' } });
    await chat.intervene(conversation.id, { agentId: 'asha' });
    graph.answer(metaErrors.pairRate);
    const { message } = await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'Hello' } });
    await chat.idle();
    expect((await chat.store.getMessage(message.id))!.status).toBe('pending');
    clock.advance(4000);
    await chat.flush();
    const sent = await chat.store.getMessage(message.id);
    expect(sent).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^wamid\./) });
  });

  it('marks a reply failed with REPLY_WINDOW_CLOSED when Meta says the window closed', async () => {
    const { graph, transport, clock } = setup();
    const chat = createLiveChat({ transport, clock, store: memoryStore(), logger: silentLogger });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    const { conversation, contact } = await chat.receive({ channel: 'whatsapp', from: to, externalId: 'wamid.in', content: { type: 'text', text: 'hi' } });
    await chat.intervene(conversation.id, { agentId: 'asha' });
    graph.answer(metaErrors.reEngagement);
    const { message } = await chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'Hello' } });
    await chat.idle();
    expect(await chat.store.getMessage(message.id)).toMatchObject({ status: 'failed', error: { code: 'REPLY_WINDOW_CLOSED' } });
    const journey = await chat.journey(contact.id);
    expect(journey.items.find((e) => e.type === 'message.failed')?.data).toMatchObject({ code: 'REPLY_WINDOW_CLOSED', kind: 'window-closed' });
  });
});

describe('whatsappTransport: read receipts and media', () => {
  it('marks a message read with a typing indicator', async () => {
    const { graph, transport } = setup();
    expect(await transport.markAsRead('wamid.IN', { typing: true })).toEqual({ ok: true });
    expect(await transport.markAsRead('wamid.IN2')).toEqual({ ok: true });
    expect(graph.requests.map((r) => r.body)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN', typing_indicator: { type: 'text' } },
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN2' },
    ]);
  });

  it('reports a read receipt failure as a value', async () => {
    const { graph, transport } = setup();
    graph.answer(metaErrors.tokenExpired);
    expect(await transport.markAsRead('wamid.IN')).toMatchObject({ ok: false, kind: 'configuration' });
    await expect(transport.markAsRead('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('downloads media in two steps, both with the bearer token, and checks the sha256', async () => {
    const { graph, transport } = setup();
    const bytes = new TextEncoder().encode('a tiny jpeg');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    graph.addMedia('1003383421387256', { bytes, mimeType: 'image/jpeg', sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
    const file = await transport.downloadMedia('1003383421387256');
    expect(file).toMatchObject({ id: '1003383421387256', mimeType: 'image/jpeg' });
    expect(new TextDecoder().decode(file.bytes)).toBe('a tiny jpeg');
    expect(graph.requests.map((r) => [r.method, new URL(r.url).host, r.authorization])).toEqual([
      ['GET', 'graph.facebook.com', `Bearer ${TOKEN}`],
      ['GET', 'lookaside.fbsbx.com', `Bearer ${TOKEN}`],
    ]);
  });

  it('refuses a file that does not match its sha256, and reports unknown media and bad tokens', async () => {
    const { graph, transport } = setup();
    graph.addMedia('7', { bytes: new Uint8Array([1, 2, 3]), mimeType: 'image/png', sha256: 'deadbeef' });
    await expect(transport.downloadMedia('7')).rejects.toMatchObject({ code: 'CHANNEL_ERROR', details: { code: 'checksum' } });
    await expect(transport.downloadMedia('404')).rejects.toMatchObject({ code: 'CHANNEL_ERROR', details: { kind: 'final', code: '100' } });
    graph.answer(metaErrors.tokenExpired);
    await expect(transport.downloadMedia('7')).rejects.toMatchObject({ code: 'TRANSPORT_CONFIGURATION' });
    await expect(transport.downloadMedia('../me')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('whatsappTransport: options', () => {
  it('refuses options it cannot work with', () => {
    expect(() => whatsappTransport({ phoneNumberId: 'abc', accessToken: 't', graphVersion: 'v25.0' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: ['phoneNumberId'] }));
    expect(() => whatsappTransport({ phoneNumberId: '1', accessToken: '', graphVersion: 'v25.0' })).toThrow(expect.objectContaining({ path: ['accessToken'] }));
    expect(() => whatsappTransport({ phoneNumberId: '1', accessToken: 't', graphVersion: '25' })).toThrow(expect.objectContaining({ path: ['graphVersion'] }));
    expect(() => whatsappTransport({ phoneNumberId: '1', accessToken: 't', graphVersion: 'v25.0', limits: { messagesPerSecond: 5000 } })).toThrow(LiveChatError);
  });
});
