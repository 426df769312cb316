import type { OutboundContent } from '../../model/content.js';
import type { OutboundMessage } from '../../ports/transport.js';

type Json = Record<string, unknown>;

/** Drops `undefined` fields, so the body carries only what was set. */
function compact(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** A media object: Meta takes an uploaded media id or a public link, not both. */
function media(content: { mediaId?: string | undefined; link?: string | undefined }, extra: Json = {}): Json {
  return compact({ ...(content.mediaId !== undefined ? { id: content.mediaId } : { link: content.link }), ...extra });
}

const textHeader = (text: string | undefined) => (text === undefined ? undefined : { type: 'text', text });
const footer = (text: string | undefined) => (text === undefined ? undefined : { text });

/** The type-keyed part of a send body (`{ type: 'text', text: {...} }`). */
function payload(content: OutboundContent): Json {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: compact({ body: content.text, preview_url: content.previewUrl }) };
    case 'image':
    case 'video':
      return { type: content.type, [content.type]: media(content, { caption: content.caption }) };
    case 'document':
      return { type: 'document', document: media(content, { caption: content.caption, filename: content.filename }) };
    case 'audio':
    case 'sticker':
      return { type: content.type, [content.type]: media(content) };
    case 'location':
      return {
        type: 'location',
        location: compact({ latitude: content.latitude, longitude: content.longitude, name: content.name, address: content.address }),
      };
    case 'contacts':
      return {
        type: 'contacts',
        contacts: content.contacts.map(({ name, phones, emails, firstName, ...rest }) =>
          compact({
            ...rest,
            // Meta wants a first or last name besides the formatted one.
            name: { formatted_name: name, first_name: typeof firstName === 'string' ? firstName : name },
            phones: phones?.map((p) => compact({ phone: p.phone, wa_id: p.waId, type: p.type })),
            emails: emails?.map((e) => compact({ email: e.email, type: e.type })),
          }),
        ),
      };
    case 'reaction':
      // An empty emoji removes our reaction.
      return { type: 'reaction', reaction: { message_id: content.messageId, emoji: content.emoji ?? '' } };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: compact({
          type: 'button',
          header: textHeader(content.header),
          body: { text: content.body },
          footer: footer(content.footer),
          action: { buttons: content.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
        }),
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: compact({
          type: 'list',
          header: textHeader(content.header),
          body: { text: content.body },
          footer: footer(content.footer),
          action: {
            button: content.button,
            sections: content.sections.map((s) =>
              compact({ title: s.title, rows: s.rows.map((r) => compact({ id: r.id, title: r.title, description: r.description })) }),
            ),
          },
        }),
      };
    case 'template':
      return {
        type: 'template',
        template: compact({
          name: content.name,
          language: { code: content.language },
          components: content.components?.map((c) =>
            compact({
              type: c.type,
              sub_type: c.subType,
              index: c.index === undefined ? undefined : String(c.index),
              parameters: c.parameters,
            }),
          ),
        }),
      };
  }
}

/** Meta wants `+<digits>`; a stored address of bare digits (a `wa_id`) gets its plus. */
export function recipientOf(address: string): string {
  return /^\d+$/.test(address) ? `+${address}` : address;
}

/**
 * The JSON body of `POST /<version>/<phone_number_id>/messages` for one outbound message,
 * with reply context when the message answers one of the customer's.
 */
export function sendBody(message: OutboundMessage): Json {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: recipientOf(message.to),
    ...payload(message.content),
    ...(message.replyTo === null ? {} : { context: { message_id: message.replyTo } }),
  };
}

/** The body that marks an inbound message read, optionally showing a typing indicator. */
export function readBody(messageId: string, typing: boolean): Json {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: messageId,
    ...(typing ? { typing_indicator: { type: 'text' } } : {}),
  };
}
