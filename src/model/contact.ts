import { z } from 'zod';
import { actorSchema, idSchema, timestampSchema } from './actor.js';

/** A profile attribute value. @public */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * A profile attribute value: text, number, boolean or null.
 * @public
 */
export type AttributeValue = z.infer<typeof attributeValueSchema>;

/** Where a tag assignment came from. @public */
export const tagSourceSchema = z.enum(['first-message', 'api', 'broadcast', 'manual', 'rule']);

/**
 * How a tag was applied: `first-message`, `api`, `broadcast`, `manual` or `rule`.
 * @public
 */
export type TagSource = z.infer<typeof tagSourceSchema>;

/**
 * A tag on a contact with its provenance: who applied it, how, when, and in which
 * conversation or campaign.
 * @public
 */
export const tagAssignmentSchema = z.object({
  source: tagSourceSchema,
  actor: actorSchema,
  at: timestampSchema,
  conversationId: idSchema.nullable(),
  campaignId: idSchema.nullable(),
});

/**
 * A tag on a contact with its provenance (see {@link tagAssignmentSchema}).
 * @public
 */
export type TagAssignment = z.infer<typeof tagAssignmentSchema>;

/** A Click-to-WhatsApp ad or post referral, as the channel reported it. @public */
export const referralSchema = z.looseObject({
  sourceUrl: z.string().optional(),
  sourceId: z.string().optional(),
  sourceType: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  ctwaClid: z.string().optional(),
});

/**
 * A Click-to-WhatsApp ad or post referral (see {@link referralSchema}).
 * @public
 */
export type Referral = z.infer<typeof referralSchema>;

/**
 * A customer, identified by channel and address (for WhatsApp, the phone number).
 * `version` increases on every write and is the optimistic-concurrency token.
 * @public
 */
export const contactSchema = z.object({
  id: idSchema,
  channel: z.string().min(1),
  address: z.string().min(1),
  name: z.string().nullable(),
  attributes: z.record(z.string(), attributeValueSchema),
  tags: z.record(z.string(), tagAssignmentSchema),
  referral: referralSchema.nullable(),
  firstSeenAt: timestampSchema,
  lastSeenAt: timestampSchema,
  lastInboundAt: timestampSchema.nullable(),
  version: z.number().int().min(1),
});

/**
 * A customer with their profile (see {@link contactSchema}).
 * @public
 */
export type Contact = z.infer<typeof contactSchema>;
