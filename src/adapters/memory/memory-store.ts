import type { Agent } from '../../model/agent.js';
import type { Contact } from '../../model/contact.js';
import type { Conversation, ConversationState } from '../../model/conversation.js';
import type { JourneyEvent } from '../../model/journey.js';
import type { Message } from '../../model/message.js';
import type {
  ChangeSet,
  CommitConflict,
  CommitResult,
  ConversationQuery,
  OutboxItem,
  Page,
  PageQuery,
  Store,
} from '../../ports/store.js';
import { SortedKeys, idOfKey, sortKey } from './sorted-keys.js';

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;
const conflict = (c: CommitConflict): CommitResult => ({ ok: false, conflict: c });

// Records are shared with callers; freezing them turns an accidental mutation into a TypeError
// at the mutation site instead of silent corruption of the store.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A list of records sorted by `(at, id)` with key lookups. */
class Timeline<T extends { id: string; at: string }> {
  readonly keys = new SortedKeys();
  page(byId: Map<string, T>, query: PageQuery): Page<T> {
    const keys =
      query.order === 'asc' ? this.keys.after(query.cursor, query.limit + 1) : this.keys.before(query.cursor, query.limit + 1);
    const more = keys.length > query.limit;
    const pageKeys = more ? keys.slice(0, query.limit) : keys;
    return {
      items: pageKeys.map((k) => byId.get(idOfKey(k))!),
      nextCursor: more ? pageKeys[pageKeys.length - 1]! : null,
    };
  }
}

/**
 * The in-memory store: the engine's embedded default, for tests, demos and single-process use.
 * Commits are synchronous under the hood, so they serialise exactly like a database's.
 * Not durable: everything is lost when the process ends.
 *
 * @example
 * ```ts
 * const chat = createLiveChat({ store: memoryStore() });
 * ```
 * @public
 */
export function memoryStore(): Store {
  const contacts = new Map<string, Contact>();
  const contactByAddress = new Map<string, string>();
  const conversations = new Map<string, Conversation>();
  const openByContact = new Map<string, string>();
  const inboxByState = new Map<ConversationState, SortedKeys>();
  // Open conversations by History due time: the sweep reads the front, as much as is due.
  const dueIndex = new SortedKeys();
  const messages = new Map<string, Message>();
  const messageByExternal = new Map<string, string>();
  const messagesByConversation = new Map<string, Timeline<Message>>();
  const journey = new Map<string, JourneyEvent>();
  const journeyByContact = new Map<string, Timeline<JourneyEvent>>();
  const outbox = new Map<string, OutboxItem>();
  const outboxByConversation = new Map<string, Set<string>>();
  const agents = new Map<string, Agent>();

  // Conversations per (state, assignee), so a tab count with an assignee filter costs nothing.
  const assigned = new Map<string, number>();
  const countAssigned = (c: Conversation, by: number) => {
    if (c.assignee === null) return;
    const key = pairKey(c.state, c.assignee);
    const n = (assigned.get(key) ?? 0) + by;
    if (n === 0) assigned.delete(key);
    else assigned.set(key, n);
  };

  const inboxKey = (c: Conversation) => sortKey(c.lastActivityAt, c.id);
  const inbox = (state: ConversationState) => {
    let keys = inboxByState.get(state);
    if (!keys) inboxByState.set(state, (keys = new SortedKeys()));
    return keys;
  };
  const timeline = <T extends { id: string; at: string }>(map: Map<string, Timeline<T>>, owner: string) => {
    let t = map.get(owner);
    if (!t) map.set(owner, (t = new Timeline<T>()));
    return t;
  };

  function check(changes: ChangeSet): CommitResult {
    const addresses = new Set<string>();
    for (const { record, expectedVersion } of changes.contacts ?? []) {
      const current = contacts.get(record.id);
      if (expectedVersion === null) {
        const address = pairKey(record.channel, record.address);
        if (current || contactByAddress.has(address) || addresses.has(address))
          return conflict({ kind: 'unique', entity: 'contact', id: record.id });
        addresses.add(address);
      } else if (!current || current.version !== expectedVersion) {
        return conflict({ kind: 'version', entity: 'contact', id: record.id });
      }
    }
    // The open conversation of each contact after this change set, to enforce "at most one".
    const open = new Map<string, string | null>();
    for (const { record, expectedVersion } of changes.conversations ?? []) {
      const current = conversations.get(record.id);
      if (expectedVersion === null ? current : !current || current.version !== expectedVersion)
        return conflict({ kind: expectedVersion === null ? 'unique' : 'version', entity: 'conversation', id: record.id });
      if (record.state === 'history') {
        if ((open.get(record.contactId) ?? openByContact.get(record.contactId)) === record.id) open.set(record.contactId, null);
      }
    }
    for (const { record } of changes.conversations ?? []) {
      if (record.state === 'history') continue;
      const other = open.has(record.contactId) ? open.get(record.contactId) : openByContact.get(record.contactId);
      if (other != null && other !== record.id) return conflict({ kind: 'unique', entity: 'conversation', id: record.id });
      open.set(record.contactId, record.id);
    }
    const externals = new Set<string>();
    for (const m of changes.messages ?? []) {
      if (messages.has(m.id)) return conflict({ kind: 'unique', entity: 'message', id: m.id });
      if (m.externalId !== null) {
        const key = pairKey(m.channel, m.externalId);
        if (messageByExternal.has(key) || externals.has(key)) return conflict({ kind: 'unique', entity: 'message', id: m.id });
        externals.add(key);
      }
    }
    for (const u of changes.messageUpdates ?? []) {
      const current = messages.get(u.id);
      if (!current || current.status !== u.expectedStatus) return conflict({ kind: 'version', entity: 'message', id: u.id });
      if (u.externalId !== undefined) {
        const key = pairKey(current.channel, u.externalId);
        const owner = messageByExternal.get(key);
        if ((owner !== undefined && owner !== u.id) || externals.has(key))
          return conflict({ kind: 'unique', entity: 'message', id: u.id });
        externals.add(key);
      }
    }
    for (const e of changes.journey ?? []) {
      if (journey.has(e.id)) return conflict({ kind: 'unique', entity: 'journey', id: e.id });
    }
    for (const o of changes.outboxInserts ?? []) {
      if (outbox.has(o.id)) return conflict({ kind: 'unique', entity: 'outbox', id: o.id });
    }
    for (const id of [...(changes.outboxUpdates ?? []).map((o) => o.id), ...(changes.outboxDeletes ?? [])]) {
      if (!outbox.has(id)) return conflict({ kind: 'version', entity: 'outbox', id });
    }
    return { ok: true };
  }

  function apply(changes: ChangeSet): void {
    for (const { record } of changes.contacts ?? []) {
      contacts.set(record.id, deepFreeze(record));
      contactByAddress.set(pairKey(record.channel, record.address), record.id);
    }
    for (const { record } of changes.conversations ?? []) {
      const previous = conversations.get(record.id);
      if (previous) {
        inbox(previous.state).remove(inboxKey(previous));
        countAssigned(previous, -1);
        if (openByContact.get(previous.contactId) === previous.id) openByContact.delete(previous.contactId);
      }
      conversations.set(record.id, deepFreeze(record));
      inbox(record.state).insert(inboxKey(record));
      countAssigned(record, 1);
      if (record.state !== 'history') openByContact.set(record.contactId, record.id);
      const dueBefore = previous && previous.state !== 'history' ? sortKey(previous.historyDueAt, previous.id) : null;
      const dueAfter = record.state !== 'history' ? sortKey(record.historyDueAt, record.id) : null;
      if (dueBefore !== dueAfter) {
        if (dueBefore !== null) dueIndex.remove(dueBefore);
        if (dueAfter !== null) dueIndex.insert(dueAfter);
      }
    }
    for (const m of changes.messages ?? []) {
      messages.set(m.id, deepFreeze(m));
      if (m.externalId !== null) messageByExternal.set(pairKey(m.channel, m.externalId), m.id);
      timeline(messagesByConversation, m.conversationId).keys.insert(sortKey(m.at, m.id));
    }
    for (const u of changes.messageUpdates ?? []) {
      const current = messages.get(u.id)!;
      const next: Message = {
        ...current,
        status: u.status,
        statusAt: u.statusAt,
        externalId: u.externalId ?? current.externalId,
        error: u.error === undefined ? current.error : u.error,
      };
      messages.set(u.id, deepFreeze(next));
      if (u.externalId !== undefined) messageByExternal.set(pairKey(current.channel, u.externalId), u.id);
    }
    for (const e of changes.journey ?? []) {
      journey.set(e.id, deepFreeze(e));
      timeline(journeyByContact, e.contactId).keys.insert(sortKey(e.at, e.id));
    }
    for (const o of changes.outboxInserts ?? []) {
      outbox.set(o.id, deepFreeze({ ...o }));
      let queue = outboxByConversation.get(o.conversationId);
      if (!queue) outboxByConversation.set(o.conversationId, (queue = new Set()));
      queue.add(o.id);
    }
    for (const u of changes.outboxUpdates ?? []) {
      const current = outbox.get(u.id)!;
      outbox.set(u.id, deepFreeze({ ...current, ...u, leaseUntil: null }));
    }
    for (const id of changes.outboxDeletes ?? []) {
      const item = outbox.get(id)!;
      outbox.delete(id);
      const queue = outboxByConversation.get(item.conversationId)!;
      queue.delete(id);
      if (queue.size === 0) outboxByConversation.delete(item.conversationId);
    }
  }

  return {
    capabilities: { durable: false, multiProcess: false },

    async commit(changes) {
      const result = check(changes);
      if (result.ok) apply(changes);
      return result;
    },

    async getContact(id) {
      return contacts.get(id) ?? null;
    },
    async findContact(channel, address) {
      const id = contactByAddress.get(pairKey(channel, address));
      return id === undefined ? null : contacts.get(id)!;
    },

    async getConversation(id) {
      return conversations.get(id) ?? null;
    },
    async findOpenConversation(contactId) {
      const id = openByContact.get(contactId);
      return id === undefined ? null : conversations.get(id)!;
    },
    async listConversations(query: ConversationQuery) {
      const keys = inbox(query.state);
      const items: Conversation[] = [];
      let cursor = query.cursor ?? null;
      // With an assignee filter, walk the state's index in batches until the page is full.
      for (;;) {
        const batch = keys.before(cursor, query.assignee === undefined ? query.limit + 1 : 256);
        for (const key of batch) {
          const c = conversations.get(idOfKey(key))!;
          if (query.assignee === undefined || c.assignee === query.assignee) items.push(c);
          if (items.length > query.limit) break;
        }
        if (items.length > query.limit || batch.length === 0 || query.assignee === undefined) break;
        cursor = batch[batch.length - 1]!;
      }
      const more = items.length > query.limit;
      const page = more ? items.slice(0, query.limit) : items;
      const last = page[page.length - 1];
      return { items: page, nextCursor: more && last ? inboxKey(last) : null };
    },
    async countConversations({ state, assignee }) {
      return assignee === undefined ? inbox(state).size : (assigned.get(pairKey(state, assignee)) ?? 0);
    },
    async listDue({ now, limit }) {
      // Keys are `${dueAt}\u0000${id}` with fixed-width times: due ones sort before `${now}\u0001`.
      const bound = `${now}\u0001`;
      const found: Conversation[] = [];
      for (const key of dueIndex.after(null, limit)) {
        if (key >= bound) break;
        found.push(conversations.get(idOfKey(key))!);
      }
      return found;
    },

    async getMessage(id) {
      return messages.get(id) ?? null;
    },
    async findMessageByExternalId(channel, externalId) {
      const id = messageByExternal.get(pairKey(channel, externalId));
      return id === undefined ? null : messages.get(id)!;
    },
    async listMessages(conversationId, query) {
      return timeline(messagesByConversation, conversationId).page(messages, query);
    },

    async listJourney(contactId, query) {
      return timeline(journeyByContact, contactId).page(journey, query);
    },

    async claimOutbox({ now, leaseUntil, limit, conversations }) {
      const claimed: OutboxItem[] = [];
      const queues = conversations
        ? conversations.map((id) => outboxByConversation.get(id)).filter((q) => q !== undefined)
        : outboxByConversation.values();
      // Each conversation's queue is in insertion order, which is commit order: claim its head run.
      for (const queue of queues) {
        for (const id of queue) {
          if (claimed.length >= limit) break;
          const item = outbox.get(id)!;
          if (item.dueAt > now || (item.leaseUntil !== null && item.leaseUntil > now)) break;
          const leased = deepFreeze({ ...item, leaseUntil });
          outbox.set(id, leased);
          claimed.push(leased);
        }
        if (claimed.length >= limit) break;
      }
      return claimed.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    },

    async upsertAgent(agent) {
      agents.set(agent.id, deepFreeze({ ...agent }));
    },
    async getAgent(id) {
      return agents.get(id) ?? null;
    },
    async listAgents() {
      return [...agents.values()];
    },
  };
}
