import { z } from 'zod';
import { actorSchema, idSchema, timestampSchema } from './actor.js';

/**
 * Every kind of event in a contact's customer journey.
 * @public
 */
export const journeyEventTypeSchema = z.enum([
  'contact.created',
  'conversation.opened',
  'message.received',
  'message.sent',
  'message.failed',
  'bot.replied',
  'bot.suppressed',
  'bot.failed',
  'intervention.requested',
  'conversation.intervened',
  'conversation.transferred',
  'conversation.released',
  'conversation.resolved',
  'conversation.reopened',
  'conversation.archived',
  'attribute.changed',
  'tag.added',
  'tag.removed',
  'tag.renamed',
  'referral.received',
  'broadcast.sent',
  'broadcast.replied',
]);

/**
 * The kind of a journey entry, such as `message.received` or `conversation.intervened`.
 * @public
 */
export type JourneyEventType = z.infer<typeof journeyEventTypeSchema>;

/**
 * One entry of the append-only customer journey: what happened, who did it, when.
 * @public
 */
export const journeyEventSchema = z.object({
  id: idSchema,
  contactId: idSchema,
  conversationId: idSchema.nullable(),
  type: journeyEventTypeSchema,
  actor: actorSchema,
  at: timestampSchema,
  data: z.record(z.string(), z.unknown()),
});

/**
 * One entry of a contact’s customer journey (see {@link journeyEventSchema}).
 * @public
 */
export type JourneyEvent = z.infer<typeof journeyEventSchema>;

