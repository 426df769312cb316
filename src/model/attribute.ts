import { z } from 'zod';
import { timestampSchema } from './actor.js';
import type { AttributeValue } from './contact.js';

/**
 * The value types a profile attribute can be declared with. `one-of` takes its values from the
 * definition's `options`; `date` is an ISO date (`2026-03-02`) or an ISO timestamp.
 * @public
 */
export const attributeTypeSchema = z.enum(['text', 'number', 'boolean', 'date', 'email', 'phone', 'url', 'one-of']);

/**
 * The type of a profile attribute (see {@link attributeTypeSchema}).
 * @public
 */
export type AttributeType = z.infer<typeof attributeTypeSchema>;

/** A key as contacts store it: letters, digits, `_`, `-` and `.`, starting with a letter. @public */
export const attributeKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an attribute key starts with a letter and holds letters, digits, _, - and .');

/**
 * A registered profile attribute: its key, value type, the label agents see, and for `one-of`
 * the allowed values. Stored, so every engine instance over the store validates alike.
 * @public
 */
export const attributeDefinitionSchema = z.object({
  key: attributeKeySchema,
  type: attributeTypeSchema,
  label: z.string().min(1).max(200),
  /** The allowed values of a `one-of` attribute; `null` for every other type. */
  options: z.array(z.string().min(1).max(200)).min(1).nullable(),
  description: z.string().max(1000).nullable(),
  createdAt: timestampSchema,
  /** Optimistic-concurrency token, as on every stored record. */
  version: z.number().int().min(1),
});

/**
 * A registered profile attribute (see {@link attributeDefinitionSchema}).
 * @public
 */
export type AttributeDefinition = z.infer<typeof attributeDefinitionSchema>;

// E.164: a plus, then 7 to 15 digits without a leading zero. WhatsApp addresses are the same.
const phonePattern = /^\+[1-9]\d{6,14}$/;

const isoDate = z.iso.date();
const isoTimestamp = z.iso.datetime({ offset: true });

const valueSchemas: Record<Exclude<AttributeType, 'one-of'>, z.ZodType<AttributeValue>> = {
  text: z.string().max(2000),
  number: z.number().finite(),
  boolean: z.boolean(),
  date: z
    .string()
    .refine((v) => isoDate.safeParse(v).success || isoTimestamp.safeParse(v).success, 'expected an ISO date (2026-03-02) or timestamp'),
  email: z.email(),
  phone: z.string().regex(phonePattern, 'expected a phone number in E.164 form (+15550001234)'),
  url: z.url({ protocol: /^https?$/ }),
};

/**
 * The schema a value of `definition` must match. `null` is always allowed: it clears the value.
 * @public
 */
export function attributeValueSchemaFor(definition: Pick<AttributeDefinition, 'type' | 'options'>): z.ZodType<AttributeValue> {
  if (definition.type === 'one-of') {
    const options = definition.options ?? [];
    return z.enum(options as [string, ...string[]], { error: `expected one of ${options.join(', ')}` }).nullable();
  }
  return valueSchemas[definition.type].nullable();
}
