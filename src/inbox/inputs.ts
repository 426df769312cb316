import { z } from 'zod';
import { idSchema } from '../model/actor.js';
import { attributeValueSchema } from '../model/contact.js';
import { outboundContentSchema } from '../model/content.js';
import { conversationStateSchema } from '../model/conversation.js';
import type { Clock } from '../ports/clock.js';
import type { InboxSource } from './source.js';

// The inbox store validates what callers pass it with the engine's own schemas, before any
// optimistic change, so bad input never shows up on screen and then vanishes.

const sourceSchema = z.custom<InboxSource>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['session', 'inbox', 'counts', 'conversation', 'subscribe'].every((k) => typeof (value as Record<string, unknown>)[k] === 'function'),
  { message: 'expected an InboxSource (inProcessSource() or remoteSource())' },
);

const clockSchema = z.custom<Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>>(
  (value) => typeof value === 'object' && value !== null && ['now', 'setTimeout', 'clearTimeout'].every((k) => typeof (value as Record<string, unknown>)[k] === 'function'),
  { message: 'expected a Clock with now, setTimeout and clearTimeout' },
);

/** Options of `createInboxStore`. @public */
export const inboxStoreOptionsSchema = z.object({
  /** Where data comes from and actions go. */
  source: sourceSchema,
  /** The agent id of the person using the inbox. */
  viewer: idSchema,
  /** Time for the reply window; the system clock by default. */
  clock: clockSchema.optional(),
  /** Rows per page of a tab. Default 30. */
  pageSize: z.number().int().min(1).max(500).default(30),
  /** Messages read when a chat opens (and per older page). Default 50. */
  messagePageSize: z.number().int().min(1).max(500).default(50),
  /** Journey entries per page. Default 50. */
  journeyPageSize: z.number().int().min(1).max(500).default(50),
  /** How long before it closes the reply window counts as closing soon. Default 1 h. */
  closingSoonMs: z.number().int().min(0).default(60 * 60 * 1000),
});

/**
 * Options of `createInboxStore` (see {@link inboxStoreOptionsSchema}).
 * @public
 */
export type InboxStoreOptions = z.input<typeof inboxStoreOptionsSchema>;

export const viewSchema = conversationStateSchema;
export const targetIdSchema = idSchema;
/** A reply is plain text or any outbound content (a template outside the window). */
export const replyContentSchema = z.union([z.string().trim().min(1).max(4096), outboundContentSchema]);
export const attributeKeySchema = z.string().min(1).max(128);
export const attributeSchema = attributeValueSchema;
export const tagSchema = z.string().min(1).max(128);
