import type { Agent } from '../../model/agent.js';
import type { AttributeDefinition } from '../../model/attribute.js';
import type { Campaign } from '../../model/campaign.js';
import type { Contact } from '../../model/contact.js';
import type { Conversation } from '../../model/conversation.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { Message } from '../../model/message.js';
import type { TagDefinition } from '../../model/tag.js';
import type { OutboxItem } from '../../ports/store.js';

// Rows come back with snake_case columns, timestamptz as Date (both pg and PGlite parse it;
// a string is accepted too, for a pg pool with custom type parsers) and jsonb already parsed.

type Row = Record<string, unknown>;
type Stamp = Date | string;

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(value as string)).toISOString();
const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value as Stamp));

export const CONTACT_COLUMNS = 'id, channel, address, name, attributes, tags, referral, first_seen_at, last_seen_at, last_inbound_at, version';

export const toContact = (r: Row): Contact => ({
  id: r.id as string,
  channel: r.channel as string,
  address: r.address as string,
  name: (r.name as string | null) ?? null,
  attributes: r.attributes as Contact['attributes'],
  tags: r.tags as Contact['tags'],
  referral: (r.referral as Contact['referral']) ?? null,
  firstSeenAt: iso(r.first_seen_at),
  lastSeenAt: iso(r.last_seen_at),
  lastInboundAt: isoOrNull(r.last_inbound_at),
  version: r.version as number,
});

/** A conversation's columns up to schema step 6 (what step 3's `find_inbound` returns). */
export const CONVERSATION_COLUMNS_V3 =
  'id, contact_id, channel, state, assignee, opened_at, last_activity_at, last_inbound_at, requested_at, intervened_at, resolved_at, resolved_by, archived_at, history_due_at, version';

/** A conversation's columns: step 7 adds the bot turns it is owed. */
export const CONVERSATION_COLUMNS = `${CONVERSATION_COLUMNS_V3}, pending_bot_turns`;

export const toConversation = (r: Row): Conversation => ({
  id: r.id as string,
  contactId: r.contact_id as string,
  channel: r.channel as string,
  state: r.state as Conversation['state'],
  assignee: (r.assignee as string | null) ?? null,
  openedAt: iso(r.opened_at),
  lastActivityAt: iso(r.last_activity_at),
  lastInboundAt: isoOrNull(r.last_inbound_at),
  requestedAt: isoOrNull(r.requested_at),
  intervenedAt: isoOrNull(r.intervened_at),
  resolvedAt: isoOrNull(r.resolved_at),
  resolvedBy: (r.resolved_by as string | null) ?? null,
  archivedAt: isoOrNull(r.archived_at),
  historyDueAt: iso(r.history_due_at),
  ...(r.pending_bot_turns == null ? {} : { pendingBotTurns: r.pending_bot_turns as Conversation['pendingBotTurns'] }),
  version: r.version as number,
});

export const MESSAGE_COLUMNS = 'id, conversation_id, contact_id, channel, direction, author, content, external_id, reply_to, status, error, at, status_at, campaign_id';

export const toMessage = (r: Row): Message => ({
  id: r.id as string,
  conversationId: (r.conversation_id as string | null) ?? null,
  contactId: r.contact_id as string,
  channel: r.channel as string,
  direction: r.direction as Message['direction'],
  author: r.author as Message['author'],
  content: r.content as Message['content'],
  externalId: (r.external_id as string | null) ?? null,
  replyTo: (r.reply_to as string | null) ?? null,
  status: r.status as Message['status'],
  error: (r.error as Message['error']) ?? null,
  at: iso(r.at),
  statusAt: iso(r.status_at),
  // Optional fields are absent, not null, on records that never had them.
  ...(r.campaign_id == null ? {} : { campaignId: r.campaign_id as string }),
});

export const JOURNEY_COLUMNS = 'id, contact_id, conversation_id, type, actor, at, data';

export const toJourneyEvent = (r: Row): JourneyEvent => ({
  id: r.id as string,
  contactId: r.contact_id as string,
  conversationId: (r.conversation_id as string | null) ?? null,
  type: r.type as JourneyEvent['type'],
  actor: r.actor as JourneyEvent['actor'],
  at: iso(r.at),
  data: r.data as JourneyEvent['data'],
});

export const OUTBOX_COLUMNS =
  'id, message_id, conversation_id, contact_id, channel, recipient, content, reply_to, attempts, due_at, lease_until, created_at, last_error, campaign_id';

export const toOutboxItem = (r: Row): OutboxItem => ({
  id: r.id as string,
  messageId: r.message_id as string,
  conversationId: r.conversation_id as string,
  contactId: r.contact_id as string,
  channel: r.channel as string,
  to: r.recipient as string,
  content: r.content as OutboxItem['content'],
  replyTo: (r.reply_to as string | null) ?? null,
  attempts: r.attempts as number,
  dueAt: iso(r.due_at),
  leaseUntil: isoOrNull(r.lease_until),
  createdAt: iso(r.created_at),
  lastError: (r.last_error as OutboxItem['lastError']) ?? null,
  ...(r.campaign_id == null ? {} : { campaignId: r.campaign_id as string }),
});

export const AGENT_COLUMNS = 'id, name, role';

export const toAgent = (r: Row): Agent => ({ id: r.id as string, name: r.name as string, role: r.role as Agent['role'] });

export const ATTRIBUTE_DEFINITION_COLUMNS = 'key, type, label, options, description, created_at, version';

export const toAttributeDefinition = (r: Row): AttributeDefinition => ({
  key: r.key as string,
  type: r.type as AttributeDefinition['type'],
  label: r.label as string,
  options: (r.options as string[] | null) ?? null,
  description: (r.description as string | null) ?? null,
  createdAt: iso(r.created_at),
  version: r.version as number,
});

export const TAG_DEFINITION_COLUMNS = 'name, category, description, color, created_at, version';

export const toTagDefinition = (r: Row): TagDefinition => ({
  name: r.name as string,
  category: r.category as string,
  description: (r.description as string | null) ?? null,
  color: (r.color as string | null) ?? null,
  createdAt: iso(r.created_at),
  version: r.version as number,
});

export const CAMPAIGN_COLUMNS = 'id, name, tag, channel, template, audience, status, created_by, created_at, finished_at, queue_cursor, counts, version';

export const toCampaign = (r: Row): Campaign => ({
  id: r.id as string,
  name: r.name as string,
  tag: r.tag as string,
  channel: r.channel as string,
  template: r.template as Campaign['template'],
  audience: r.audience as Campaign['audience'],
  status: r.status as Campaign['status'],
  createdBy: r.created_by as Campaign['createdBy'],
  createdAt: iso(r.created_at),
  finishedAt: isoOrNull(r.finished_at),
  cursor: (r.queue_cursor as string | null) ?? null,
  counts: r.counts as Campaign['counts'],
  version: r.version as number,
});
