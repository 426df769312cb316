import type { Actor } from '../model/actor.js';
import type { Contact, TagAssignment } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import { journal, type EngineContext } from './context.js';

/** A contact change with the journey entries that explain it. */
export interface ContactChange {
  contact: Contact;
  journey: JourneyEvent[];
}

/** Adds `tag` with its provenance; a tag already present keeps its first provenance. */
export function tagContact(ctx: EngineContext, contact: Contact, tag: string, assignment: TagAssignment): ContactChange {
  if (contact.tags[tag]) return { contact, journey: [] };
  return {
    contact: { ...contact, tags: { ...contact.tags, [tag]: assignment } },
    journey: [
      journal(ctx, {
        type: 'tag.added',
        contactId: contact.id,
        conversationId: assignment.conversationId,
        actor: assignment.actor,
        at: assignment.at,
        data: { tag, source: assignment.source, ...(assignment.campaignId ? { campaignId: assignment.campaignId } : {}) },
      }),
    ],
  };
}

/** Removes `tag`, recording who removed it and where it had come from. */
export function untagContact(
  ctx: EngineContext,
  contact: Contact,
  tag: string,
  removal: { actor: Actor; at: string; source: TagAssignment['source']; conversationId: string | null },
): ContactChange {
  const previous = contact.tags[tag];
  if (!previous) return { contact, journey: [] };
  const { [tag]: _removed, ...tags } = contact.tags;
  return {
    contact: { ...contact, tags },
    journey: [
      journal(ctx, {
        type: 'tag.removed',
        contactId: contact.id,
        conversationId: removal.conversationId,
        actor: removal.actor,
        at: removal.at,
        data: { tag, source: removal.source, addedBy: previous.source },
      }),
    ],
  };
}

/**
 * Runs the code tag rules on an inbound message, inside the unit of work that received it.
 * Rules see the contact as the earlier rules left it, in the order they were given.
 */
export function applyTagRules(
  ctx: EngineContext,
  input: { contact: Contact; conversation: Conversation; message: Message; firstMessage: boolean; at: string },
): ContactChange {
  let contact = input.contact;
  const journey: JourneyEvent[] = [];
  for (const rule of ctx.tagRules) {
    for (const trigger of input.firstMessage ? (['first.message', 'message.received'] as const) : (['message.received'] as const)) {
      const actions = rule.evaluate({ trigger, contact, conversation: input.conversation, message: input.message });
      if (!actions) continue;
      const actor = { type: 'rule', id: rule.id } as const;
      for (const tag of actions.add ?? []) {
        const change = tagContact(ctx, contact, tag, { source: 'rule', actor, at: input.at, conversationId: input.conversation.id, campaignId: null });
        contact = change.contact;
        journey.push(...change.journey);
      }
      for (const tag of actions.remove ?? []) {
        const change = untagContact(ctx, contact, tag, { source: 'rule', actor, at: input.at, conversationId: input.conversation.id });
        contact = change.contact;
        journey.push(...change.journey);
      }
    }
  }
  return { contact, journey };
}
