import { z } from 'zod';

// The Graph API's answers, parsed rather than trusted: a 200 whose body is not one of these is
// treated as an unexpected answer, never as a success with a made-up id.

/** `POST /messages` accepted the message. */
export const sendSuccessSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

/** Mark-as-read accepted. */
export const readSuccessSchema = z.looseObject({ success: z.literal(true) });

/** `GET /<media_id>`: where to fetch the file (the url expires after 5 minutes). */
export const mediaInfoSchema = z.looseObject({
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string(),
});

/** Every Graph API error: decide on `code`, never on the HTTP status or the text. */
export const graphErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});
