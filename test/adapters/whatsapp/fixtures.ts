// Real-shaped webhook payloads, as Meta's webhook reference shows them (ids and numbers are
// Meta's documentation samples). Builders return plain JSON; `rawBody` serialises like Meta.

export const WABA_ID = '102290129340398';
export const PHONE_NUMBER_ID = '106540352242922';
export const DISPLAY_NUMBER = '15550783881';
export const CUSTOMER = '16505551234';
export const CUSTOMER_NAME = 'Sheena Nelson';

type Json = Record<string, unknown>;

export const metadata = { display_phone_number: DISPLAY_NUMBER, phone_number_id: PHONE_NUMBER_ID };

/** An envelope with one `messages` change per value. */
export function envelope(...values: Json[]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: WABA_ID, changes: values.map((value) => ({ value, field: 'messages' })) }],
  };
}

/** A `messages` value carrying customer messages and their senders' profiles. */
export function messagesValue(messages: Json[], contacts: Json[] = [{ profile: { name: CUSTOMER_NAME }, wa_id: CUSTOMER }]): Json {
  return { messaging_product: 'whatsapp', metadata, contacts, messages };
}

export function statusesValue(statuses: Json[]): Json {
  return { messaging_product: 'whatsapp', metadata, statuses };
}

let counter = 0;
/** A fresh wamid, shaped like Meta's. */
export function wamid(): string {
  counter += 1;
  return `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEw${String(counter).padStart(6, '0')}RgA=`;
}

/** A customer message of `type` with its payload, from `from`. */
export function message(type: string, payload: Json, extra: Json = {}): Json {
  return { from: CUSTOMER, id: wamid(), timestamp: '1749416383', type, [type]: payload, ...extra };
}

/** One webhook per message type of the reference, with the content the engine must store. */
export const goldenMessages: Array<{ name: string; message: () => Json; content: Json }> = [
  {
    name: 'text',
    message: () => message('text', { body: 'Does it come in another color?' }),
    content: { type: 'text', text: 'Does it come in another color?' },
  },
  {
    name: 'image',
    message: () =>
      message('image', {
        caption: 'Blue or green?',
        mime_type: 'image/jpeg',
        sha256: 'IOmy/G2T8z7cxCpYkzHhq8sVRXKxkOCBGVj2mgoXyhg=',
        id: '1003383421387256',
        url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256',
      }),
    content: { type: 'image', mediaId: '1003383421387256', mimeType: 'image/jpeg', sha256: 'IOmy/G2T8z7cxCpYkzHhq8sVRXKxkOCBGVj2mgoXyhg=', caption: 'Blue or green?' },
  },
  {
    name: 'video',
    message: () => message('video', { mime_type: 'video/mp4', sha256: 'qrCL1IzG3rGmpHwHZyhAivmy6dgxdlJzG05pFcg0qVw=', id: '1251932823109939' }),
    content: { type: 'video', mediaId: '1251932823109939', mimeType: 'video/mp4', sha256: 'qrCL1IzG3rGmpHwHZyhAivmy6dgxdlJzG05pFcg0qVw=' },
  },
  {
    name: 'document',
    message: () =>
      message('document', {
        caption: 'Here is the invoice',
        filename: 'invoice-2025-06.pdf',
        mime_type: 'application/pdf',
        sha256: 'Kmg4KmtN2JOq1VXtAh4vVHiYkpZRrEkrwuSGeEYYF68=',
        id: '1240104717456786',
      }),
    content: {
      type: 'document',
      mediaId: '1240104717456786',
      mimeType: 'application/pdf',
      sha256: 'Kmg4KmtN2JOq1VXtAh4vVHiYkpZRrEkrwuSGeEYYF68=',
      caption: 'Here is the invoice',
      filename: 'invoice-2025-06.pdf',
    },
  },
  {
    name: 'audio (voice note)',
    message: () => message('audio', { mime_type: 'audio/ogg; codecs=opus', sha256: 'fRmjs+WvmgpHJxQUsoWn8GjQgxkvEZc+Uc1kkS6t0Cc=', id: '1145013050681386', voice: true }),
    content: { type: 'audio', mediaId: '1145013050681386', mimeType: 'audio/ogg; codecs=opus', sha256: 'fRmjs+WvmgpHJxQUsoWn8GjQgxkvEZc+Uc1kkS6t0Cc=', voice: true },
  },
  {
    name: 'sticker',
    message: () => message('sticker', { mime_type: 'image/webp', sha256: 'lUvk4hQ6L3ffbNQB5dMZ3UvLp4zQjvPWUePzDaEt0Ls=', id: '1224574642350442', animated: false }),
    content: { type: 'sticker', mediaId: '1224574642350442', mimeType: 'image/webp', sha256: 'lUvk4hQ6L3ffbNQB5dMZ3UvLp4zQjvPWUePzDaEt0Ls=', animated: false },
  },
  {
    name: 'location',
    message: () =>
      message('location', { address: '1 Hacker Way, Menlo Park, CA 94025', latitude: 37.483253479004, longitude: -122.14796447754, name: 'Main Campus', url: 'https://www.meta.com' }),
    content: { type: 'location', latitude: 37.483253479004, longitude: -122.14796447754, name: 'Main Campus', address: '1 Hacker Way, Menlo Park, CA 94025', url: 'https://www.meta.com' },
  },
  {
    name: 'contacts',
    message: () => ({
      from: CUSTOMER,
      id: wamid(),
      timestamp: '1749416383',
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara', last_name: 'Johnson', middle_name: 'Joana' },
          org: { company: 'Lucky Shrub', department: 'Sales', title: 'Head of Sales' },
          phones: [{ phone: '+1 (415) 555-0123', wa_id: '14155550123', type: 'MOBILE' }],
          emails: [{ email: 'bjohnson@luckyshrub.com', type: 'WORK' }],
          birthday: '1999-01-23',
        },
      ],
    }),
    content: {
      type: 'contacts',
      contacts: [
        {
          name: 'Barbara J. Johnson',
          org: { company: 'Lucky Shrub', department: 'Sales', title: 'Head of Sales' },
          phones: [{ phone: '+1 (415) 555-0123', waId: '14155550123', type: 'MOBILE' }],
          emails: [{ email: 'bjohnson@luckyshrub.com', type: 'WORK' }],
          birthday: '1999-01-23',
        },
      ],
    },
  },
  {
    name: 'interactive button reply',
    message: () =>
      message('interactive', { type: 'button_reply', button_reply: { id: 'cancel-order', title: 'Cancel order' } }, { context: { from: DISPLAY_NUMBER, id: 'wamid.OUR_BUTTONS_MESSAGE' } }),
    content: { type: 'interactive_reply', kind: 'button', id: 'cancel-order', title: 'Cancel order' },
  },
  {
    name: 'interactive list reply',
    message: () =>
      message(
        'interactive',
        { type: 'list_reply', list_reply: { id: 'priority-express', title: 'Express Shipping', description: 'Next Day to 2 Days' } },
        { context: { from: DISPLAY_NUMBER, id: 'wamid.OUR_LIST_MESSAGE' } },
      ),
    content: { type: 'interactive_reply', kind: 'list', id: 'priority-express', title: 'Express Shipping', description: 'Next Day to 2 Days' },
  },
  {
    name: 'template quick reply button',
    message: () => message('button', { payload: 'Unsubscribe from Promos', text: 'Unsubscribe from Promos' }, { context: { from: DISPLAY_NUMBER, id: 'wamid.OUR_TEMPLATE' } }),
    content: { type: 'quick_reply', payload: 'Unsubscribe from Promos', text: 'Unsubscribe from Promos' },
  },
  {
    name: 'reaction',
    message: () => message('reaction', { message_id: 'wamid.OUR_MESSAGE', emoji: '\u{1F44D}' }),
    content: { type: 'reaction', messageId: 'wamid.OUR_MESSAGE', emoji: '\u{1F44D}' },
  },
  {
    name: 'reaction removed',
    message: () => message('reaction', { message_id: 'wamid.OUR_MESSAGE' }),
    content: { type: 'reaction', messageId: 'wamid.OUR_MESSAGE' },
  },
  {
    name: 'system (user changed number)',
    message: () => message('system', { body: 'User A changed from +1 650-555-1234 to +1 650-555-9999', wa_id: '16505559999', type: 'user_changed_number' }),
    content: { type: 'system', text: 'User A changed from +1 650-555-1234 to +1 650-555-9999' },
  },
];

/** Types kept as `unsupported` with the original message. */
export const unsupportedMessages: Array<{ name: string; message: () => Json; originalType: string }> = [
  {
    name: 'unsupported (Meta)',
    message: () => ({
      from: CUSTOMER,
      id: wamid(),
      timestamp: '1749416383',
      type: 'unsupported',
      unsupported: { type: 'video_note' },
      errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
    }),
    originalType: 'video_note',
  },
  {
    name: 'flow reply (nfm_reply)',
    message: () => message('interactive', { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"flow_token":"abc"}' } }),
    originalType: 'interactive.nfm_reply',
  },
  {
    name: 'order',
    message: () =>
      message('order', { catalog_id: '194836987003835', text: 'Thanks!', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' }] }),
    originalType: 'order',
  },
  { name: 'a type Meta adds later', message: () => message('hologram', { depth: 3 }), originalType: 'hologram' },
  { name: 'a known type with a payload that does not match', message: () => message('text', { body: 42 }), originalType: 'text' },
];

/** A status receipt for one of our messages. */
export function status(id: string, value: string, extra: Json = {}): Json {
  return {
    id,
    status: value,
    timestamp: '1750030073',
    recipient_id: CUSTOMER,
    conversation: { id: '72b14d6bd5407799e66f64d1b338e567', expiration_timestamp: '1750116480', origin: { type: 'service' } },
    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'service' },
    ...extra,
  };
}

/** The failure receipt Meta sends when a message could not be delivered. */
export function failedStatus(id: string): Json {
  return {
    id,
    status: 'failed',
    timestamp: '1750030080',
    recipient_id: CUSTOMER,
    errors: [
      {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        error_data: { details: 'Message Undeliverable.' },
      },
    ],
  };
}

/**
 * Serialises like Meta does: non-ASCII as `\uXXXX`, `/` as `\/`, `@` as `\u0040`. The
 * signature covers these exact bytes, so a handler that re-serialises would fail.
 */
export function rawBody(body: unknown): string {
  return JSON.stringify(body)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/')
    .replace(/@/g, '\\u0040');
}
