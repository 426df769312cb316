import type { Actor } from '../model/actor.js';
import type { Agent } from '../model/agent.js';
import type { AttributeDefinition } from '../model/attribute.js';
import type { ContactFilter } from '../model/audience.js';
import type { Campaign, CampaignCounts } from '../model/campaign.js';
import type { Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEvent, JourneyEventType } from '../model/journey.js';
import type { DeliveryError, Message, MessageStatus } from '../model/message.js';
import type { TagDefinition } from '../model/tag.js';

/**
 * A queued send: written in the same commit as the decision that produced the message,
 * dispatched after it, deleted once the channel accepted or finally refused it.
 * @public
 */
export interface OutboxItem {
  /** The item's own id. */
  id: string;
  /** The outbound message this item sends. */
  messageId: string;
  /**
   * The queue the item is in: sends of one queue go in order. It is the message's conversation,
   * or the contact id for a message outside any conversation (a broadcast).
   */
  conversationId: string;
  /** The recipient contact. */
  contactId: string;
  /** The channel to send on. */
  channel: string;
  /** The recipient's address on the channel. */
  to: string;
  /** What to send. */
  content: OutboundContent;
  /** External id of the message this one answers, for reply context. */
  replyTo: string | null;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be sent before this time (backoff after a retryable failure). */
  dueAt: string;
  /** Claimed by a dispatcher until this time; `null` when free. A crashed claim expires. */
  leaseUntil: string | null;
  /** When the item was queued; claims go oldest first. */
  createdAt: string;
  /** The last retryable failure, if any. */
  lastError: DeliveryError | null;
  /** The broadcast this send belongs to; absent for every other send. */
  campaignId?: string;
}

/**
 * A record to write with its optimistic-concurrency precondition:
 * `expectedVersion: null` inserts (and fails if the key exists), a number updates only if
 * the stored version equals it. The record carries its new version.
 * @public
 */
export interface VersionedWrite<T> {
  /** The record as it should be stored, with its new version. */
  record: T;
  /** The version the writer read, or `null` to insert. */
  expectedVersion: number | null;
}

/**
 * A compare-and-set on a message's delivery status (and, when sent, its external id).
 * @public
 */
export interface MessageUpdate {
  /** The message to update. */
  id: string;
  /** The status the writer read; the update applies only if it is still the stored one. */
  expectedStatus: MessageStatus;
  /** The new status. */
  status: MessageStatus;
  /** When the new status was reached. */
  statusAt: string;
  /** The channel's id for the message, once the channel accepted it. */
  externalId?: string;
  /** The failure reason; `undefined` keeps the stored one. */
  error?: DeliveryError | null;
}

/**
 * Everything one unit of work writes. {@link Store.commit} applies all of it or none of it.
 * It writes each record at most once: a second write of one record is refused (`unique` for an
 * insert, `version` for an update).
 * @public
 */
export interface ChangeSet {
  /**
   * Contacts the change set was decided on but does not write: each must still be stored at
   * `version`, else the commit is refused with a `version` conflict on the contact. Checked
   * before any write of the change set. A store that runs commits side by side holds the
   * checked rows against concurrent writes until the commit ends (PostgreSQL: `FOR SHARE`), so
   * that a check means what an update at the same version would.
   */
  contactChecks?: ContactCheck[];
  /** Contacts to insert or update. */
  contacts?: VersionedWrite<Contact>[];
  /** Conversations to insert or update. */
  conversations?: VersionedWrite<Conversation>[];
  /** Messages to insert. */
  messages?: Message[];
  /** Delivery status changes (compare-and-set). */
  messageUpdates?: MessageUpdate[];
  /** Journey entries to append. */
  journey?: JourneyEvent[];
  /** Sends to queue. */
  outboxInserts?: OutboxItem[];
  /**
   * Optional: claim this change set's outbox inserts for the committer until this time, as
   * {@link Store.claimOutbox} would right after the commit, and name them in
   * {@link CommitResult}'s `claimed`; this spares the engine a claim per send. Only what a
   * claim could take is claimed: the items of a conversation whose queue held nothing before
   * this commit. Their `dueAt` is not consulted: the engine asks only for sends due at once. A
   * store may ignore it: the items are then queued unclaimed, and the engine claims them with
   * `claimOutbox` as usual.
   */
  claimOutboxUntil?: string;
  /** Queued sends to reschedule; each update also frees the item's lease. */
  outboxUpdates?: Pick<OutboxItem, 'id' | 'attempts' | 'dueAt' | 'lastError'>[];
  /** Queued sends that are done (sent or finally failed); deleting a missing one is a conflict. */
  outboxDeletes?: string[];
  /** Attribute definitions to insert or update (keyed by `key`). */
  attributeDefinitions?: VersionedWrite<AttributeDefinition>[];
  /** Tag catalog entries to insert or update (keyed by `name`). */
  tagDefinitions?: VersionedWrite<TagDefinition>[];
  /**
   * Tag catalog entries to delete, each only at the version read (a missing entry or another
   * version is a `version` conflict). Deletes apply before inserts, so a rename deletes the old
   * name and inserts the new one in one change set.
   */
  tagDefinitionDeletes?: { name: string; expectedVersion: number }[];
  /**
   * Campaigns to insert or update. On insert `counts` are stored as the starting figures; on
   * update `counts` are ignored and the stored figures kept: figures change only through
   * {@link ChangeSet.campaignIncrements}.
   */
  campaigns?: VersionedWrite<Campaign>[];
  /**
   * Atomic additions to campaign figures. They neither check nor change the campaign's version,
   * so delivery receipts never conflict with each other or with the campaign's own updates.
   * Applied after `campaigns`; a missing campaign is a `version` conflict.
   */
  campaignIncrements?: CampaignIncrement[];
}

/**
 * A contact a change set relies on without writing it (see {@link ChangeSet.contactChecks}).
 * @public
 */
export interface ContactCheck {
  /** The contact. */
  id: string;
  /** The version the writer read. */
  version: number;
}

/**
 * Adds `counts` to a campaign's figures (see {@link ChangeSet.campaignIncrements}).
 * @public
 */
export interface CampaignIncrement {
  /** The campaign. */
  id: string;
  /** What to add to each figure (integers; `pending` goes down as sends settle; absent figures unchanged). */
  counts: Partial<CampaignCounts>;
}

/**
 * Why a commit was refused. Nothing of the change set was written.
 * - `version`: a record changed since it was read (or a message status since it was read);
 * - `unique`: an inserted key exists: a contact's `(channel, address)`, a message's
 *   `(channel, externalId)`, a second open conversation for a contact, or a duplicate id.
 * @public
 */
export interface CommitConflict {
  /** A stale version, or an existing key. */
  kind: 'version' | 'unique';
  /** The kind of record that conflicted. */
  entity: 'contact' | 'conversation' | 'message' | 'outbox' | 'journey' | 'attributeDefinition' | 'tagDefinition' | 'campaign';
  /** The id of the record in the change set that conflicted. */
  id: string;
}

/**
 * The outcome of {@link Store.commit}: applied (with the ids of the outbox inserts it claimed,
 * when asked to by {@link ChangeSet.claimOutboxUntil}), or refused with the conflict.
 * @public
 */
export type CommitResult = { ok: true; claimed?: string[] } | { ok: false; conflict: CommitConflict };

/**
 * One page of a cursor-paginated list. `nextCursor` is opaque; `null` means the end.
 * @public
 */
export interface Page<T> {
  /** The records of this page, in the query's order. */
  items: T[];
  /** Pass as `cursor` to get the next page; `null` at the end. */
  nextCursor: string | null;
}

/**
 * Cursor pagination: `order` is the direction in time (`asc` oldest first).
 * @public
 */
export interface PageQuery {
  /** Where the previous page ended; absent or `null` for the first page. */
  cursor?: string | null;
  /** The most records to return. */
  limit: number;
  /** `asc` for oldest first, `desc` for newest first. */
  order: 'asc' | 'desc';
}

/**
 * Conversations in one state, newest activity first (`lastActivityAt` desc, then `id` desc).
 * `assignee`, when given, keeps only that agent's conversations.
 * @public
 */
export interface ConversationQuery {
  /** The state (inbox view) to list. */
  state: ConversationState;
  /** Only this agent's conversations. */
  assignee?: string;
  /** Where the previous page ended; absent or `null` for the first page. */
  cursor?: string | null;
  /** The most records to return. */
  limit: number;
}

/**
 * A page of one contact's journey, optionally only some event types and one actor.
 * `actor` matches the actor's `type`, and its `id` when given (an agent or a rule).
 * Filters narrow the page; cursors and order are as in {@link PageQuery}.
 * @public
 */
export interface JourneyPageQuery extends PageQuery {
  /** Only events of these types. */
  types?: JourneyEventType[];
  /** Only events by this actor. */
  actor?: { type: Actor['type']; id?: string };
}

/**
 * Journey events of every contact in a time range, for dashboards: events of `types` with
 * `from <= at < to`, oldest first by `(at, id)`.
 * @public
 */
export interface EventQuery {
  /** The event types to return (at least one). */
  types: JourneyEventType[];
  /** Inclusive start. */
  from: string;
  /** Exclusive end. */
  to: string;
  /** Where the previous page ended; absent or `null` for the first page. */
  cursor?: string | null;
  /** The most records to return. */
  limit: number;
}

/**
 * A page in a list with a fixed order (contacts by id, campaigns newest first).
 * @public
 */
export interface CursorQuery {
  /** Where the previous page ended; absent or `null` for the first page. */
  cursor?: string | null;
  /** The most records to return. */
  limit: number;
}

/**
 * What a store can do beyond the contract every store meets.
 * @public
 */
export interface StoreCapabilities {
  /** Data survives a restart of the process. */
  durable: boolean;
  /** Several processes may share it safely (commits serialise across them). */
  multiProcess: boolean;
  /**
   * Reads go over a connection (a database server, or an embedded database's query interface),
   * so each costs a round trip; the engine then keeps what it committed for the next message
   * of the same customer (policy `inboundCacheSize`). Absent means `false`.
   */
  remote?: boolean;
}

/**
 * What {@link Store.findInbound} answers: the records `receive` starts from.
 * @public
 */
export interface InboundLookup {
  /** The message already stored under this `(channel, externalId)`: the delivery is a duplicate. */
  message: Message | null;
  /** The contact at `(channel, address)`. */
  contact: Contact | null;
  /** That contact's conversation that is not in history. */
  conversation: Conversation | null;
}

/**
 * The persistence port. Records are plain JSON-compatible objects; a store may return the same
 * object it was given and callers must treat every record as immutable.
 *
 * Contract (checked by `storeContract` from `livechat-engine/testing`):
 * - **Atomicity**: {@link Store.commit} writes the whole change set or nothing, and a refused
 *   commit reports the first conflict it found as a value; it throws only when the store itself
 *   fails.
 * - **Optimistic concurrency**: versioned writes succeed only against the version they expect,
 *   so of two commits that read the same version exactly one wins.
 * - **Idempotency**: message `(channel, externalId)` is unique; contact `(channel, address)` is
 *   unique; a contact has at most one conversation whose state is not `history`.
 * - **Ordering**: messages and journey events page by `(at, id)`; inbox pages by
 *   `(lastActivityAt, id)` descending; cursors stay valid while new records are added.
 * - **Due work costs what is due**: {@link Store.listDue} and {@link Store.claimOutbox} answer
 *   from an index on the due time, not a scan of every record.
 * - **Audiences from indexes**: {@link Store.countContacts} and {@link Store.listContacts}
 *   answer from indexes on tags, attributes and last-seen time (a SQL store: GIN on tags and
 *   attributes, a b-tree on `last_seen_at`), never by loading every contact.
 * @public
 */
export interface Store {
  /** What this store can do beyond the contract. */
  readonly capabilities: StoreCapabilities;

  /** Applies a change set atomically; see {@link CommitResult}. */
  commit(changes: ChangeSet): Promise<CommitResult>;

  /** A contact by id. */
  getContact(id: string): Promise<Contact | null>;
  /** A contact by its unique channel address. */
  findContact(channel: string, address: string): Promise<Contact | null>;

  /** A conversation by id. */
  getConversation(id: string): Promise<Conversation | null>;
  /** The contact's conversation that is not in history, if any. */
  findOpenConversation(contactId: string): Promise<Conversation | null>;
  /** One page of conversations in a state; see {@link ConversationQuery}. */
  listConversations(query: ConversationQuery): Promise<Page<Conversation>>;
  /**
   * How many conversations are in `state` (only `assignee`'s when given): the inbox's tab
   * counts. Answered from an index or a maintained counter, not by reading the records.
   */
  countConversations(query: Pick<ConversationQuery, 'state' | 'assignee'>): Promise<number>;
  /** Open conversations with `historyDueAt <= now`, soonest first, at most `limit`. */
  listDue(query: { now: string; limit: number }): Promise<Conversation[]>;
  /**
   * Optional: {@link Store.listDue} that also claims what it returns until `leaseUntil`, so
   * sweepers in several processes share the due work instead of racing for the same rows. Two
   * concurrent claims never return the same conversation; a claim lapses at `leaseUntil` or when
   * the conversation is next committed. The sweep uses it when present, `listDue` otherwise.
   */
  claimDue?(query: { now: string; leaseUntil: string; limit: number }): Promise<Conversation[]>;
  /**
   * Conversations owing a bot turn that is due (a `pendingBotTurns` entry with `dueAt <= now`),
   * by their soonest due turn (then `id`), at most `limit`, whatever their state. Few
   * conversations owe a turn at once (those whose bot is answering, and those a crash left),
   * and a store keeps them apart (a SQL store: a partial index), so the answer never reads the
   * others.
   */
  listBotTurnsDue(query: { now: string; limit: number }): Promise<Conversation[]>;

  /** A message by id. */
  getMessage(id: string): Promise<Message | null>;
  /** A message by its unique channel id (inbound idempotency key, outbound receipt key). */
  findMessageByExternalId(channel: string, externalId: string): Promise<Message | null>;
  /**
   * Optional: what `receive` reads, in one call: the message with this external id (a
   * redelivery), the contact at this address and that contact's open conversation (each `null`
   * when none). A store over a network answers it in one round trip; the engine falls back to
   * {@link Store.findMessageByExternalId}, {@link Store.findContact} and
   * {@link Store.findOpenConversation} when it is absent. Answers must equal theirs.
   */
  findInbound?(channel: string, externalId: string, address: string): Promise<InboundLookup>;
  /** One page of a conversation's messages by `(at, id)`. */
  listMessages(conversationId: string, query: PageQuery): Promise<Page<Message>>;

  /** One page of a contact's journey by `(at, id)`, optionally filtered by type and actor. */
  listJourney(contactId: string, query: JourneyPageQuery): Promise<Page<JourneyEvent>>;
  /** Journey events of every contact by type and time range; see {@link EventQuery}. */
  listEvents(query: EventQuery): Promise<Page<JourneyEvent>>;

  /** How many contacts match `filter`. */
  countContacts(filter: ContactFilter): Promise<number>;
  /** One page of the contacts matching `filter`, by `id` ascending; see {@link CursorQuery}. */
  listContacts(filter: ContactFilter, query: CursorQuery): Promise<Page<Contact>>;

  /** Every attribute definition, by `key` ascending. */
  listAttributeDefinitions(): Promise<AttributeDefinition[]>;
  /** The whole tag catalog, by `name` ascending. */
  listTagDefinitions(): Promise<TagDefinition[]>;

  /** A campaign by id, with its current figures. */
  getCampaign(id: string): Promise<Campaign | null>;
  /** One page of campaigns, newest first (`createdAt` desc, then `id` desc). */
  listCampaigns(query: CursorQuery): Promise<Page<Campaign>>;

  /**
   * Claims outbox items that are due (`dueAt <= now`) and free (no lease, or an expired one),
   * oldest first (`createdAt`, then `id`), setting their lease to `leaseUntil`. Two concurrent
   * claims never return the same item.
   *
   * Per conversation, only the head of its queue is claimable: an item is claimed only if every
   * older item of the same conversation is claimed with it, so one conversation's messages go
   * out in order even while an earlier one waits for a retry or is leased elsewhere.
   * `conversations` restricts the claim to those conversations' items.
   */
  claimOutbox(query: { now: string; leaseUntil: string; limit: number; conversations?: string[] }): Promise<OutboxItem[]>;

  /** Registers or replaces an agent. */
  upsertAgent(agent: Agent): Promise<void>;
  /** An agent by id. */
  getAgent(id: string): Promise<Agent | null>;
  /** Every registered agent. */
  listAgents(): Promise<Agent[]>;

  /** Releases resources (connections, file handles). The store is unusable afterwards. */
  close?(): Promise<void>;
}
