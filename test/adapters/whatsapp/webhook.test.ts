import { describe, expect, it } from 'vitest';
import type { LiveChatEvent } from '../../../src/index.js';
import { addressOf } from '../../../src/adapters/whatsapp/webhook-plan.js';
import {
  CUSTOMER,
  CUSTOMER_NAME,
  envelope,
  failedStatus,
  goldenMessages,
  message,
  messagesValue,
  metadata,
  rawBody,
  status,
  statusesValue,
  unsupportedMessages,
  wamid,
} from './fixtures.js';
import { APP_SECRET, VERIFY_TOKEN, delivery, harness, post, type Harness } from './harness.js';
import { webhookSignatures, whatsappWebhook } from '../../../src/adapters/whatsapp/index.js';

const ADDRESS = `+${CUSTOMER}`;

async function storedMessage(h: Harness, externalId: string) {
  return h.store.findMessageByExternalId('whatsapp', externalId);
}

/** An outbound message the engine sent (through the memory transport), to receive receipts for. */
async function sentMessage(h: Harness): Promise<string> {
  await post(h.webhook, envelope(messagesValue([message('text', { body: 'hi' })])));
  const contact = await h.store.findContact('whatsapp', ADDRESS);
  const conversation = await h.store.findOpenConversation(contact!.id);
  await h.chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
  await h.chat.intervene(conversation!.id, { agentId: 'asha' });
  const { message: queued } = await h.chat.reply(conversation!.id, { agentId: 'asha', content: { type: 'text', text: 'Hello!' } });
  await h.chat.idle();
  const sent = await h.store.getMessage(queued.id);
  expect(sent?.status).toBe('sent');
  return sent!.externalId!;
}

describe('whatsappWebhook: the verification handshake (GET)', () => {
  const get = (h: Harness, query: string) => h.webhook(new Request(`https://example.test/webhook?${query}`));

  it('echoes hub.challenge when the mode is subscribe and the token matches', async () => {
    const response = await get(harness(), `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong token', 'hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope'],
    ['another mode', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`],
    ['no token', 'hub.mode=subscribe&hub.challenge=1'],
    ['no challenge', `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`],
  ])('answers 403 to %s', async (_, query) => {
    expect((await get(harness(), query)).status).toBe(403);
  });
});

describe('whatsappWebhook: signatures (POST)', () => {
  const body = envelope(messagesValue([message('text', { body: 'hi' })]));

  it.each([
    ['no signature header', null],
    ['a malformed header', 'sha256=xyz'],
    ['a header without the sha256= prefix', 'a'.repeat(64)],
    ['a signature of other bytes', 'sha256=' + '0'.repeat(64)],
  ])('answers 401 and processes nothing for %s', async (_, signature) => {
    const h = harness();
    const answer = await post(h.webhook, body, { signature });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    expect(h.store.writes).toHaveLength(0);
  });

  it('answers 401 to a body signed with another app secret', async () => {
    const h = harness();
    const other = await webhookSignatures('someone-elses-secret').sign(rawBody(body));
    expect((await post(h.webhook, body, { signature: other })).status).toBe(401);
    expect(h.store.writes).toHaveLength(0);
  });

  it('checks the raw bytes as Meta escaped them, not a re-serialisation', async () => {
    const h = harness();
    const text = 'Grüße aus München, mail me at a@b.de or see https://x.y/z';
    const raw = rawBody(envelope(messagesValue([message('text', { body: text })])));
    expect(raw).toContain('Gr\\u00fc\\u00dfe');
    expect(raw).toContain('\\u0040');
    expect(raw).toContain('https:\\/\\/');
    const answer = await post(h.webhook, null, { raw });
    expect(answer.status).toBe(200);
    const contact = await h.store.findContact('whatsapp', ADDRESS);
    const conversation = await h.store.findOpenConversation(contact!.id);
    const page = await h.chat.messages(conversation!.id);
    expect(page.items[0]!.content).toEqual({ type: 'text', text });
  });

  it('refuses a body whose bytes changed after signing', async () => {
    const h = harness();
    const raw = rawBody(body);
    const signature = await webhookSignatures(APP_SECRET).sign(raw);
    const tampered = raw.replace('"hi"', '"hI"');
    expect((await post(h.webhook, null, { raw: tampered, signature })).status).toBe(401);
    expect(h.store.writes).toHaveLength(0);
  });
});

describe('whatsappWebhook: bodies that are not WhatsApp envelopes', () => {
  const valid = () => message('text', { body: 'fine' });

  it.each([
    ['not JSON', '{"object": "whatsapp_business_account", '],
    ['not UTF-8', '{"object":"\xff"}'],
    ['a JSON array', '[]'],
    ['another object', JSON.stringify({ object: 'page', entry: [] })],
    ['entries that are not an array', JSON.stringify({ object: 'whatsapp_business_account', entry: {} })],
  ])('answers 400 to %s and writes nothing', async (_, raw) => {
    const h = harness();
    const answer = await post(h.webhook, null, { raw });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(h.store.writes).toHaveLength(0);
  });

  it.each([
    ['a message without an id', (m: Record<string, unknown>) => delete m['id'], ['messages', 1, 'id']],
    ['a message without a sender', (m: Record<string, unknown>) => delete m['from'], ['messages', 1]],
    ['a numeric timestamp', (m: Record<string, unknown>) => (m['timestamp'] = 1749416383), ['messages', 1, 'timestamp']],
    ['a message without a type', (m: Record<string, unknown>) => delete m['type'], ['messages', 1, 'type']],
    ['a context id that is not a string', (m: Record<string, unknown>) => (m['context'] = { id: 7 }), ['messages', 1, 'context', 'id']],
  ])('refuses the whole batch for %s, even after a valid message', async (_, mutate, path) => {
    const h = harness();
    const bad = valid();
    mutate(bad);
    const answer = await post(h.webhook, envelope(messagesValue([valid(), bad])));
    expect(answer.status).toBe(400);
    expect((answer.body['error'] as { path: string[] }).path).toEqual(['entry', '0', 'changes', '0', 'value', ...path.map(String)]);
    expect(h.store.writes).toHaveLength(0);
  });

  it('refuses a batch whose second change is broken without writing the first', async () => {
    const h = harness();
    const answer = await post(h.webhook, envelope(messagesValue([valid()]), { messaging_product: 'whatsapp', metadata, statuses: [{ id: 'wamid.x', status: 'read' }] }));
    expect(answer.status).toBe(400);
    expect(h.store.writes).toHaveLength(0);
  });

  it('answers 405 to other methods and 413 to oversized bodies', async () => {
    const h = harness();
    expect((await h.webhook(new Request('https://example.test/webhook', { method: 'PUT', body: '{}' }))).status).toBe(405);
    const small = whatsappWebhook({ verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, engine: h.chat, maxBodyBytes: 100 });
    expect((await small(await delivery(envelope(messagesValue([valid(), valid()]))))).status).toBe(413);
    expect(h.store.writes).toHaveLength(0);
  });
});

describe('whatsappWebhook: every message type (golden)', () => {
  it.each(goldenMessages)('stores a $name message as its engine content', async ({ message: make, content }) => {
    const h = harness();
    const m = make();
    const answer = await post(h.webhook, envelope(messagesValue([m])));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: 1, duplicates: 0 });
    const stored = await storedMessage(h, m['id'] as string);
    expect(stored).toMatchObject({ direction: 'inbound', status: 'received', at: '2025-06-08T20:59:43.000Z' });
    expect(stored!.content).toEqual(content);
  });

  it.each(unsupportedMessages)('keeps $name as unsupported with the original message', async ({ message: make, originalType }) => {
    const h = harness();
    const m = make();
    expect((await post(h.webhook, envelope(messagesValue([m])))).status).toBe(200);
    const stored = await storedMessage(h, m['id'] as string);
    expect(stored!.content).toEqual({ type: 'unsupported', originalType, payload: m });
  });

  it('records reply context as replyTo', async () => {
    const h = harness();
    const m = goldenMessages.find((g) => g.name === 'interactive button reply')!.message();
    await post(h.webhook, envelope(messagesValue([m])));
    expect((await storedMessage(h, m['id'] as string))!.replyTo).toBe('wamid.OUR_BUTTONS_MESSAGE');
  });
});

describe('whatsappWebhook: contacts and referrals', () => {
  it('creates the contact under +<wa_id> with its profile name, and renames it when the profile changes', async () => {
    const h = harness();
    await post(h.webhook, envelope(messagesValue([message('text', { body: 'hi' })])));
    let contact = await h.store.findContact('whatsapp', ADDRESS);
    expect(contact).toMatchObject({ name: CUSTOMER_NAME, address: ADDRESS });
    await post(h.webhook, envelope(messagesValue([message('text', { body: 'again' })], [{ profile: { name: 'Sheena N.' }, wa_id: CUSTOMER }])));
    contact = await h.store.findContact('whatsapp', ADDRESS);
    expect(contact!.name).toBe('Sheena N.');
  });

  it('matches each message to its own sender profile in a multi-sender value', async () => {
    const h = harness();
    const other = '447700900123';
    const value = messagesValue(
      [message('text', { body: 'a' }), { ...message('text', { body: 'b' }), from: other }],
      [
        { profile: { name: 'Sheena' }, wa_id: CUSTOMER },
        { profile: { name: 'Oliver' }, wa_id: other },
      ],
    );
    await post(h.webhook, envelope(value));
    expect((await h.store.findContact('whatsapp', ADDRESS))!.name).toBe('Sheena');
    expect((await h.store.findContact('whatsapp', `+${other}`))!.name).toBe('Oliver');
  });

  it('keys username users (no phone number) on their user id', async () => {
    expect(addressOf({ from_user_id: 'US.13491208655302741918' })).toBe('US.13491208655302741918');
    const h = harness();
    const { from: _, ...m } = message('text', { body: 'hi' });
    const answer = await post(h.webhook, envelope(messagesValue([{ ...m, from_user_id: 'US.13491208655302741918' }], [{ profile: { name: 'Kim', username: '@kim' }, user_id: 'US.13491208655302741918' }])));
    expect(answer.status).toBe(200);
    expect((await h.store.findContact('whatsapp', 'US.13491208655302741918'))!.name).toBe('Kim');
  });

  it('keeps a Click-to-WhatsApp referral on the contact and in the journey, in camelCase', async () => {
    const h = harness();
    const referral = {
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_id: '120226305854810726',
      source_type: 'ad',
      body: 'Summer Succulents are here!',
      headline: 'Chat with us',
      media_type: 'image',
      image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/518949',
      ctwa_clid: 'Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iGdRP',
      welcome_message: { text: 'Hi there! Let us know how we can help.' },
    };
    await post(h.webhook, envelope(messagesValue([message('text', { body: 'Can I get more info?' }, { referral })])));
    const contact = await h.store.findContact('whatsapp', ADDRESS);
    expect(contact!.referral).toEqual({
      sourceUrl: referral.source_url,
      sourceId: referral.source_id,
      sourceType: 'ad',
      body: referral.body,
      headline: referral.headline,
      mediaType: 'image',
      imageUrl: referral.image_url,
      ctwaClid: referral.ctwa_clid,
      welcomeMessage: { text: referral.welcome_message.text },
    });
    const journey = await h.chat.journey(contact!.id);
    expect(journey.items.find((e) => e.type === 'referral.received')?.data).toMatchObject({ sourceId: referral.source_id, headline: 'Chat with us' });
  });
});

describe('whatsappWebhook: statuses', () => {
  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['played', 'read'],
  ])('applies a %s receipt as %s', async (kind, expected) => {
    const h = harness();
    const id = await sentMessage(h);
    const answer = await post(h.webhook, envelope(statusesValue([status(id, kind)])));
    expect(answer.status).toBe(200);
    const stored = await storedMessage(h, id);
    // `sent` is where the transport already left it: the receipt changes nothing.
    expect(stored).toMatchObject({ status: expected, ...(kind === 'sent' ? {} : { statusAt: '2025-06-15T23:27:53.000Z' }) });
    expect(answer.body).toMatchObject({ statuses: 1, statusesChanged: kind === 'sent' ? 0 : 1 });
  });

  it('records a failed receipt with its error code and message, in the journey too', async () => {
    const h = harness();
    const id = await sentMessage(h);
    await post(h.webhook, envelope(statusesValue([failedStatus(id)])));
    const stored = await storedMessage(h, id);
    expect(stored).toMatchObject({ status: 'failed', error: { code: '131026', message: 'Message undeliverable: Message Undeliverable.' } });
    const journey = await h.chat.journey(stored!.contactId);
    expect(journey.items.find((e) => e.type === 'message.failed')?.data).toMatchObject({ code: '131026', stage: 'delivery' });
  });

  it('moves forward only, whatever order receipts arrive in', async () => {
    const h = harness();
    const id = await sentMessage(h);
    const answer = await post(h.webhook, envelope(statusesValue([status(id, 'read', { timestamp: '1750030090' }), status(id, 'delivered', { timestamp: '1750030080' })])));
    expect(answer.body).toMatchObject({ statuses: 2, statusesChanged: 2 });
    expect(await storedMessage(h, id)).toMatchObject({ status: 'read', statusAt: '2025-06-15T23:28:10.000Z' });
    await post(h.webhook, envelope(statusesValue([status(id, 'delivered', { timestamp: '1750030100' })])));
    expect((await storedMessage(h, id))!.status).toBe('read');
  });

  it('acknowledges receipts for messages it never sent and statuses it does not know', async () => {
    const h = harness();
    const answer = await post(h.webhook, envelope(statusesValue([status('wamid.FROM_ANOTHER_SYSTEM', 'delivered'), status('wamid.X', 'deleted')])));
    expect(answer).toMatchObject({ status: 200, body: { statuses: 1, statusesChanged: 0, ignored: 1 } });
    expect(h.store.writes).toHaveLength(0);
  });
});

describe('whatsappWebhook: account errors and other fields', () => {
  it('emits value-level errors as channel.error events', async () => {
    const h = harness();
    const events: LiveChatEvent[] = [];
    const all: string[] = [];
    h.chat.on('channel.error', (e) => events.push(e));
    h.chat.on('*', (e) => all.push(e.type));
    const value = {
      messaging_product: 'whatsapp',
      metadata,
      errors: [{ code: 131042, title: 'Business eligibility payment issue', message: 'Business eligibility payment issue', error_data: { details: 'Add a payment method.' } }],
    };
    const answer = await post(h.webhook, envelope(value));
    expect(answer).toMatchObject({ status: 200, body: { errors: 1 } });
    expect(events).toHaveLength(1);
    expect(events[0]!.channelError).toEqual({
      channel: 'whatsapp',
      code: '131042',
      message: 'Business eligibility payment issue',
      details: { title: 'Business eligibility payment issue', errorData: { details: 'Add a payment method.' }, phoneNumberId: metadata.phone_number_id, businessAccountId: '102290129340398' },
    });
    expect(all).toEqual(['channel.error']);
    expect(h.store.writes).toHaveLength(0);
    expect(() => h.chat.reportChannelError({ channel: 'whatsapp', code: '', message: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: ['code'] }));
  });

  it('acknowledges and ignores other webhook fields', async () => {
    const h = harness();
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 12345678, message_template_name: 'order_update', message_template_language: 'en_US', reason: 'NONE' } }] }],
    };
    expect(await post(h.webhook, body)).toMatchObject({ status: 200, body: { received: 0, ignored: 1 } });
    expect(h.store.writes).toHaveLength(0);
  });

  it('ignores updates for another business number when told which one it serves', async () => {
    const h = harness({ phoneNumberId: '999' });
    expect(await post(h.webhook, envelope(messagesValue([message('text', { body: 'hi' })])))).toMatchObject({ status: 200, body: { received: 0, ignored: 1 } });
    expect(h.store.writes).toHaveLength(0);
  });
});

describe('whatsappWebhook: batches and redelivery', () => {
  it('changes nothing when Meta delivers the same POST again', async () => {
    const h = harness();
    const id = await sentMessage(h);
    const body = envelope(messagesValue([message('text', { body: 'one' }), message('image', { id: '1', mime_type: 'image/png' })]), statusesValue([status(id, 'delivered')]));
    const first = await post(h.webhook, body);
    expect(first.body).toMatchObject({ received: 2, duplicates: 0, statusesChanged: 1 });
    const before = h.store.writes.length;
    const again = await post(h.webhook, body);
    expect(again).toMatchObject({ status: 200, body: { received: 0, duplicates: 2, statusesChanged: 0 } });
    expect(h.store.writes.length).toBe(before);
  });

  it('answers 500 when the store fails, and the redelivery stores everything exactly once', async () => {
    const h = harness();
    const body = envelope(messagesValue([message('text', { body: 'one' }), message('text', { body: 'two' })]));
    h.store.failNext = 1;
    expect((await post(h.webhook, body)).status).toBe(500);
    const retry = await post(h.webhook, body);
    expect(retry.status).toBe(200);
    const contact = await h.store.findContact('whatsapp', ADDRESS);
    const conversation = await h.store.findOpenConversation(contact!.id);
    const page = await h.chat.messages(conversation!.id);
    expect(page.items.map((m) => (m.content as { text: string }).text)).toEqual(['one', 'two']);
  });

  it('ingests a batch of 1000 updates from many customers, each conversation in timestamp order', async () => {
    const h = harness();
    const senders = Array.from({ length: 50 }, (_, i) => String(15550000000 + i));
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      from: senders[i % senders.length],
      id: wamid(),
      timestamp: String(1749416383 + Math.floor(i / senders.length)),
      type: 'text',
      text: { body: `message ${Math.floor(i / senders.length)}` },
    }));
    // Meta does not order a batch.
    const shuffled = [...messages].reverse();
    const answer = await post(h.webhook, envelope(messagesValue(shuffled, senders.map((s) => ({ profile: { name: `Customer ${s}` }, wa_id: s })))));
    expect(answer).toMatchObject({ status: 200, body: { received: 1000 } });
    for (const sender of [senders[0]!, senders[49]!]) {
      const contact = await h.store.findContact('whatsapp', `+${sender}`);
      const conversation = await h.store.findOpenConversation(contact!.id);
      const page = await h.chat.messages(conversation!.id, { limit: 100 });
      expect(page.items.map((m) => (m.content as { text: string }).text)).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`));
    }
  });

  it('validates its options', () => {
    expect(() => whatsappWebhook({ verifyToken: '', appSecret: 'x', engine: harness().chat })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => whatsappWebhook({ verifyToken: 'x', appSecret: 'x', engine: {} as never })).toThrow(/engine must be a LiveChat/);
  });
});
