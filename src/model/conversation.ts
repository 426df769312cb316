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
 * A bot answer a conversation is owed: recorded by the commit of an inbound message the bot
 * must answer, and removed by the commit of that message's bot turn. It is durable, so a turn
 * lost with its process (killed between the two commits) is found again: once `dueAt` passes,
 * the scheduler resumes it (see `LiveChat.resumeBotTurns`).
 * @public
 */
export const pendingBotTurnSchema = z.object({
  /** The inbound message the bot is to answer. */
  messageId: idSchema,
  /** When the turn counts as lost and may be resumed; until then the engine that owns it is on it. */
  dueAt: timestampSchema,
  /** How many times the turn was resumed; after a few, the bot counts as failed. Absent before. */
  resumes: z.number().int().min(1).optional(),
});

/**
 * A bot answer a conversation is owed (see {@link pendingBotTurnSchema}).
 * @public
 */
export type PendingBotTurn = z.infer<typeof pendingBotTurnSchema>;

/**
 * One conversation of a contact. At most one conversation per contact is open (not in history).
 * `assignee` is set exactly when the state is `intervened`. `historyDueAt` is durable data:
 * the sweep moves the conversation to History once it is due. `pendingBotTurns` lists, in
 * arrival order, the messages the bot has yet to answer; it is absent when there are none.
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
  pendingBotTurns: z.array(pendingBotTurnSchema).min(1).optional(),
  version: z.number().int().min(1),
});

/**
 * One conversation of a contact (see {@link conversationSchema}).
 * @public
 */
export type Conversation = z.infer<typeof conversationSchema>;
