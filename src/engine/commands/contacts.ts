import { LiveChatError, parseInput } from '../../errors.js';
import type { Actor } from '../../model/actor.js';
import type { AttributeValue, Contact } from '../../model/contact.js';
import { idSchema } from '../../model/actor.js';
import type { Conversation } from '../../model/conversation.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { AttributeChange } from '../../ports/tag-rule.js';
import { attributeDefinitions, validateAttributeValues } from '../attributes.js';
import { journal, nowIso, type EngineContext } from '../context.js';
import { attributesInputSchema, byInputSchema, tagNameSchema, type ByInput } from '../inputs.js';
import { applyTagRules, tagContact, untagContact, type ContactChange } from '../tagging.js';
import { runUnit } from '../unit-of-work.js';
import { requireAgent } from './agents.js';

/** An attribute update with the journey entries and the changes tag rules see. */
export interface AttributeUpdate extends ContactChange {
  changes: AttributeChange[];
}

/** Sets attribute values; an equal value changes nothing and records nothing. */
export function setAttributeValues(
  ctx: EngineContext,
  contact: Contact,
  values: Record<string, AttributeValue>,
  actor: Actor,
  at: string,
  conversationId: string | null,
): AttributeUpdate {
  let attributes = contact.attributes;
  const journey: JourneyEvent[] = [];
  const changes: AttributeChange[] = [];
  for (const [key, value] of Object.entries(values)) {
    const old = Object.hasOwn(attributes, key) ? attributes[key]! : null;
    if (old === value) continue;
    attributes = { ...attributes, [key]: value };
    changes.push({ key, old, new: value });
    journey.push(journal(ctx, { type: 'attribute.changed', contactId: contact.id, conversationId, actor, at, data: { key, old, new: value } }));
  }
  return { contact: attributes === contact.attributes ? contact : { ...contact, attributes }, journey, changes };
}

/**
 * Resolves who makes a profile change, and checks that an agent may touch this contact:
 * while its open chat is intervened, only the assignee (or an admin) may.
 */
async function actorFor(ctx: EngineContext, contact: Contact, by: 'api' | { agentId: string }): Promise<{ actor: Actor; conversation: Conversation | null }> {
  const open = await ctx.store.findOpenConversation(contact.id);
  if (by === 'api') return { actor: { type: 'api' }, conversation: open };
  const agent = await requireAgent(ctx, by.agentId);
  if (open?.state === 'intervened' && open.assignee !== agent.id && agent.role !== 'admin') {
    throw new LiveChatError('FORBIDDEN', {
      message: `Agent ${agent.id} may not change this contact while ${open.assignee} owns its chat.`,
      details: { contactId: contact.id, owner: open.assignee },
    });
  }
  return { actor: { type: 'agent', id: agent.id }, conversation: open };
}

async function changeContact(
  ctx: EngineContext,
  contactId: string,
  by: 'api' | { agentId: string },
  change: (contact: Contact, actor: Actor, at: string, conversation: Conversation | null) => Promise<ContactChange> | ContactChange,
): Promise<Contact> {
  return runUnit(ctx, async () => {
    const contact = await ctx.store.getContact(contactId);
    if (!contact) throw new LiveChatError('NOT_FOUND', { message: `No contact ${contactId}.`, details: { contactId } });
    const { actor, conversation } = await actorFor(ctx, contact, by);
    const result = await change(contact, actor, nowIso(ctx), conversation);
    if (result.contact === contact) return { changes: {}, result: contact };
    const record = { ...result.contact, version: contact.version + 1 };
    return { changes: { contacts: [{ record, expectedVersion: contact.version }], journey: result.journey }, result: record, conversation };
  });
}

/**
 * Validates and sets attributes, then runs the tag rules listening to `attribute.changed`, all in
 * one unit of work.
 */
export function setAttributes(ctx: EngineContext, contactId: string, values: Record<string, AttributeValue>, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const attributes = parseInput(attributesInputSchema, values, 'attributes');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, async (contact, actor, at, conversation) => {
    const valid = validateAttributeValues(ctx, await attributeDefinitions(ctx), attributes);
    const update = setAttributeValues(ctx, contact, valid, actor, at, conversation?.id ?? null);
    if (update.changes.length === 0) return update;
    const ruled = applyTagRules(ctx, { contact: update.contact, conversation, message: null, events: [{ trigger: 'attribute.changed', changes: update.changes }], at });
    return { contact: ruled.contact, journey: [...update.journey, ...ruled.journey] };
  });
}

/**
 * Adds a tag. An agent's tag is `manual` and must be in the catalog (`UNKNOWN_TAG` otherwise);
 * integrator code adds `api` tags freely.
 */
export function addTag(ctx: EngineContext, contactId: string, tag: string, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const name = parseInput(tagNameSchema, tag, 'tag');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, async (contact, actor, at, conversation) => {
    const manual = actor.type === 'agent';
    if (manual && !(await ctx.store.listTagDefinitions()).some((d) => d.name === name)) {
      throw new LiveChatError('UNKNOWN_TAG', { message: `The tag "${name}" is not in the catalog; define it with chat.tags.define first.`, details: { tag: name } });
    }
    return tagContact(ctx, contact, name, { source: manual ? 'manual' : 'api', actor, at, conversationId: conversation?.id ?? null, campaignId: null });
  });
}

/** Removes a tag, whatever its source, recording who removed it. */
export function removeTag(ctx: EngineContext, contactId: string, tag: string, options?: ByInput): Promise<Contact> {
  const id = parseInput(idSchema, contactId, 'contactId');
  const name = parseInput(tagNameSchema, tag, 'tag');
  const { by } = parseInput(byInputSchema, options, 'options');
  return changeContact(ctx, id, by, (contact, actor, at, conversation) =>
    untagContact(ctx, contact, name, { source: actor.type === 'agent' ? 'manual' : 'api', actor, at, conversationId: conversation?.id ?? null }),
  );
}
