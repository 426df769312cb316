import * as z from 'zod/mini';
import { LiveChatError } from '../errors.js';
import type { Agent } from '../model/agent.js';
import { text } from './inputs.js';
import type { AttributeField, TagDefinition, TemplateOption } from './source.js';

const optionalText = (what: string, max: number) => z.optional(z.string().check(z.maxLength(max, `${what} is longer than ${max} characters`)));

const tagDefinitionSchema = z.object({
  name: text('a tag name', 128),
  category: text('a tag category', 128),
  description: optionalText('a description', 500),
  color: optionalText('a colour', 64),
});

const attributeFieldSchema = z.object({
  key: text('an attribute key', 128),
  label: text('a label', 128),
  type: z.optional(z.enum(['text', 'email', 'phone', 'url', 'number'])),
});

const templateOptionSchema = z.object({
  name: text('a template name', 512),
  language: text('a language code', 16),
  label: text('a label', 200),
  body: optionalText('a template body', 4096),
  parameters: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
});

/**
 * The catalogs a session offers: manual tags, profile fields, templates.
 * @public
 */
export interface SessionCatalogs {
  /** Tags agents may add by hand. */
  tagCatalog: TagDefinition[];
  /** Attributes the profile always lists. */
  attributeFields: AttributeField[];
  /** Templates the composer offers outside the reply window. */
  templates: TemplateOption[];
}

/** Validates the catalogs a source is configured with; each defaults to empty. */
export const sessionCatalogsSchema = z.object({
  tagCatalog: z._default(z.array(tagDefinitionSchema), []),
  attributeFields: z._default(z.array(attributeFieldSchema), []),
  templates: z._default(z.array(templateOptionSchema), []),
});

/** The viewer's agent record, or `UNKNOWN_AGENT`. */
export function requireViewer(agent: Agent | null, id: string): Agent {
  if (!agent) throw new LiveChatError('UNKNOWN_AGENT', { message: `No agent ${id} is registered.`, details: { agentId: id } });
  return agent;
}
