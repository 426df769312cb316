import type { Agent } from '../model/agent.js';
import type { Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { DeliveryError, Message, MessageStatus } from '../model/message.js';

/**
 * A queued send: written in the same commit as the decision that produced the message,
 * dispatched after it, deleted once the channel accepted or finally refused it.
 * @public
 */
export interface OutboxItem {
  id: string;
  messageId: string;
  conversationId: string;
  contactId: string;
  channel: string;
  to: string;
  content: OutboundContent;
  replyTo: string | null;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be sent before this time (backoff after a retryable failure). */
  dueAt: string;
  /** Claimed by a dispatcher until this time; `null` when free. A crashed claim expires. */
  leaseUntil: string | null;
  createdAt: string;
  lastError: DeliveryError | null;
}

/**
 * A record to write with its optimistic-concurrency precondition:
 * `expectedVersion: null` inserts (and fails if the key exists), a number updates only if
 * the stored version equals it. The record carries its new version.
 * @public
 */
export interface VersionedWrite<T> {
  record: T;
  expectedVersion: number | null;
}

/**
 * A compare-and-set on a message's delivery status (and, when sent, its external id).
 * @public
 */
export interface MessageUpdate {
  id: string;
  expectedStatus: MessageStatus;
  status: MessageStatus;
  statusAt: string;
  externalId?: string;
  error?: DeliveryError | null;
}

/**
 * Everything one unit of work writes. {@link Store.commit} applies all of it or none of it.
 * @public
 */
export interface ChangeSet {
  contacts?: VersionedWrite<Contact>[];
  conversations?: VersionedWrite<Conversation>[];
  messages?: Message[];
  messageUpdates?: MessageUpdate[];
  journey?: JourneyEvent[];
  outboxInserts?: OutboxItem[];
  outboxUpdates?: Pick<OutboxItem, 'id' | 'attempts' | 'dueAt' | 'lastError'>[];
  outboxDeletes?: string[];
}

/**
 * Why a commit was refused. Nothing of the change set was written.
 * - `version`: a record changed since it was read (or a message status since it was read);
 * - `unique`: an inserted key exists: a contact's `(channel, address)`, a message's
 *   `(channel, externalId)`, a second open conversation for a contact, or a duplicate id.
 * @public
 */
export interface CommitConflict {
  kind: 'version' | 'unique';
  entity: 'contact' | 'conversation' | 'message' | 'outbox' | 'journey';
  id: string;
}

/** @public */
export type CommitResult = { ok: true } | { ok: false; conflict: CommitConflict };

/**
 * One page of a cursor-paginated list. `nextCursor` is opaque; `null` means the end.
 * @public
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cursor pagination: `order` is the direction in time (`asc` oldest first).
 * @public
 */
export interface PageQuery {
  cursor?: string | null;
  limit: number;
  order: 'asc' | 'desc';
}

/**
 * Conversations in one state, newest activity first (`lastActivityAt` desc, then `id` desc).
 * `assignee`, when given, keeps only that agent's conversations.
 * @public
 */
export interface ConversationQuery {
  state: ConversationState;
  assignee?: string;
  cursor?: string | null;
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
 * @public
 */
export interface Store {
  readonly capabilities: StoreCapabilities;

  /** Applies a change set atomically; see {@link CommitResult}. */
  commit(changes: ChangeSet): Promise<CommitResult>;

  getContact(id: string): Promise<Contact | null>;
  findContact(channel: string, address: string): Promise<Contact | null>;

  getConversation(id: string): Promise<Conversation | null>;
  /** The contact's conversation that is not in history, if any. */
  findOpenConversation(contactId: string): Promise<Conversation | null>;
  listConversations(query: ConversationQuery): Promise<Page<Conversation>>;
  /** Open conversations with `historyDueAt <= now`, soonest first, at most `limit`. */
  listDue(query: { now: string; limit: number }): Promise<Conversation[]>;

  getMessage(id: string): Promise<Message | null>;
  findMessageByExternalId(channel: string, externalId: string): Promise<Message | null>;
  listMessages(conversationId: string, query: PageQuery): Promise<Page<Message>>;

  listJourney(contactId: string, query: PageQuery): Promise<Page<JourneyEvent>>;

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

  upsertAgent(agent: Agent): Promise<void>;
  getAgent(id: string): Promise<Agent | null>;
  listAgents(): Promise<Agent[]>;

  /** Releases resources (connections, file handles). The store is unusable afterwards. */
  close?(): Promise<void>;
}
