import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawBody } from './fixtures.js';
import { APP_SECRET, harness, post, signatures } from './harness.js';
import { webhookSignatures } from '../../../src/adapters/whatsapp/index.js';

// Properties of the webhook handler over random and mutated envelopes: it never throws, it
// answers 200, 400 or 401 exactly as specified, a refused delivery writes nothing, an accepted
// one stores every message, and a replay of an accepted one writes nothing more.

type Json = Record<string, unknown>;

// Message ids only need to be unique across runs; a counter keeps generation pure otherwise.
let serial = 0;
const uniqueId = (prefix: string) => `wamid.${prefix}.${(serial += 1)}`;

const KNOWN = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction', 'system', 'unsupported', 'order'];

const digits = fc.stringMatching(/^[1-9]\d{7,14}$/);
const unix = fc.integer({ min: 1_749_000_000, max: 1_749_416_383 }).map(String);
const someText = fc.string({ minLength: 1, maxLength: 40 });
const mediaPayload = fc.record({ id: digits, mime_type: fc.constantFrom('image/jpeg', 'video/mp4', 'audio/ogg'), sha256: fc.base64String({ minLength: 44, maxLength: 44 }) });

/** A type and its payload, with the engine content type it must become. */
const typed: fc.Arbitrary<{ type: string; payload: unknown; expected: string }> = fc.oneof(
  someText.map((body) => ({ type: 'text', payload: { body }, expected: 'text' })),
  fc.constantFrom('image', 'video', 'audio', 'sticker', 'document').chain((type) => mediaPayload.map((payload) => ({ type, payload, expected: type }))),
  fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }).map((payload) => ({ type: 'location', payload, expected: 'location' })),
  fc.record({ id: someText, title: someText }).map((r) => ({ type: 'interactive', payload: { type: 'button_reply', button_reply: r }, expected: 'interactive_reply' })),
  fc.record({ payload: fc.string(), text: fc.string() }).map((payload) => ({ type: 'button', payload, expected: 'quick_reply' })),
  fc.record({ message_id: someText, emoji: fc.constantFrom('\u{1F44D}', '\u2764\uFE0F') }).map((payload) => ({ type: 'reaction', payload, expected: 'reaction' })),
  fc.record({ body: fc.string(), type: fc.constant('user_changed_number') }).map((payload) => ({ type: 'system', payload, expected: 'system' })),
  fc
    .tuple(fc.stringMatching(/^[a-z_]{3,12}$/), fc.jsonValue({ maxDepth: 2 }))
    .filter(([type]) => !KNOWN.includes(type) && !['from', 'id', 'timestamp', 'type', 'context', 'referral', 'errors', 'from_user_id'].includes(type))
    .map(([type, payload]) => ({ type, payload, expected: 'unsupported' })),
);

const messageArb = fc
  .record({ from: digits, timestamp: unix, typed, name: fc.option(fc.string({ maxLength: 600 }), { nil: undefined }), replyTo: fc.option(fc.constant('wamid.OURS'), { nil: undefined }) })
  .map(({ from, timestamp, typed: t, name, replyTo }) => ({
    message: { from, id: '', timestamp, type: t.type, [t.type]: t.payload, ...(replyTo ? { context: { from: '15550783881', id: replyTo } } : {}) } as Json,
    contact: { profile: name === undefined ? {} : { name }, wa_id: from },
    expected: t.expected,
  }));

const statusArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 30 }).map((s) => `wamid.${s}`),
  status: fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed', 'deleted'),
  timestamp: unix,
  recipient_id: digits,
});

const valueArb = fc
  .record({
    messages: fc.array(messageArb, { maxLength: 8 }),
    statuses: fc.array(statusArb, { maxLength: 4 }),
    errors: fc.array(fc.record({ code: fc.integer({ min: 1, max: 200_000 }), title: fc.string() }), { maxLength: 2 }),
  })
  .map(({ messages, statuses, errors }) => ({
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      ...(messages.length ? { contacts: messages.map((m) => m.contact), messages: messages.map((m) => m.message) } : {}),
      ...(statuses.length ? { statuses } : {}),
      ...(errors.length ? { errors } : {}),
    } as Json,
    expected: messages.map((m) => m.expected),
  }));

const changeArb = fc.oneof(
  { weight: 5, arbitrary: valueArb.map(({ value, expected }) => ({ change: { value, field: 'messages' } as Json, expected })) },
  { weight: 1, arbitrary: fc.record({ field: fc.constantFrom('message_template_status_update', 'account_update', 'phone_number_quality_update'), value: fc.jsonValue({ maxDepth: 2 }) }).map((change) => ({ change: change as Json, expected: [] as string[] })) },
);

/** A valid envelope, with unique message ids, and the content type each message must get. */
const envelopeArb = fc
  .array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
  .map((entries) => {
    const expected = new Map<string, string>();
    const body = {
      object: 'whatsapp_business_account',
      entry: entries.map((changes, e) => ({
        id: '102290129340398',
        changes: changes.map(({ change, expected: types }, c) => {
          const value = change['value'] as Json | undefined;
          const messages = (value?.['messages'] as Json[] | undefined) ?? [];
          messages.forEach((m, i) => {
            m['id'] = uniqueId(`${e}.${c}.${i}`);
            if (change['field'] === 'messages') expected.set(m['id'] as string, types[i]!);
          });
          return change;
        }),
      })),
    };
    return { body, expected };
  });

/** Where a structural mutation can land in an envelope, and what it breaks. */
type Site = { path: (string | number)[]; value: 'string' | 'array' | 'object' | 'timestamp' | 'literal' };

function sites(body: Json): Site[] {
  const found: Site[] = [
    { path: ['object'], value: 'literal' },
    { path: ['entry'], value: 'array' },
  ];
  (body['entry'] as Json[]).forEach((entry, e) => {
    found.push({ path: ['entry', e, 'id'], value: 'string' }, { path: ['entry', e, 'changes'], value: 'array' });
    (entry['changes'] as Json[]).forEach((change, c) => {
      const at = ['entry', e, 'changes', c];
      found.push({ path: [...at, 'field'], value: 'string' });
      if (change['field'] !== 'messages') return;
      const value = change['value'] as Json;
      found.push({ path: [...at, 'value', 'messaging_product'], value: 'literal' }, { path: [...at, 'value', 'metadata'], value: 'object' });
      ((value['messages'] as Json[] | undefined) ?? []).forEach((_, m) => {
        const mp = [...at, 'value', 'messages', m];
        found.push({ path: [...mp, 'id'], value: 'string' }, { path: [...mp, 'timestamp'], value: 'timestamp' }, { path: [...mp, 'type'], value: 'string' }, { path: [...mp, 'from'], value: 'string' });
      });
      ((value['statuses'] as Json[] | undefined) ?? []).forEach((_, s) => {
        const sp = [...at, 'value', 'statuses', s];
        found.push({ path: [...sp, 'id'], value: 'string' }, { path: [...sp, 'status'], value: 'string' }, { path: [...sp, 'timestamp'], value: 'timestamp' });
      });
    });
  });
  return found;
}

/** Values that are certainly wrong for a field of that kind (`undefined` deletes it). */
function wrongFor(kind: Site['value']): fc.Arbitrary<unknown> {
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}));
  switch (kind) {
    case 'string':
      return fc.oneof(notString, fc.constant(''));
    case 'timestamp':
      return fc.oneof(notString, fc.integer({ min: 0 }), fc.constantFrom('', 'yesterday', '1749416383.5', '-1'));
    case 'array':
      return fc.oneof(fc.integer(), fc.constant(null), fc.constant(undefined), fc.constant({}), fc.string());
    case 'object':
      return fc.oneof(fc.integer(), fc.constant(null), fc.constant(undefined), fc.string(), fc.constant([]));
    case 'literal':
      return fc.oneof(notString, fc.constantFrom('page', 'instagram', 'sms', ''));
  }
}

function setAt(body: Json, path: (string | number)[], value: unknown): void {
  let node = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function messagesOf(body: Json): Json[] {
  return (body['entry'] as Json[]).flatMap((e) =>
    (e['changes'] as Json[]).flatMap((c) => (c['field'] === 'messages' ? (((c['value'] as Json)['messages'] as Json[] | undefined) ?? []) : [])),
  );
}

describe('whatsappWebhook (property): random and mutated envelopes', () => {
  it('stores every message of a valid envelope with its content, and a replay writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(envelopeArb, async ({ body, expected }) => {
        const h = harness();
        const answer = await post(h.webhook, body);
        expect(answer.status).toBe(200);
        for (const [id, type] of expected) {
          const stored = await h.store.findMessageByExternalId('whatsapp', id);
          expect(stored?.content.type).toBe(type);
        }
        const writes = h.store.writes.length;
        expect((await post(h.webhook, body)).status).toBe(200);
        expect(h.store.writes.length).toBe(writes);
      }),
      { numRuns: 80 },
    );
  });

  it('refuses an envelope with a missing or wrongly typed required field with 400, writing nothing', async () => {
    const mutated = envelopeArb.chain(({ body }) => fc.tuple(fc.constant(body), fc.constantFrom(...sites(body))).chain(([b, site]) => wrongFor(site.value).map((wrong) => ({ body: b, site, wrong }))));
    await fc.assert(
      fc.asyncProperty(mutated, async ({ body, site, wrong }) => {
        const copy = structuredClone(body);
        setAt(copy, site.path, wrong);
        const h = harness();
        const answer = await post(h.webhook, copy);
        expect(answer.status).toBe(400);
        expect(h.store.writes).toHaveLength(0);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a message whose payload is mangled or whose type is unknown as unsupported, with 200', async () => {
    const withMessage = envelopeArb.filter(({ body }) => messagesOf(body).length > 0);
    const mutation = fc.oneof(
      fc.constant({ kind: 'payload' as const, to: undefined as unknown }),
      fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant([])).map((to) => ({ kind: 'payload' as const, to })),
      fc.stringMatching(/^[a-z]{4,10}$/).filter((t) => !KNOWN.includes(t)).map((to) => ({ kind: 'type' as const, to: to as unknown })),
    );
    await fc.assert(
      fc.asyncProperty(withMessage, fc.nat(), mutation, async ({ body }, pick, mutate) => {
        const copy = structuredClone(body);
        const messages = messagesOf(copy);
        const target = messages[pick % messages.length]!;
        if (mutate.kind === 'type') {
          // The payload moves with the type, as Meta would key it.
          const payload = target[target['type'] as string];
          delete target[target['type'] as string];
          target['type'] = mutate.to;
          target[mutate.to as string] = payload;
        } else if (mutate.to === undefined) delete target[target['type'] as string];
        else target[target['type'] as string] = mutate.to;
        const h = harness();
        expect((await post(h.webhook, copy)).status).toBe(200);
        const stored = await h.store.findMessageByExternalId('whatsapp', target['id'] as string);
        // A mangled payload of a type whose payload Meta may omit (unknown types) stays unsupported too.
        expect(stored?.content).toMatchObject({ type: 'unsupported', payload: target });
        for (const m of messages) expect(await h.store.findMessageByExternalId('whatsapp', m['id'] as string)).not.toBeNull();
      }),
      { numRuns: 80 },
    );
  });

  it('answers 401 to any bad signature and processes nothing', async () => {
    const badSignature = fc.oneof(
      fc.constant(null),
      fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256=${hex}`),
      fc.string({ maxLength: 80 }),
      fc.constant('wrong-secret'),
      fc.constant('flip'),
    );
    await fc.assert(
      fc.asyncProperty(envelopeArb, badSignature, async ({ body }, bad) => {
        const raw = rawBody(body);
        let signature: string | null = bad;
        if (bad === 'wrong-secret') signature = await webhookSignatures(`${APP_SECRET}!`).sign(raw);
        if (bad === 'flip') {
          const good = await signatures.sign(raw);
          const last = good.at(-1) === '0' ? '1' : '0';
          signature = good.slice(0, -1) + last;
        }
        const h = harness();
        const answer = await post(h.webhook, null, { raw, signature });
        expect(answer.status).toBe(401);
        expect(h.store.writes).toHaveLength(0);
      }),
      { numRuns: 80 },
    );
  });

  it('answers 400 to signed bodies that are not JSON envelopes: garbage, truncations, other JSON', async () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      envelopeArb.chain(({ body }) => {
        const raw = rawBody(body);
        return fc.integer({ min: 0, max: raw.length - 1 }).map((n) => raw.slice(0, n));
      }),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (raw) => {
        const h = harness();
        const answer = await post(h.webhook, null, { raw });
        expect(answer.status).toBe(400);
        expect(h.store.writes).toHaveLength(0);
      }),
      { numRuns: 120 },
    );
  });

  it('handles huge batches whole: all stored, or (one field broken anywhere) nothing', async () => {
    const hugeValue = fc.array(messageArb, { minLength: 1000, maxLength: 1200 }).map((messages) => ({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      contacts: messages.map((m) => m.contact),
      messages: messages.map((m, i) => ({ ...m.message, id: uniqueId(`huge.${i}`) })),
    }));
    await fc.assert(
      fc.asyncProperty(hugeValue, fc.nat(), fc.boolean(), async (value, pick, breakOne) => {
        const body = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] };
        const messages = value.messages as Json[];
        const victim = messages[pick % messages.length]!;
        if (breakOne) delete victim['timestamp'];
        const h = harness();
        const answer = await post(h.webhook, body);
        if (breakOne) {
          expect(answer.status).toBe(400);
          expect(h.store.writes).toHaveLength(0);
        } else {
          expect(answer).toMatchObject({ status: 200, body: { received: messages.length } });
          expect(await h.store.findMessageByExternalId('whatsapp', victim['id'] as string)).not.toBeNull();
        }
      }),
      { numRuns: 4 },
    );
  }, 120_000);
});
