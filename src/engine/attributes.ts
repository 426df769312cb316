import { LiveChatError } from '../errors.js';
import { attributeValueSchemaFor, type AttributeDefinition } from '../model/attribute.js';
import type { AttributeValue } from '../model/contact.js';
import type { EngineContext } from './context.js';

/** The opt-out attribute as the engine defines it when the integrator did not. */
export function optOutDefinition(key: string): AttributeDefinition {
  return {
    key,
    type: 'boolean',
    label: 'Opted out of broadcasts',
    options: null,
    description: 'Set to true when the customer asked to receive no broadcasts; audiences leave them out.',
    createdAt: '1970-01-01T00:00:00.000Z',
    version: 1,
  };
}

/** The attribute definitions in force: the stored ones, plus the opt-out attribute. */
export async function attributeDefinitions(ctx: EngineContext): Promise<Map<string, AttributeDefinition>> {
  const definitions = new Map((await ctx.store.listAttributeDefinitions()).map((d) => [d.key, d]));
  if (!definitions.has(ctx.policy.optOutAttribute)) definitions.set(ctx.policy.optOutAttribute, optOutDefinition(ctx.policy.optOutAttribute));
  return definitions;
}

/**
 * Checks attribute values against their definitions, or throws `INVALID_INPUT` with the key as
 * path. A key without a definition is refused or stored as text, as `policy.undefinedAttributes`
 * says; `null` clears any attribute.
 */
export function validateAttributeValues(
  ctx: EngineContext,
  definitions: ReadonlyMap<string, AttributeDefinition>,
  values: Readonly<Record<string, AttributeValue>>,
): Record<string, AttributeValue> {
  const valid: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = definitions.get(key);
    if (!definition) {
      if (ctx.policy.undefinedAttributes === 'reject') {
        throw new LiveChatError('INVALID_INPUT', { message: `Invalid attributes.${key}: no attribute "${key}" is defined`, path: [key], details: { key } });
      }
      valid[key] = value === null ? null : String(value);
      continue;
    }
    const result = attributeValueSchemaFor(definition).safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new LiveChatError('INVALID_INPUT', {
        message: `Invalid attributes.${key}: ${issue?.message ?? 'invalid value'} (${definition.type})`,
        path: [key],
        details: { key, type: definition.type, issues: result.error.issues },
        cause: result.error,
      });
    }
    valid[key] = result.data;
  }
  return valid;
}
