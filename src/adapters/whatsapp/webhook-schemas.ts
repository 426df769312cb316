import { z } from 'zod';

// The webhook envelope as Meta documents it. Objects are loose: Meta adds fields over time and
// the original payload of a message must survive intact. What the engine needs to identify
// and order an update (ids, senders, timestamps, statuses) is checked strictly: an envelope
// without them is not a WhatsApp envelope and is refused whole. The type-keyed payload of a
// message is checked later and leniently (see inbound-content.ts).

/** Unix seconds, as a string (Meta never sends a number here). */
const unixSeconds = z.string().regex(/^\d{1,12}$/, { message: 'a timestamp is a string of Unix seconds' });

/** An error object, as statuses, values and unsupported messages carry them. */
export const webhookErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

export const contextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().min(1).optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
});

export const webhookReferralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
  welcome_message: z.looseObject({ text: z.string().optional() }).optional(),
});

export const webhookMessageSchema = z
  .looseObject({
    from: z.string().min(1).optional(),
    from_user_id: z.string().min(1).optional(),
    id: z.string().min(1),
    timestamp: unixSeconds,
    type: z.string().min(1),
    context: contextSchema.optional(),
    referral: webhookReferralSchema.optional(),
  })
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, { message: 'a message needs from or from_user_id' });

/** @internal */
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

export const webhookStatusSchema = z.looseObject({
  id: z.string().min(1),
  // Not an enum: Meta has sent other values (`deleted`, `warning`); unknown ones are ignored.
  status: z.string().min(1),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** @internal */
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

export const webhookContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

/** The value of a `messages` change. */
export const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(webhookContactSchema).optional(),
  messages: z.array(webhookMessageSchema).optional(),
  statuses: z.array(webhookStatusSchema).optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** @internal */
export type MessagesValue = z.infer<typeof messagesValueSchema>;

/**
 * One change. Only `messages` values are read; other fields (`message_template_status_update`,
 * ...) are acknowledged and ignored, whatever their value.
 */
export const changeSchema = z
  .looseObject({ field: z.string().min(1), value: z.unknown() })
  .transform((change, ctx): { field: 'messages'; value: MessagesValue } | { field: 'other'; value: unknown } => {
    if (change.field !== 'messages') return { field: 'other', value: change.value };
    const parsed = messagesValueSchema.safeParse(change.value);
    if (parsed.success) return { field: 'messages', value: parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['value', ...issue.path] });
    return z.NEVER;
  });

export const envelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ id: z.string().min(1), changes: z.array(changeSchema) })),
});

/** @internal */
export type Envelope = z.infer<typeof envelopeSchema>;
