import { LiveChatError, parseInput } from '../../errors.js';
import type { Actor } from '../../model/actor.js';
import type { AttributeValue, Contact } from '../../model/contact.js';
import { idSchema } from '../../model/actor.js';
import { journal, nowIso, type EngineContext } from '../context.js';
import { attributesInputSchema, byInputSchema, tagNameSchema, type ByInput } from '../inputs.js';
import { tagContact, untagContact, type ContactChange } from '../tagging.js';
import { runUnit } from '../unit-of-work.js';
import { requireAgent } from './agents.js';

/** Sets attribute values; an equal value changes nothing and records nothing. */
export function setAttributeValues(
  ctx: EngineContext,
  contact: Contact,
  values: Record<string, AttributeValue>,
  actor: Actor,
  at: string,
  conversationId: string | null,
): ContactChange {
  let attributes = contact.attributes;
  const journey = [];
  for (const [key, value] of Object.entries(values)) {
    const old = Object.hasOwn(attributes, key) ? attributes[key]! : null;
    if (old === value) continue;
    attributes = { ...attributes, [key]: value };
    journey.push(journal(ctx, { type: 'attribute.changed', contactId: contact.id, conversationId, actor, at, data: { key, old, new: value } }));
  }
  return { contact: attributes === contact.attributes ? contact : { ...contact, attributes }, journey };
}

/**
 * Resolves who makes a profile change, and checks that an agent may touch this contact:
 * while its open chat is intervened, only the assignee (or an admin) may.
 */
async function actorFor(ctx: EngineContext, contact: Contact, by: 'api' | { agentId: string }): Promise<{ actor: Actor; conversationId: string | null }> {
  const open = await ctx.store.findOpenConversation(contact.id);
  if (by === 'api') return { actor: { type: 'api' }, conversationId: open?.id ?? null };
  const agent = await requireAgent(ctx, by.agentId);
  if (open?.state === 'intervened' && open.assignee !== agent.id && agent.role !== 'admin') {
    throw new LiveChatError('FORBIDDEN', {
      message: `Agent ${agent.id} may not change this contact while ${open.assignee} owns its chat.`,
      details: { contactId: contact.id, owner: open.assignee },
    });
  }
  return { actor: { type: 'agent', id: agent.id }, conversationId: open?.id ?? null };
}

async function changeContact(
  ctx: EngineContext,
  contactId: string,
  by: 'api' | { agentId: string },
  change: (contact: Contact, actor: Actor, at: string, conversationId: string | null) => ContactChange,
): Promise<Contact> {
  return runUnit(ctx, async () => {
    const contact = await ctx.store.getContact(contactId);
    if (!contact) throw new LiveChatError('NOT_FOUND', { message: `No contact ${contactId}.`, details: { contactId } });
    const { actor, conversationId } = await actorFor(ctx, contact, by);
    const result = change(contact, actor, nowIso(ctx), conversationId);
    if (result.contact === contact) return { changes: {}, result: contact };
    const record = { ...result.contact, version: contact.version + 1 };
    return { changes: { contacts: [{ record, expectedVersion: contact.version }], journey: result.journey }, result: record };
  });
}

export function setAttributes(ctx: EngineContext, contactId: string, values: Record<string, AttributeValue>, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const attributes = parseInput(attributesInputSchema, values, 'attributes');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, (contact, actor, at, conversationId) => setAttributeValues(ctx, contact, attributes, actor, at, conversationId));
}

export function addTag(ctx: EngineContext, contactId: string, tag: string, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const name = parseInput(tagNameSchema, tag, 'tag');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, (contact, actor, at, conversationId) =>
    tagContact(ctx, contact, name, { source: actor.type === 'agent' ? 'manual' : 'api', actor, at, conversationId, campaignId: null }),
  );
}

export function removeTag(ctx: EngineContext, contactId: string, tag: string, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const name = parseInput(tagNameSchema, tag, 'tag');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, (contact, actor, at, conversationId) =>
    untagContact(ctx, contact, name, { source: actor.type === 'agent' ? 'manual' : 'api', actor, at, conversationId }),
  );
}
