import type { Actor } from '../model/actor.js';
import type { Contact, TagAssignment } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import type { AttributeChange, TagRuleContext, TagRuleTrigger } from '../ports/tag-rule.js';
import { journal, type EngineContext } from './context.js';

/** A contact change with the journey entries that explain it. */
export interface ContactChange {
  contact: Contact;
  journey: JourneyEvent[];
}

/**
 * Adds `tag` with its provenance; a tag already present keeps its first provenance, except that
 * a broadcast tag moves to the newest campaign (replies are matched to the latest broadcast).
 */
export function tagContact(ctx: EngineContext, contact: Contact, tag: string, assignment: TagAssignment): ContactChange {
  const existing = contact.tags[tag];
  if (existing && !(assignment.source === 'broadcast' && existing.campaignId !== assignment.campaignId)) return { contact, journey: [] };
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
  removal: { actor: Actor; at: string; source: TagAssignment['source']; conversationId: string | null; reason?: string; campaignId?: string },
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
        data: {
          tag,
          source: removal.source,
          addedBy: previous.source,
          ...(removal.reason ? { reason: removal.reason } : {}),
          ...(removal.campaignId ? { campaignId: removal.campaignId } : {}),
        },
      }),
    ],
  };
}

/** One event the tag rules look at, with what it carries. */
export interface RuleEvent {
  trigger: TagRuleTrigger;
  changes?: AttributeChange[];
  campaignId?: string;
}

/**
 * Runs the tag rules on the events of one unit of work, inside it: rules in the order they were
 * given, each on every event it listens to, each seeing the contact as the earlier ones left it.
 * Tags a rule changes record the rule as actor and `rule` as source.
 */
export function applyTagRules(
  ctx: EngineContext,
  input: { contact: Contact; conversation: Conversation | null; message: Message | null; events: RuleEvent[]; at: string },
): ContactChange {
  let contact = input.contact;
  const journey: JourneyEvent[] = [];
  if (input.events.length === 0 || ctx.tagRules.length === 0) return { contact, journey };
  const conversationId = input.conversation?.id ?? null;
  // One context per event, rebuilt only when a rule changed the contact: building one per rule
  // and event cost more than evaluating the rules.
  const contexts = input.events.map((event): TagRuleContext => ({ ...event, contact, conversation: input.conversation, message: input.message }));
  for (const rule of ctx.tagRules) {
    for (let e = 0; e < contexts.length; e += 1) {
      if (contexts[e]!.contact !== contact) contexts[e] = { ...contexts[e]!, contact };
      const actions = rule.evaluate(contexts[e]!);
      if (!actions) continue;
      const actor = { type: 'rule', id: rule.id } as const;
      for (const tag of actions.add ?? []) {
        const change = tagContact(ctx, contact, tag, { source: 'rule', actor, at: input.at, conversationId, campaignId: null });
        contact = change.contact;
        journey.push(...change.journey);
      }
      for (const tag of actions.remove ?? []) {
        const change = untagContact(ctx, contact, tag, { source: 'rule', actor, at: input.at, conversationId });
        contact = change.contact;
        journey.push(...change.journey);
      }
    }
  }
  return { contact, journey };
}
