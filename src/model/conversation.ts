import { z } from 'zod';
import { idSchema, timestampSchema } from './actor.js';

/**
 * The five lifecycle states, in order: the bot has it, the customer asked for a human,
 * an agent owns it, it was resolved, it went to History (final).
 * @public
 */
export const conversationStateSchema = z.enum(['active', 'requested', 'intervened', 'resolved', 'history']);

/**
 * One of the five lifecycle states (see {@link conversationStateSchema}).
 * @public
 */
export type ConversationState = z.infer<typeof conversationStateSchema>;

/**
 * One conversation of a contact. At most one conversation per contact is open (not in history).
 * `assignee` is set exactly when the state is `intervened`. `historyDueAt` is durable data:
 * the sweep moves the conversation to History once it is due.
 * @public
 */
export const conversationSchema = z.object({
  id: idSchema,
  contactId: idSchema,
  channel: z.string().min(1),
  state: conversationStateSchema,
  assignee: idSchema.nullable(),
  openedAt: timestampSchema,
  lastActivityAt: timestampSchema,
  lastInboundAt: timestampSchema.nullable(),
  requestedAt: timestampSchema.nullable(),
  intervenedAt: timestampSchema.nullable(),
  resolvedAt: timestampSchema.nullable(),
  resolvedBy: idSchema.nullable(),
  archivedAt: timestampSchema.nullable(),
  historyDueAt: timestampSchema,
  version: z.number().int().min(1),
});

/**
 * One conversation of a contact (see {@link conversationSchema}).
 * @public
 */
export type Conversation = z.infer<typeof conversationSchema>;
