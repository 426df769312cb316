import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLiveChat, httpBot, memoryTransport, silentLogger, type HttpBotRequest, type HttpBotResponse } from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { START, errorOf } from '../engine/setup.js';

const URL = 'https://bot.example.test/livechat';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tick = () => new Promise((r) => setImmediate(r));

async function engine(options: { timeoutMs?: number } = {}) {
  const clock = manualClock(START);
  const transport = memoryTransport();
  const bot = httpBot({ url: URL, headers: { authorization: 'Bearer s3cret' }, timeoutMs: options.timeoutMs ?? 3_000, clock });
  const chat = createLiveChat({ clock, transport, bot, logger: silentLogger });
  await chat.attributes.define({ key: 'country', type: 'one-of', label: 'Country', options: ['DE', 'US'] });
  let n = 0;
  const say = (text: string) => chat.receive({ channel: 'whatsapp', from: '+15550001', externalId: `wamid.${++n}`, profile: { name: 'Maya' }, content: { type: 'text', text } });
  return { chat, clock, transport, say };
}

/** Answers every bot request with `answer`, keeping what was asked. */
function answering(answer: HttpBotResponse | ((body: HttpBotRequest) => HttpBotResponse)) {
  const requests: Array<{ body: HttpBotRequest; headers: Headers }> = [];
  server.use(
    http.post(URL, async ({ request }) => {
      const body = (await request.json()) as HttpBotRequest;
      requests.push({ body, headers: request.headers });
      return HttpResponse.json(typeof answer === 'function' ? answer(body) : answer);
    }),
  );
  return requests;
}

describe('httpBot', () => {
  it('POSTs the documented request with the configured headers', async () => {
    const { say } = await engine();
    const requests = answering({});
    const { contact, conversation, message } = await say('Hello there');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer s3cret');
    expect(requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(requests[0]!.body).toEqual({
      version: 1,
      contact: { id: contact.id, channel: 'whatsapp', address: '+15550001', name: 'Maya', attributes: {}, tags: ['first-message'] },
      conversation: { id: conversation.id, state: 'active', openedAt: START },
      message: { id: message.id, content: { type: 'text', text: 'Hello there' }, at: START, replyTo: null },
    });
  });

  it('applies replies, attribute updates and tags from the service', async () => {
    const { chat, say, transport } = await engine();
    answering((body) => ({
      replies: [`You said: ${(body.message.content as { text: string }).text}`, { type: 'buttons', body: 'Anything else?', buttons: [{ id: 'no', title: 'No thanks' }] }],
      attributes: { country: 'DE' },
      tags: ['german-speaker'],
      extra: 'ignored',
    } as HttpBotResponse));
    const { contact } = await say('Hallo');
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'You said: Hallo' },
      { type: 'buttons', body: 'Anything else?', buttons: [{ id: 'no', title: 'No thanks' }] },
    ]);
    expect(contact.attributes).toEqual({ country: 'DE' });
    expect(contact.tags['german-speaker']).toMatchObject({ source: 'api', actor: { type: 'bot' } });
  });

  it('hands off when the service says so', async () => {
    const { chat, say } = await engine();
    answering({ replies: ['Let me get a colleague.'], handoff: { reason: 'billing question' } });
    const { conversation, contact } = await say('my invoice is wrong');
    expect(conversation.state).toBe('requested');
    const request = (await chat.journey(contact.id, { types: ['intervention.requested'] })).items[0];
    expect(request).toMatchObject({ actor: { type: 'bot' }, data: { reason: 'billing question' } });
  });

  const failures: Array<[string, () => void, RegExp]> = [
    ['a network error', () => server.use(http.post(URL, () => HttpResponse.error())), /request failed/],
    ['an HTTP 500', () => server.use(http.post(URL, () => new HttpResponse('boom', { status: 500 }))), /answered HTTP 500/],
    ['a body that is not JSON', () => server.use(http.post(URL, () => new HttpResponse('<html>', { status: 200, headers: { 'content-type': 'text/html' } }))), /not JSON/],
    ['an invalid reply', () => server.use(http.post(URL, () => HttpResponse.json({ replies: [{ type: 'hologram' }] }))), /invalid response at replies\.0/],
    ['an invalid attribute value', () => server.use(http.post(URL, () => HttpResponse.json({ attributes: { country: 'Narnia' } }))), /invalid decision.*country/],
  ];
  for (const [name, arrange, reason] of failures) {
    it(`falls back to requesting a human on ${name}, and records why`, async () => {
      const { chat, say, transport } = await engine();
      arrange();
      const { conversation, contact } = await say('hi');
      expect(conversation.state).toBe('requested');
      expect(contact.attributes).toEqual({});
      const failed = (await chat.journey(contact.id, { types: ['bot.failed'] })).items;
      expect(failed).toHaveLength(1);
      expect(String(failed[0]!.data['error'])).toMatch(reason);
      await chat.idle();
      expect(transport.sent).toEqual([]);
    });
  }

  it('gives up after timeoutMs of the engine clock and requests a human', async () => {
    const { chat, clock, say } = await engine({ timeoutMs: 2_000 });
    let asked = 0;
    server.use(
      http.post(URL, async () => {
        asked += 1;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const received = say('hello?');
    while (asked === 0 || clock.pendingTimers < 2) await tick();
    clock.advance(1_999);
    for (let i = 0; i < 5; i += 1) await tick();
    expect((await chat.inbox({ view: 'requested' })).items).toEqual([]);
    clock.advance(1);
    const { conversation, contact } = await received;
    expect(conversation.state).toBe('requested');
    const failed = (await chat.journey(contact.id, { types: ['bot.failed'] })).items[0];
    expect(String(failed?.data['error'])).toMatch(/no answer within 2000 ms/);
  });

  it('validates its options', async () => {
    expect(await errorOf(async () => httpBot({ url: 'not a url' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['url'] });
    expect(await errorOf(async () => httpBot({ url: 'ftp://bot.example.test' }))).toMatchObject({ code: 'INVALID_INPUT', path: ['url'] });
    expect(await errorOf(async () => httpBot({ url: URL, timeoutMs: 0 }))).toMatchObject({ code: 'INVALID_INPUT', path: ['timeoutMs'] });
  });
});
