import { z } from 'zod';
import { timestampSchema } from './actor.js';
import type { AttributeValue, Contact } from './contact.js';
import { tagNameSchema } from './tag.js';

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);
const key = z.string().min(1).max(128);

/**
 * One test on a contact attribute, shared by audience filters and tag rules.
 * - `equals` / `notEquals` / `in`: strict JSON equality (`1` is not `'1'`); a missing or `null`
 *   value is never equal, so it satisfies `notEquals`;
 * - `exists` / `missing`: the value is set (not `null`) / absent or `null`;
 * - `gt`, `gte`, `lt`, `lte`: with a number, the attribute must be a number; with a string, the
 *   attribute must be a string and compares in code-unit order (ISO dates compare by time).
 * @public
 */
export const attributeConditionSchema = z.discriminatedUnion('op', [
  z.object({ key, op: z.literal('equals'), value: scalar }).strict(),
  z.object({ key, op: z.literal('notEquals'), value: scalar }).strict(),
  z.object({ key, op: z.literal('in'), values: z.array(scalar).min(1).max(500) }).strict(),
  z.object({ key, op: z.literal('exists') }).strict(),
  z.object({ key, op: z.literal('missing') }).strict(),
  z.object({ key, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.union([z.number().finite(), z.string()]) }).strict(),
]);

/**
 * A test on a contact attribute (see {@link attributeConditionSchema}).
 * @public
 */
export type AttributeCondition = z.infer<typeof attributeConditionSchema>;

/**
 * A test on a contact's tags: it has `all` of them, `any` of them, `none` of them (each part
 * optional, all given parts must hold).
 * @public
 */
export const tagsFilterSchema = z
  .object({
    all: z.array(tagNameSchema).min(1).max(100).optional(),
    any: z.array(tagNameSchema).min(1).max(100).optional(),
    none: z.array(tagNameSchema).min(1).max(100).optional(),
  })
  .strict();

/**
 * A test on a contact's tags (see {@link tagsFilterSchema}).
 * @public
 */
export type TagsFilter = z.infer<typeof tagsFilterSchema>;

/**
 * The contact filter a store answers from its indexes (`Store.listContacts`,
 * `Store.countContacts`): every given part must hold. `lastSeen` is the range
 * `from <= lastSeenAt < to`. Opt-out is not a store notion: the engine turns it into an
 * attribute condition.
 * @public
 */
export interface ContactFilter {
  /** Only contacts of this channel. */
  channel?: string;
  /** Tests on tags. */
  tags?: TagsFilter;
  /** Tests on attributes; all must hold. */
  attributes?: AttributeCondition[];
  /** `from <= lastSeenAt < to`, either end optional. */
  lastSeen?: { from?: string; to?: string };
}

/**
 * An audience: who a broadcast goes to, or who `chat.audience` counts. Tags, attributes and
 * last-seen tests as in {@link ContactFilter}; `optOut` says what to do with contacts whose
 * opt-out attribute (`policy.optOutAttribute`) is `true`: leave them out (the default), keep
 * them, or select only them.
 * @public
 */
export const audienceFilterSchema = z
  .object({
    tags: tagsFilterSchema.optional(),
    attributes: z.array(attributeConditionSchema).max(50).optional(),
    lastSeen: z.object({ from: timestampSchema.optional(), to: timestampSchema.optional() }).strict().optional(),
    optOut: z.enum(['exclude', 'include', 'only']).default('exclude'),
  })
  .strict();

/**
 * An audience (see {@link audienceFilterSchema}).
 * @public
 */
export type AudienceFilter = z.infer<typeof audienceFilterSchema>;

/** Whether one attribute value passes one condition. @public */
export function matchesAttribute(value: AttributeValue | undefined, condition: AttributeCondition): boolean {
  const set = value !== undefined && value !== null;
  switch (condition.op) {
    case 'equals':
      return set && value === condition.value;
    case 'notEquals':
      return !set || value !== condition.value;
    case 'in':
      return set && condition.values.includes(value);
    case 'exists':
      return set;
    case 'missing':
      return !set;
    default: {
      // Comparisons never mix types: a number attribute against a string bound is no match.
      if (!set || typeof value !== typeof condition.value) return false;
      const a = value as number | string;
      const b = condition.value;
      if (condition.op === 'gt') return a > b;
      if (condition.op === 'gte') return a >= b;
      if (condition.op === 'lt') return a < b;
      return a <= b;
    }
  }
}

/** Whether a set of tag names passes a tags filter. @public */
export function matchesTags(tags: Readonly<Record<string, unknown>>, filter: TagsFilter): boolean {
  // Plain loops: this runs once per candidate contact, and a closure per call cost 20x here.
  if (filter.all) for (const t of filter.all) if (!Object.hasOwn(tags, t)) return false;
  if (filter.any) {
    let found = false;
    for (const t of filter.any) if (Object.hasOwn(tags, t)) found = true;
    if (!found) return false;
  }
  if (filter.none) for (const t of filter.none) if (Object.hasOwn(tags, t)) return false;
  return true;
}

/** Whether a contact passes a store-level {@link ContactFilter}. @public */
export function matchesContactFilter(contact: Contact, filter: ContactFilter): boolean {
  if (filter.channel !== undefined && contact.channel !== filter.channel) return false;
  if (filter.tags && !matchesTags(contact.tags, filter.tags)) return false;
  if (filter.lastSeen?.from !== undefined && contact.lastSeenAt < filter.lastSeen.from) return false;
  if (filter.lastSeen?.to !== undefined && contact.lastSeenAt >= filter.lastSeen.to) return false;
  for (const condition of filter.attributes ?? []) {
    const value = Object.hasOwn(contact.attributes, condition.key) ? contact.attributes[condition.key] : undefined;
    if (!matchesAttribute(value, condition)) return false;
  }
  return true;
}
