import type { Actor } from '../model/actor.js';
import type { Agent } from '../model/agent.js';
import type { AttributeValue, Contact } from '../model/contact.js';
import { contentPreview } from '../model/content-preview.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message, MessageStatus } from '../model/message.js';
import type { AttributeField, TagDefinition } from './source.js';
import type {
  AttributeView,
  ConversationSummary,
  DeliveryTick,
  JourneyItem,
  MessageView,
  PendingAction,
  ProfileView,
  TagView,
} from './state.js';

// Pure builders from engine records to the UI shapes of state.ts. Each takes what it needs and
// nothing else, so the store can rebuild one row or one message without touching the rest.

type Agents = Readonly<Record<string, Agent>>;

/** An agent's display name; the id when the agent is unknown. */
export const agentName = (agents: Agents, id: string | null): string | null => (id === null ? null : (agents[id]?.name ?? id));

/** Who did something, as a name. */
export function actorName(actor: Actor, agents: Agents, contact: Contact | null): string {
  switch (actor.type) {
    case 'customer':
      return contact?.name ?? contact?.address ?? 'Customer';
    case 'bot':
      return 'Bot';
    case 'agent':
      return agentName(agents, actor.id)!;
    case 'api':
      return 'API';
    case 'rule':
      return `Rule ${actor.id}`;
    case 'system':
      return 'System';
  }
}

const ticks: Record<MessageStatus, DeliveryTick> = {
  received: null,
  pending: 'clock',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

const statusRank: Record<MessageStatus, number> = { received: 0, pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** Whether `next` is a newer copy of `current` (its delivery status moved forward). */
export const isNewerMessage = (current: Message, next: Message): boolean =>
  statusRank[next.status] > statusRank[current.status] || (next.status === current.status && next.statusAt > current.statusAt);

/** `(at, id)` order of messages and journey entries. */
export const byTime = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  a.at === b.at ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.at < b.at ? -1 : 1;

/** A message as the chat shows it. */
export function messageView(message: Message, agents: Agents, contact: Contact | null, local = false): MessageView {
  return {
    id: message.id,
    direction: message.direction,
    author: message.author,
    authorName: actorName(message.author, agents, contact),
    content: message.content,
    text: contentPreview(message.content),
    at: message.at,
    status: message.status,
    tick: ticks[message.status],
    error: message.error,
    local,
  };
}

/** A conversation list row. */
export function summaryOf(
  conversation: Conversation,
  contact: Contact | null,
  lastMessage: Message | null,
  agents: Agents,
  pending: PendingAction | null,
): ConversationSummary {
  return {
    id: conversation.id,
    contactId: conversation.contactId,
    title: contact?.name ?? contact?.address ?? 'Unknown contact',
    address: contact?.address ?? '',
    state: conversation.state,
    assignee: conversation.assignee,
    assigneeName: agentName(agents, conversation.assignee),
    lastActivityAt: conversation.lastActivityAt,
    preview: lastMessage ? contentPreview(lastMessage.content) : '',
    lastAuthor: lastMessage?.author.type ?? null,
    lastStatus: lastMessage?.status ?? null,
    pending,
    conversation,
  };
}

/** The profile of a contact, with the viewer's unconfirmed changes marked. */
export function profileOf(
  contact: Contact,
  fields: readonly AttributeField[],
  catalog: readonly TagDefinition[],
  agents: Agents,
  pending: { attributes: ReadonlySet<string>; tags: ReadonlyMap<string, 'adding' | 'removing'> },
): ProfileView {
  const known = new Set(fields.map((f) => f.key));
  const attribute = (key: string, label: string, type: AttributeView['type']): AttributeView => ({
    key,
    label,
    type,
    value: (Object.hasOwn(contact.attributes, key) ? contact.attributes[key] : null) as AttributeValue,
    pending: pending.attributes.has(key),
  });
  const attributes = [
    ...fields.map((f) => attribute(f.key, f.label, f.type ?? 'text')),
    ...Object.keys(contact.attributes)
      .filter((key) => !known.has(key))
      .sort()
      .map((key) => attribute(key, key, 'text')),
  ];
  const definitions = new Map(catalog.map((t) => [t.name, t]));
  const tags: TagView[] = Object.entries(contact.tags)
    .map(([name, assignment]) => ({
      name,
      category: definitions.get(name)?.category ?? null,
      color: definitions.get(name)?.color ?? null,
      source: assignment.source,
      actor: assignment.actor,
      actorName: actorName(assignment.actor, agents, contact),
      at: assignment.at,
      conversationId: assignment.conversationId,
      campaignId: assignment.campaignId,
      pending: pending.tags.get(name) ?? null,
    }))
    .sort((a, b) => (a.at === b.at ? a.name.localeCompare(b.name) : a.at < b.at ? 1 : -1));
  return {
    contactId: contact.id,
    name: contact.name,
    channel: contact.channel,
    address: contact.address,
    attributes,
    tags,
    availableTags: catalog.filter((t) => !Object.hasOwn(contact.tags, t.name)),
    firstSeenAt: contact.firstSeenAt,
    lastSeenAt: contact.lastSeenAt,
    referral: contact.referral,
    contact,
  };
}

const tagSources: Record<string, string> = {
  'first-message': 'First-message tag',
  api: 'API tag',
  broadcast: 'Broadcast tag',
  manual: 'Manual tag',
  rule: 'Tag rule',
};

const show = (value: unknown): string => (value === null || value === undefined || value === '' ? '(empty)' : String(value));
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A journey entry described for people: "Asha intervened", "email: (empty) → maya@example.com". */
export function journeyItem(event: JourneyEvent, agents: Agents, contact: Contact | null): JourneyItem {
  const who = actorName(event.actor, agents, contact);
  const d = event.data;
  const describe = (): [string, string | null] => {
    switch (event.type) {
      case 'contact.created':
        return [`${who} wrote for the first time`, str(d['address'])];
      case 'conversation.opened':
        return ['Conversation opened', null];
      case 'message.received':
        return [`${who} sent a message`, str(d['preview'])];
      case 'message.sent':
        return [`${who} replied`, str(d['preview'])];
      case 'message.failed':
        return ['A message could not be delivered', str(d['reason'])];
      case 'bot.replied':
        return ['Bot replied', null];
      case 'bot.suppressed':
        return ['Bot reply dropped: an agent has the chat', null];
      case 'bot.failed':
        return ['Bot failed to answer', null];
      case 'intervention.requested':
        return [`${who} asked for a human`, str(d['reason'])];
      case 'conversation.intervened':
        return [`${who} intervened`, null];
      case 'conversation.transferred':
        return [`${who} transferred the chat to ${agentName(agents, str(d['to'])) ?? 'another agent'}`, null];
      case 'conversation.released':
        return [`${who} released the chat to the queue`, null];
      case 'conversation.resolved':
        return [`${who} resolved the chat`, null];
      case 'conversation.reopened':
        return ['Conversation reopened', null];
      case 'conversation.archived':
        return ['Moved to History', null];
      case 'attribute.changed':
        return [`${who} changed ${show(d['key'])}`, `${show(d['old'])} → ${show(d['new'])}`];
      case 'tag.added':
        return [`${who} added the tag ${show(d['tag'])}`, tagSources[String(d['source'])] ?? null];
      case 'tag.removed':
        return [`${who} removed the tag ${show(d['tag'])}`, null];
      case 'referral.received':
        return ['Came from an ad', str(d['headline']) ?? str(d['sourceUrl'])];
      default:
        // A newer engine's event type: still shown, by its name.
        return [`${who}: ${String(event.type)}`, null];
    }
  };
  const [title, detail] = describe();
  return { id: event.id, type: event.type, at: event.at, actor: event.actor, actorName: who, title, detail, conversationId: event.conversationId, data: event.data };
}
