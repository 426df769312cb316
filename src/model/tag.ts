import { z } from 'zod';
import { timestampSchema } from './actor.js';

/** A tag name as contacts carry it. @public */
export const tagNameSchema = z.string().min(1).max(128);

/**
 * An entry of the tag catalog: the tags agents may apply by hand, grouped in categories.
 * Automated tags (first message, API, rules, broadcasts) need no entry.
 * @public
 */
export const tagDefinitionSchema = z.object({
  name: tagNameSchema,
  category: z.string().min(1).max(128),
  description: z.string().max(1000).nullable(),
  /** A display colour (any CSS colour string); `null` lets the UI choose. */
  color: z.string().max(64).nullable(),
  createdAt: timestampSchema,
  /** Optimistic-concurrency token, as on every stored record. */
  version: z.number().int().min(1),
});

/**
 * An entry of the tag catalog (see {@link tagDefinitionSchema}).
 * @public
 */
export type TagDefinition = z.infer<typeof tagDefinitionSchema>;
