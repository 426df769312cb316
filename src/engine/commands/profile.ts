import { LiveChatError, parseInput } from '../../errors.js';
import { idSchema } from '../../model/actor.js';
import type { AttributeDefinition } from '../../model/attribute.js';
import type { AttributeValue, Contact, TagAssignment } from '../../model/contact.js';
import type { Conversation, ConversationState } from '../../model/conversation.js';
import type { JourneyEvent, JourneyEventType } from '../../model/journey.js';
import type { TagDefinition } from '../../model/tag.js';
import { attributeDefinitions } from '../attributes.js';
import type { EngineContext } from '../context.js';
import { viewerOptionsSchema, type ViewerOptions } from '../inputs.js';
import { canView } from '../queries.js';
import { requireAgent } from './agents.js';

/**
 * One attribute on a profile: its value (`null` when unset) and its definition (`null` for a
 * key stored as text without one).
 * @public
 */
export interface ProfileAttribute {
  /** The attribute's key. */
  key: string;
  /** The value, or `null` when unset. */
  value: AttributeValue;
  /** How it is defined (type, label, options), or `null` for an undefined key. */
  definition: AttributeDefinition | null;
}

/**
 * One tag on a profile with its provenance (source, actor, time, conversation or campaign) and
 * its catalog entry (`null` for automated tags outside the catalog).
 * @public
 */
export interface ProfileTag {
  /** The tag's name. */
  name: string;
  /** Who applied it, how, when, and where. */
  assignment: TagAssignment;
  /** Its catalog entry, or `null`. */
  definition: TagDefinition | null;
}

/**
 * Summary figures of a contact, counted from the journey.
 * @public
 */
export interface ProfileFigures {
  /** When the contact first wrote. */
  firstSeenAt: string;
  /** When the contact last wrote. */
  lastSeenAt: string;
  /** Conversations opened, History included. */
  conversations: number;
  /** Messages from the customer. */
  messagesIn: number;
  /** Messages to the customer: agent replies, bot replies and broadcasts sent. */
  messagesOut: number;
  /** Distinct broadcasts sent to the contact. */
  campaignsReceived: number;
  /** The last broadcast sent to the contact. */
  lastCampaign: { id: string; name: string; at: string } | null;
}

/**
 * What an agent sees beside the chat: who the customer is and what they want.
 * @public
 */
export interface ContactProfile {
  /** The contact record. */
  contact: Contact;
  /** Every defined attribute (unset ones with `null`), then undefined keys the contact has, by key. */
  attributes: ProfileAttribute[];
  /** The contact's tags, oldest assignment first. */
  tags: ProfileTag[];
  /**
   * The open conversation, or `null` when there is none or the viewer may not see it (an
   * intervened chat of another agent).
   */
  conversation: Conversation | null;
  /** The open conversation's state, shown even when the conversation itself is not. */
  conversationState: ConversationState | null;
  /** Summary figures. */
  figures: ProfileFigures;
}

/** Every journey event of these types, oldest first. */
async function eventsOf(ctx: EngineContext, contactId: string, types: JourneyEventType[]): Promise<JourneyEvent[]> {
  const events: JourneyEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await ctx.store.listJourney(contactId, { cursor, limit: 500, order: 'asc', types });
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return events;
}

/** A contact's profile; `NOT_FOUND` for an unknown contact, `UNKNOWN_AGENT` for an unknown viewer. */
export async function profile(ctx: EngineContext, id: string, options?: ViewerOptions): Promise<ContactProfile> {
  const contactId = parseInput(idSchema, id, 'contactId');
  const { viewer } = parseInput(viewerOptionsSchema, options, 'options');
  const agent = viewer === undefined ? null : await requireAgent(ctx, viewer);
  const contact = await ctx.store.getContact(contactId);
  if (!contact) throw new LiveChatError('NOT_FOUND', { message: `No contact ${contactId}.`, details: { contactId } });
  const [definitions, catalog, open, events] = await Promise.all([
    attributeDefinitions(ctx),
    ctx.store.listTagDefinitions(),
    ctx.store.findOpenConversation(contactId),
    eventsOf(ctx, contactId, ['conversation.opened', 'message.received', 'message.sent', 'bot.replied', 'broadcast.sent']),
  ]);

  const keys = new Set([...definitions.keys(), ...Object.keys(contact.attributes)]);
  const attributes = [...keys].sort().map((key) => ({
    key,
    value: Object.hasOwn(contact.attributes, key) ? contact.attributes[key]! : null,
    definition: definitions.get(key) ?? null,
  }));
  const tagDefinitions = new Map(catalog.map((d) => [d.name, d]));
  const tags = Object.entries(contact.tags)
    .map(([name, assignment]) => ({ name, assignment, definition: tagDefinitions.get(name) ?? null }))
    .sort((a, b) => (a.assignment.at === b.assignment.at ? (a.name < b.name ? -1 : 1) : a.assignment.at < b.assignment.at ? -1 : 1));

  const count = (...types: JourneyEventType[]) => events.filter((e) => types.includes(e.type)).length;
  const broadcasts = events.filter((e) => e.type === 'broadcast.sent');
  const last = broadcasts[broadcasts.length - 1];
  return {
    contact,
    attributes,
    tags,
    conversation: open && canView(ctx, open, agent) ? open : null,
    conversationState: open?.state ?? null,
    figures: {
      firstSeenAt: contact.firstSeenAt,
      lastSeenAt: contact.lastSeenAt,
      conversations: count('conversation.opened'),
      messagesIn: count('message.received'),
      messagesOut: count('message.sent', 'bot.replied', 'broadcast.sent'),
      campaignsReceived: new Set(broadcasts.map((e) => e.data['campaignId'])).size,
      lastCampaign: last ? { id: String(last.data['campaignId']), name: String(last.data['name']), at: last.at } : null,
    },
  };
}
