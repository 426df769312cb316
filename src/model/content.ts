import { z } from 'zod';

// Content mirrors what WhatsApp carries, in the engine's own camelCase shapes, so a second
// channel adapter maps onto the same union instead of leaking Meta's field names everywhere.

const text = z.string().min(1);

/** Where a media file lives: the channel's media id, a public link, or both. */
const media = {
  mediaId: z.string().min(1).optional(),
  link: z.url().optional(),
  mimeType: z.string().optional(),
  sha256: z.string().optional(),
};
const needsSource = (m: { mediaId?: string | undefined; link?: string | undefined }) =>
  m.mediaId !== undefined || m.link !== undefined;
const sourceMessage = { message: 'media needs a mediaId or a link' };

/** @public */
export const textContentSchema = z.object({
  type: z.literal('text'),
  text,
  /** Ask the channel to render a preview of the first URL. */
  previewUrl: z.boolean().optional(),
});

/** @public */
export const imageContentSchema = z
  .object({ type: z.literal('image'), ...media, caption: z.string().optional() })
  .refine(needsSource, sourceMessage);
/** @public */
export const videoContentSchema = z
  .object({ type: z.literal('video'), ...media, caption: z.string().optional() })
  .refine(needsSource, sourceMessage);
/** @public */
export const audioContentSchema = z
  .object({ type: z.literal('audio'), ...media, voice: z.boolean().optional() })
  .refine(needsSource, sourceMessage);
/** @public */
export const documentContentSchema = z
  .object({
    type: z.literal('document'),
    ...media,
    caption: z.string().optional(),
    filename: z.string().optional(),
  })
  .refine(needsSource, sourceMessage);
/** @public */
export const stickerContentSchema = z
  .object({ type: z.literal('sticker'), ...media, animated: z.boolean().optional() })
  .refine(needsSource, sourceMessage);

/** @public */
export const locationContentSchema = z.object({
  type: z.literal('location'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

/** One shared contact card; fields beyond the name are kept as the channel sent them. @public */
export const contactCardSchema = z.looseObject({
  name: z.string().min(1),
  phones: z.array(z.looseObject({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() })).optional(),
  emails: z.array(z.looseObject({ email: z.string(), type: z.string().optional() })).optional(),
});

/** @public */
export const contactsContentSchema = z.object({
  type: z.literal('contacts'),
  contacts: z.array(contactCardSchema).min(1),
});

/** The customer tapped a reply button or picked a list row of one of our interactive messages. @public */
export const interactiveReplyContentSchema = z.object({
  type: z.literal('interactive_reply'),
  kind: z.enum(['button', 'list']),
  id: z.string().min(1),
  title: z.string(),
  description: z.string().optional(),
});

/** The customer tapped a quick-reply button of a template. @public */
export const quickReplyContentSchema = z.object({
  type: z.literal('quick_reply'),
  payload: z.string(),
  text: z.string(),
});

/** A reaction to a message, by its external id; no emoji means the reaction was removed. @public */
export const reactionContentSchema = z.object({
  type: z.literal('reaction'),
  messageId: z.string().min(1),
  emoji: z.string().optional(),
});

/** Reply buttons (outbound). Channel limits are checked by the transport. @public */
export const buttonsContentSchema = z.object({
  type: z.literal('buttons'),
  body: text,
  header: z.string().optional(),
  footer: z.string().optional(),
  buttons: z.array(z.object({ id: z.string().min(1), title: z.string().min(1) })).min(1),
});

/** A list message (outbound). @public */
export const listContentSchema = z.object({
  type: z.literal('list'),
  body: text,
  button: z.string().min(1),
  header: z.string().optional(),
  footer: z.string().optional(),
  sections: z
    .array(
      z.object({
        title: z.string().optional(),
        rows: z
          .array(z.object({ id: z.string().min(1), title: z.string().min(1), description: z.string().optional() }))
          .min(1),
      }),
    )
    .min(1),
});

/** A parameter of a template component, in the channel's own shape (`{ type: 'text', text }`, ...). @public */
export const templateParameterSchema = z.looseObject({ type: z.string().min(1) });

/** @public */
export const templateComponentSchema = z.object({
  type: z.enum(['header', 'body', 'button']),
  subType: z.string().optional(),
  index: z.number().int().min(0).optional(),
  parameters: z.array(templateParameterSchema),
});

/** An approved template: the only content allowed outside the 24 h reply window. @public */
export const templateContentSchema = z.object({
  type: z.literal('template'),
  name: z.string().min(1),
  language: z.string().min(2),
  components: z.array(templateComponentSchema).optional(),
});

/** A system notice from the channel (for example, the customer changed number). @public */
export const systemContentSchema = z.object({
  type: z.literal('system'),
  text: z.string(),
});

/** Anything the engine does not model: kept with the original payload, never dropped. @public */
export const unsupportedContentSchema = z.object({
  type: z.literal('unsupported'),
  originalType: z.string(),
  payload: z.unknown(),
});

/**
 * Every kind of message content the engine stores, inbound and outbound.
 * @public
 */
export const contentSchema = z.discriminatedUnion('type', [
  textContentSchema,
  imageContentSchema,
  videoContentSchema,
  audioContentSchema,
  documentContentSchema,
  stickerContentSchema,
  locationContentSchema,
  contactsContentSchema,
  interactiveReplyContentSchema,
  quickReplyContentSchema,
  reactionContentSchema,
  buttonsContentSchema,
  listContentSchema,
  templateContentSchema,
  systemContentSchema,
  unsupportedContentSchema,
]);

/**
 * Any message content, inbound or outbound (see {@link contentSchema}).
 * @public
 */
export type Content = z.infer<typeof contentSchema>;

/** The content an agent or a bot may send. @public */
export const outboundContentSchema = z.discriminatedUnion('type', [
  textContentSchema,
  imageContentSchema,
  videoContentSchema,
  audioContentSchema,
  documentContentSchema,
  stickerContentSchema,
  locationContentSchema,
  contactsContentSchema,
  reactionContentSchema,
  buttonsContentSchema,
  listContentSchema,
  templateContentSchema,
]);

/**
 * Content an agent or a bot may send (see {@link outboundContentSchema}).
 * @public
 */
export type OutboundContent = z.infer<typeof outboundContentSchema>;

// In a module of its own, so browser code can use it without building the schemas above.
export { contentPreview } from './content-preview.js';
