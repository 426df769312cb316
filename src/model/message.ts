import { z } from 'zod';
import { authorSchema, idSchema, timestampSchema } from './actor.js';
import { contentSchema } from './content.js';

/**
 * Delivery status. Inbound messages are `received`. Outbound ones move forward only:
 * `pending` (in the outbox), then `sent`, `delivered`, `read`; `failed` is final.
 * @public
 */
export const messageStatusSchema = z.enum(['received', 'pending', 'sent', 'delivered', 'read', 'failed']);

/**
 * A message’s delivery status (see {@link messageStatusSchema}).
 * @public
 */
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** Why a send failed, as the channel said it. @public */
export const deliveryErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});

/**
 * Why a send or a delivery failed: the channel’s code and message.
 * @public
 */
export type DeliveryError = z.infer<typeof deliveryErrorSchema>;

/**
 * A message in a conversation. `(channel, externalId)` is unique: it is the idempotency key of
 * inbound messages and the key status receipts are matched on for outbound ones.
 * A broadcast message belongs to no conversation (`conversationId: null`) and names its campaign:
 * a broadcast is not a chat, so it neither opens one nor moves one's History time.
 * @public
 */
export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema.nullable(),
  contactId: idSchema,
  channel: z.string().min(1),
  direction: z.enum(['inbound', 'outbound']),
  author: authorSchema,
  content: contentSchema,
  externalId: z.string().min(1).nullable(),
  replyTo: z.string().min(1).nullable(),
  status: messageStatusSchema,
  error: deliveryErrorSchema.nullable(),
  at: timestampSchema,
  statusAt: timestampSchema,
  /** The broadcast that sent this message; absent for every other message. */
  campaignId: idSchema.optional(),
});

/**
 * A message in a conversation (see {@link messageSchema}).
 * @public
 */
export type Message = z.infer<typeof messageSchema>;

const statusRank: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

/**
 * Whether a message may move from `from` to `to`: forward only, `failed` is final, and a
 * message already delivered or read never turns into `failed`.
 * @public
 */
export function isStatusAdvance(from: MessageStatus, to: MessageStatus): boolean {
  if (from === 'failed' || from === 'received') return false;
  if (to === 'failed') return from === 'pending' || from === 'sent';
  return statusRank[to] > statusRank[from];
}
