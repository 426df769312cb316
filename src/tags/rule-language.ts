import { z } from 'zod';
import { LiveChatError } from '../errors.js';
import { attributeConditionSchema, tagsFilterSchema, type AttributeCondition, type TagsFilter } from '../model/audience.js';
import { conversationStateSchema, type ConversationState } from '../model/conversation.js';
import { tagNameSchema } from '../model/tag.js';
import type { TagRuleTrigger } from '../ports/tag-rule.js';

/**
 * The events a tag rule can fire on.
 * @public
 */
export const tagRuleTriggerSchema = z.enum(['message.received', 'first.message', 'attribute.changed', 'broadcast.replied', 'referral.received']);

/**
 * A condition of a declarative tag rule. Text tests are case-insensitive and look at the
 * message's words (text, caption, button title); attribute and tag tests are those of audiences.
 * @public
 */
export type TagRuleCondition =
  | { type: 'all'; of: TagRuleCondition[] }
  | { type: 'any'; of: TagRuleCondition[] }
  | { type: 'not'; of: TagRuleCondition }
  | { type: 'text'; contains?: string | string[]; regex?: string }
  | ({ type: 'attribute' } & AttributeCondition)
  | ({ type: 'tags' } & TagsFilter)
  | { type: 'state'; in: ConversationState[] }
  | { type: 'referral'; sourceId?: string; sourceType?: string; headlineContains?: string }
  | { type: 'changed'; keys?: string[] };

const textConditionSchema = z
  .object({
    type: z.literal('text'),
    contains: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    regex: z.string().min(1).max(500).optional(),
  })
  .strict()
  .superRefine((c, issue) => {
    if ((c.contains === undefined) === (c.regex === undefined)) issue.addIssue({ code: 'custom', message: 'a text condition needs exactly one of contains and regex' });
    if (c.regex !== undefined) {
      try {
        new RegExp(c.regex, 'iu');
      } catch (error) {
        issue.addIssue({ code: 'custom', path: ['regex'], message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }
  });

/**
 * The zod schema of {@link TagRuleCondition}, recursive through `all`, `any` and `not`.
 * @public
 */
export const tagRuleConditionSchema: z.ZodType<TagRuleCondition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('all'), of: z.array(tagRuleConditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('any'), of: z.array(tagRuleConditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('not'), of: tagRuleConditionSchema }).strict(),
    textConditionSchema,
    z.discriminatedUnion('op', attributeConditionSchema.options.map((o) => o.extend({ type: z.literal('attribute') })) as never),
    tagsFilterSchema.extend({ type: z.literal('tags') }).strict(),
    z.object({ type: z.literal('state'), in: z.array(conversationStateSchema).min(1) }).strict(),
    z.object({ type: z.literal('referral'), sourceId: z.string().optional(), sourceType: z.string().optional(), headlineContains: z.string().min(1).optional() }).strict(),
    z.object({ type: z.literal('changed'), keys: z.array(z.string().min(1)).min(1).optional() }).strict(),
  ]),
) as z.ZodType<TagRuleCondition>;

/**
 * A tag rule written as data (JSON), so rules can live in a database or a config file: on one of
 * the `on` events, if the condition holds, add and remove tags. The journey names the rule's
 * `id` as the actor of every tag it changes.
 *
 * @example
 * ```json
 * { "id": "pricing-interest", "on": ["message.received"],
 *   "if": { "type": "all", "of": [
 *     { "type": "text", "contains": ["price", "cost"] },
 *     { "type": "attribute", "key": "country", "op": "in", "values": ["DE", "AT"] } ] },
 *   "then": { "add": ["pricing-dach"] } }
 * ```
 * @public
 */
export const tagRuleDefinitionSchema = z
  .object({
    id: z.string().min(1).max(128),
    description: z.string().max(1000).optional(),
    on: z.array(tagRuleTriggerSchema).min(1),
    if: tagRuleConditionSchema.optional(),
    then: z
      .object({ add: z.array(tagNameSchema).min(1).optional(), remove: z.array(tagNameSchema).min(1).optional() })
      .strict()
      .refine((t) => t.add !== undefined || t.remove !== undefined, 'a rule must add or remove at least one tag'),
  })
  .strict();

/**
 * A declarative tag rule (see {@link tagRuleDefinitionSchema}).
 * @public
 */
export type TagRuleDefinition = z.infer<typeof tagRuleDefinitionSchema>;

/**
 * Parses one declarative rule, or throws `INVALID_INPUT` naming the rule and the path of the
 * first problem (`Tag rule "pricing" is invalid at if.of.0.regex: ...`).
 * @internal
 */
export function parseTagRuleDefinition(input: unknown, position?: number): TagRuleDefinition {
  const result = tagRuleDefinitionSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const rawId = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  const name = typeof rawId === 'string' && rawId.length > 0 ? `"${rawId}"` : position === undefined ? '(without id)' : `#${position}`;
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  throw new LiveChatError('INVALID_INPUT', {
    message: `Tag rule ${name} is invalid${where}: ${issue.message}`,
    path: position === undefined ? issue.path : [position, ...issue.path],
    details: { ruleId: typeof rawId === 'string' ? rawId : null, issues: result.error.issues },
    cause: result.error,
  });
}

/** Every trigger name, for code that switches on them. @internal */
export const tagRuleTriggers: readonly TagRuleTrigger[] = tagRuleTriggerSchema.options;
