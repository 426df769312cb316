import { z } from 'zod';
import { actorSchema, idSchema } from '../model/actor.js';
import { agentSchema } from '../model/agent.js';
import { attributeValueSchema, referralSchema } from '../model/contact.js';
import { contentSchema, outboundContentSchema } from '../model/content.js';
import { conversationStateSchema } from '../model/conversation.js';
import { journeyEventTypeSchema } from '../model/journey.js';
import { messageStatusSchema } from '../model/message.js';

// One schema per public entry point. Types users pass are inferred from these (z.input), so
// the docs, the runtime check and the compiler agree.

const timeInput = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

/** Input of `chat.receive`. @public */
export const receiveInputSchema = z.object({
  channel: z.string().min(1).max(64),
  /** The customer's address on the channel (for WhatsApp, the phone number). */
  from: z.string().min(1).max(256),
  /** The channel's message id: the idempotency key. */
  externalId: z.string().min(1).max(512),
  /** When the customer sent it; defaults to now. */
  at: timeInput.optional(),
  profile: z.object({ name: z.string().max(512).optional() }).optional(),
  content: contentSchema,
  referral: referralSchema.optional(),
  /** External id of our message the customer replied to. */
  replyTo: z.string().min(1).optional(),
});

/**
 * Input of `chat.receive` (see {@link receiveInputSchema}).
 * @public
 */
export type ReceiveInput = z.input<typeof receiveInputSchema>;

/** Options of `chat.receive`. @public */
export const receiveOptionsSchema = z
  .object({
    /** Wait for the bot's turn before resolving (default). `false` resolves right after the commit. */
    waitForBot: z.boolean().default(true),
  })
  .default({ waitForBot: true });

/**
 * Options of `chat.receive` (see {@link receiveOptionsSchema}).
 * @public
 */
export type ReceiveOptions = z.input<typeof receiveOptionsSchema>;

export const conversationIdSchema = idSchema;

/** Input of `chat.requestIntervention`. @public */
export const requestInterventionInputSchema = z.object({
  by: z.enum(['customer', 'bot', 'api']),
  reason: z.string().max(1000).optional(),
});

/**
 * Input of `chat.requestIntervention`: who asks, and why.
 * @public
 */
export type RequestInterventionInput = z.input<typeof requestInterventionInputSchema>;

/** Input of intervene, release and resolve. @public */
export const agentActionInputSchema = z.object({ agentId: idSchema });

/**
 * Input of `chat.intervene`, `chat.release` and `chat.resolve`: the acting agent.
 * @public
 */
export type AgentActionInput = z.input<typeof agentActionInputSchema>;

/** Input of `chat.reply`. @public */
export const replyInputSchema = z.object({
  agentId: idSchema,
  content: outboundContentSchema,
  /** External id of the customer message this answers, sent as reply context. */
  replyTo: z.string().min(1).optional(),
});

/**
 * Input of `chat.reply` (see {@link replyInputSchema}).
 * @public
 */
export type ReplyInput = z.input<typeof replyInputSchema>;

/** Input of `chat.transfer`. @public */
export const transferInputSchema = z.object({ agentId: idSchema, to: idSchema });

/**
 * Input of `chat.transfer`: the acting agent and the new assignee.
 * @public
 */
export type TransferInput = z.input<typeof transferInputSchema>;

/** Input of `chat.updateStatus`: a delivery receipt from the channel. @public */
export const statusInputSchema = z.object({
  channel: z.string().min(1),
  externalId: z.string().min(1),
  status: messageStatusSchema.exclude(['received', 'pending']),
  at: timeInput.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/**
 * A delivery receipt for `chat.updateStatus` (see {@link statusInputSchema}).
 * @public
 */
export type StatusInput = z.input<typeof statusInputSchema>;

/** Input of `chat.reportChannelError`. @public */
export const channelErrorInputSchema = z.object({
  channel: z.string().min(1).max(64),
  code: z.string().min(1).max(64),
  message: z.string().max(4096),
  details: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Input of `chat.reportChannelError`: an error the channel reported about the account or app.
 * @public
 */
export type ChannelErrorInput = z.input<typeof channelErrorInputSchema>;

/** Who reads: an agent id. Absent means integrator code, which sees everything. */
const viewerSchema = idSchema.optional();

/** Options of `chat.conversation`. @public */
export const viewerOptionsSchema = z.object({ viewer: viewerSchema }).default({});

/**
 * Options of `chat.conversation`: the agent who reads, if any.
 * @public
 */
export type ViewerOptions = z.input<typeof viewerOptionsSchema>;

const pageFields = {
  cursor: z.string().min(1).nullish(),
  limit: z.number().int().min(1).max(500).default(50),
};

/** Options of `chat.messages`. @public */
export const messagesQuerySchema = z
  .object({ viewer: viewerSchema, ...pageFields, order: z.enum(['asc', 'desc']).default('asc') })
  .default({ limit: 50, order: 'asc' });

/**
 * Options of `chat.messages`: viewer, cursor, limit and order.
 * @public
 */
export type MessagesQuery = z.input<typeof messagesQuerySchema>;

/** The five inbox views (tabs). @public */
export const inboxViewSchema = conversationStateSchema;

/** Options of `chat.inbox`. @public */
export const inboxQuerySchema = z.object({ view: inboxViewSchema, viewer: viewerSchema, ...pageFields });

/**
 * Options of `chat.inbox`: view, viewer, cursor and limit.
 * @public
 */
export type InboxQuery = z.input<typeof inboxQuerySchema>;

/** Options of `chat.journey`. @public */
export const journeyQuerySchema = z
  .object({
    ...pageFields,
    order: z.enum(['asc', 'desc']).default('asc'),
    /** Only events of these types. */
    types: z.array(journeyEventTypeSchema).min(1).optional(),
    /** Only events by this actor: a type, and for agents and rules optionally the id. */
    actor: z.object({ type: z.enum(actorSchema.options.map((o) => o.shape.type.value) as [string, ...string[]]), id: idSchema.optional() }).strict().optional(),
  })
  .default({ limit: 50, order: 'asc' });

/**
 * Options of `chat.journey`: cursor, limit, order, and filters by event type and actor.
 * @public
 */
export type JourneyQuery = z.input<typeof journeyQuerySchema>;

/** Who makes a profile change: an agent, or integrator code (`api`, the default). @public */
export const byInputSchema = z
  .object({ by: z.union([z.literal('api'), z.object({ agentId: idSchema })]).default('api') })
  .default({ by: 'api' });

/**
 * Who makes a profile change: `{ by: 'api' }` (the default) or `{ by: { agentId } }`.
 * @public
 */
export type ByInput = z.input<typeof byInputSchema>;

export const attributesInputSchema = z.record(z.string().min(1).max(128), attributeValueSchema);

export { tagNameSchema } from '../model/tag.js';

export const agentInputSchema = agentSchema;
