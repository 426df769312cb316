import { z } from 'zod';
import { idSchema } from '../model/actor.js';
import { attributeKeySchema, attributeTypeSchema } from '../model/attribute.js';
import { attributeConditionSchema, tagsFilterSchema } from '../model/audience.js';
import { templateContentSchema } from '../model/content.js';
import { tagNameSchema } from '../model/tag.js';

// Input schemas of the profile entry points (attributes, catalog, audiences, broadcasts,
// profile, stats), kept apart from the conversation inputs.

const isoTime = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v).toISOString());
const by = z.union([z.literal('api'), z.object({ agentId: idSchema })]).default('api');

/** Who changes configuration or sends a broadcast: integrator code (the default) or an admin. @public */
export const adminByInputSchema = z.object({ by }).default({ by: 'api' });

/**
 * Who changes configuration or sends a broadcast: `{ by: 'api' }` (the default) or
 * `{ by: { agentId } }` for an agent with the `admin` role.
 * @public
 */
export type AdminByInput = z.input<typeof adminByInputSchema>;

/** Input of `chat.attributes.define`. @public */
export const attributeDefinitionInputSchema = z
  .object({
    key: attributeKeySchema,
    type: attributeTypeSchema,
    label: z.string().min(1).max(200),
    /** The allowed values; required for `one-of`, refused for other types. */
    options: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
    description: z.string().max(1000).optional(),
  })
  .strict()
  .superRefine((d, issue) => {
    if (d.type === 'one-of' && !d.options) issue.addIssue({ code: 'custom', path: ['options'], message: 'a one-of attribute needs options' });
    if (d.type !== 'one-of' && d.options) issue.addIssue({ code: 'custom', path: ['options'], message: 'only a one-of attribute takes options' });
    if (d.options && new Set(d.options).size !== d.options.length) issue.addIssue({ code: 'custom', path: ['options'], message: 'options must be distinct' });
  });

/**
 * Input of `chat.attributes.define` (see {@link attributeDefinitionInputSchema}).
 * @public
 */
export type AttributeDefinitionInput = z.input<typeof attributeDefinitionInputSchema>;

/** Input of `chat.tags.define`. @public */
export const tagDefinitionInputSchema = z
  .object({
    name: tagNameSchema,
    category: z.string().min(1).max(128),
    description: z.string().max(1000).optional(),
    color: z.string().min(1).max(64).optional(),
  })
  .strict();

/**
 * Input of `chat.tags.define` (see {@link tagDefinitionInputSchema}).
 * @public
 */
export type TagDefinitionInput = z.input<typeof tagDefinitionInputSchema>;

/** An audience as callers give it: like `audienceFilterSchema`, with times as `Date` or ISO strings. @public */
export const audienceInputSchema = z
  .object({
    tags: tagsFilterSchema.optional(),
    attributes: z.array(attributeConditionSchema).max(50).optional(),
    lastSeen: z.object({ from: isoTime.optional(), to: isoTime.optional() }).strict().optional(),
    optOut: z.enum(['exclude', 'include', 'only']).default('exclude'),
  })
  .strict()
  .default({ optOut: 'exclude' });

/**
 * An audience filter as `chat.audience.count`, `chat.audience.list` and `chat.broadcast` take it.
 * @public
 */
export type AudienceInput = z.input<typeof audienceInputSchema>;

/** Paging options of lists in a fixed order (audiences, campaigns). @public */
export const cursorPageInputSchema = z
  .object({ cursor: z.string().min(1).nullish(), limit: z.number().int().min(1).max(500).default(50) })
  .strict()
  .default({ limit: 50 });

/**
 * Paging options: `cursor` from the previous page and `limit` (default 50, at most 500).
 * @public
 */
export type CursorPageInput = z.input<typeof cursorPageInputSchema>;

/** Input of `chat.broadcast`. @public */
export const broadcastInputSchema = z
  .object({
    /** The campaign's name, also the tag every recipient gets. */
    name: tagNameSchema,
    /** The approved template to send. */
    template: templateContentSchema,
    /** Who gets it; everyone who has not opted out by default. */
    audience: audienceInputSchema,
    by,
  })
  .strict();

/**
 * Input of `chat.broadcast` (see {@link broadcastInputSchema}).
 * @public
 */
export type BroadcastInput = z.input<typeof broadcastInputSchema>;

/** Input of `chat.stats`: the time range `[from, to)`. @public */
export const statsInputSchema = z
  .object({ from: isoTime, to: isoTime })
  .strict()
  .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] });

/**
 * Input of `chat.stats`: `from` (inclusive) and `to` (exclusive), as `Date` or ISO strings.
 * @public
 */
export type StatsInput = z.input<typeof statsInputSchema>;
