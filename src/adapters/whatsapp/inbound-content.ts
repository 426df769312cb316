import { z } from 'zod';
import { contentSchema, type Content } from '../../model/content.js';
import type { WebhookMessage } from './webhook-schemas.js';

// Each message type's payload, as the reference documents it. Checked leniently: a payload
// that does not match is kept as `unsupported` with the original message, never dropped and
// never a reason to refuse the batch (Meta would redeliver it for a week, then lose it).

const mediaFields = {
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
};
const media = (m: { id: string; mime_type?: string | undefined; sha256?: string | undefined }) => ({
  mediaId: m.id,
  ...(m.mime_type === undefined ? {} : { mimeType: m.mime_type }),
  ...(m.sha256 === undefined ? {} : { sha256: m.sha256 }),
});
const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));

const payloads = {
  text: z.looseObject({ body: z.string() }),
  image: z.looseObject({ ...mediaFields, caption: z.string().optional() }),
  document: z.looseObject({ ...mediaFields, caption: z.string().optional(), filename: z.string().optional() }),
  audio: z.looseObject({ ...mediaFields, voice: z.boolean().optional() }),
  sticker: z.looseObject({ ...mediaFields, animated: z.boolean().optional() }),
  location: z.looseObject({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
  contacts: z
    .array(
      z.looseObject({
        name: z.looseObject({ formatted_name: z.string().min(1) }),
        phones: z.array(z.looseObject({ phone: z.string(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
        emails: z.array(z.looseObject({ email: z.string(), type: z.string().optional() })).optional(),
      }),
    )
    .min(1),
  interactive: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('button_reply'), button_reply: z.looseObject({ id: z.string().min(1), title: z.string() }) }),
    z.looseObject({
      type: z.literal('list_reply'),
      list_reply: z.looseObject({ id: z.string().min(1), title: z.string(), description: z.string().optional() }),
    }),
  ]),
  button: z.looseObject({ payload: z.string(), text: z.string() }),
  reaction: z.looseObject({ message_id: z.string().min(1), emoji: z.string().optional() }),
  system: z.looseObject({ body: z.string(), wa_id: z.string().optional(), type: z.string().optional() }),
};

/** The message's type-keyed payload parsed with `schema`, or `null` when it does not match. */
function read<S extends z.ZodType>(message: WebhookMessage, schema: S): z.output<S> | null {
  const parsed = schema.safeParse(message[message.type]);
  return parsed.success ? parsed.data : null;
}

function mapKnown(message: WebhookMessage): Content | null {
  switch (message.type) {
    case 'text': {
      const p = read(message, payloads.text);
      return p && { type: 'text', text: p.body };
    }
    case 'image':
    case 'video': {
      const p = read(message, payloads.image);
      return p && { type: message.type, ...media(p), ...optional('caption', p.caption) };
    }
    case 'document': {
      const p = read(message, payloads.document);
      return p && { type: 'document', ...media(p), ...optional('caption', p.caption), ...optional('filename', p.filename) };
    }
    case 'audio': {
      const p = read(message, payloads.audio);
      return p && { type: 'audio', ...media(p), ...optional('voice', p.voice) };
    }
    case 'sticker': {
      const p = read(message, payloads.sticker);
      return p && { type: 'sticker', ...media(p), ...optional('animated', p.animated) };
    }
    case 'location': {
      const p = read(message, payloads.location);
      return (
        p && {
          type: 'location',
          latitude: p.latitude,
          longitude: p.longitude,
          ...optional('name', p.name),
          ...optional('address', p.address),
          ...optional('url', p.url),
        }
      );
    }
    case 'contacts': {
      const cards = read(message, payloads.contacts);
      return (
        cards && {
          type: 'contacts',
          contacts: cards.map(({ name, phones, emails, ...rest }) => ({
            // Fields beyond name, phones and emails (org, urls, addresses, birthday) stay as sent.
            ...rest,
            name: name.formatted_name,
            ...optional('phones', phones?.map(({ wa_id, ...phone }) => ({ ...phone, ...optional('waId', wa_id) }))),
            ...optional('emails', emails),
          })),
        }
      );
    }
    case 'interactive': {
      const p = read(message, payloads.interactive);
      if (!p) return null;
      return p.type === 'button_reply'
        ? { type: 'interactive_reply', kind: 'button', id: p.button_reply.id, title: p.button_reply.title }
        : { type: 'interactive_reply', kind: 'list', id: p.list_reply.id, title: p.list_reply.title, ...optional('description', p.list_reply.description) };
    }
    case 'button': {
      const p = read(message, payloads.button);
      return p && { type: 'quick_reply', payload: p.payload, text: p.text };
    }
    case 'reaction': {
      const p = read(message, payloads.reaction);
      // No emoji (or an empty one) means the customer removed their reaction.
      return p && { type: 'reaction', messageId: p.message_id, ...(p.emoji ? { emoji: p.emoji } : {}) };
    }
    case 'system': {
      const p = read(message, payloads.system);
      return p && { type: 'system', text: p.body };
    }
    default:
      return null;
  }
}

/** The name an unsupported message is kept under: the most specific type Meta gave. */
function originalType(message: WebhookMessage): string {
  const inner = message[message.type];
  const innerType = typeof inner === 'object' && inner !== null && 'type' in inner && typeof inner.type === 'string' ? inner.type : null;
  if (message.type === 'unsupported' && innerType) return innerType;
  if (message.type === 'interactive' && innerType) return `interactive.${innerType}`;
  return message.type;
}

/**
 * The engine content of a webhook message. Every type of the reference maps to its content
 * (`button` to `quick_reply`, interactive replies to `interactive_reply`, `system` to
 * `system`); anything else (`unsupported`, `order`, `edit`, `revoke`, flow replies, types Meta
 * adds later, or a payload that does not match its type) is kept as `unsupported` with the
 * original message as payload.
 */
export function inboundContent(message: WebhookMessage): Content {
  const mapped = mapKnown(message);
  if (mapped && contentSchema.safeParse(mapped).success) return mapped;
  return { type: 'unsupported', originalType: originalType(message), payload: message };
}
