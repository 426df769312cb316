import { z } from 'zod';
import { LiveChatError } from '../errors.js';
import type { Agent } from '../model/agent.js';
import type { AttributeField, TagDefinition, TemplateOption } from './source.js';

const tagDefinitionSchema = z.object({
  name: z.string().min(1).max(128),
  category: z.string().min(1).max(128),
  description: z.string().max(500).optional(),
  color: z.string().max(64).optional(),
});

const attributeFieldSchema = z.object({
  key: z.string().min(1).max(128),
  label: z.string().min(1).max(128),
  type: z.enum(['text', 'email', 'phone', 'url', 'number']).optional(),
});

const templateOptionSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(16),
  label: z.string().min(1).max(200),
  body: z.string().max(4096).optional(),
  parameters: z.number().int().min(0).max(20).optional(),
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
  tagCatalog: z.array(tagDefinitionSchema).default([]),
  attributeFields: z.array(attributeFieldSchema).default([]),
  templates: z.array(templateOptionSchema).default([]),
}) satisfies z.ZodType<SessionCatalogs, unknown>;

/** The viewer's agent record, or `UNKNOWN_AGENT`. */
export function requireViewer(agent: Agent | null, id: string): Agent {
  if (!agent) throw new LiveChatError('UNKNOWN_AGENT', { message: `No agent ${id} is registered.`, details: { agentId: id } });
  return agent;
}
