import type { Agent } from '../../model/agent.js';
import type { AttributeDefinition } from '../../model/attribute.js';
import type { Campaign } from '../../model/campaign.js';
import type { Contact } from '../../model/contact.js';
import type { Conversation, ConversationState } from '../../model/conversation.js';
import type { JourneyEvent, JourneyEventType } from '../../model/journey.js';
import type { Message } from '../../model/message.js';
import type { TagDefinition } from '../../model/tag.js';
import type {
  ChangeSet,
  CommitConflict,
  CommitResult,
  ConversationQuery,
  JourneyPageQuery,
  OutboxItem,
  Page,
  PageQuery,
  Store,
  VersionedWrite,
} from '../../ports/store.js';
import { z } from 'zod';
import { parseInput } from '../../errors.js';
import { ContactIndex } from './contact-index.js';
import { SortedKeys, idOfKey, sortKey } from './sorted-keys.js';

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;
const conflict = (c: CommitConflict): CommitResult => ({ ok: false, conflict: c });

/** The first item of `items` whose key an earlier item has, if any. */
function repeated<T>(items: readonly T[] | undefined, key: (item: T) => string): T | undefined {
  if (!items || items.length < 2) return undefined;
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) return item;
    seen.add(k);
  }
  return undefined;
}

/** The conflict for a record `writes` writes a second time: `unique` for an insert, `version` for an update. */
function writtenTwice<T>(entity: CommitConflict['entity'], writes: readonly VersionedWrite<T>[] | undefined, key: (record: T) => string): CommitResult | null {
  const twice = repeated(writes, (w) => key(w.record));
  return twice ? conflict({ kind: twice.expectedVersion === null ? 'unique' : 'version', entity, id: key(twice.record) }) : null;
}

/** The conflict for a record `inserts` inserts a second time. */
function insertedTwice(entity: CommitConflict['entity'], inserts: readonly { id: string }[] | undefined): CommitResult | null {
  const twice = repeated(inserts, (r) => r.id);
  return twice ? conflict({ kind: 'unique', entity, id: twice.id }) : null;
}

// Records are shared with callers; freezing them turns an accidental mutation into a TypeError
// at the mutation site instead of silent corruption of the store (see MemoryStoreOptions.freeze).
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) {
      const v = value[key];
      if (v !== null && typeof v === 'object') deepFreeze(v);
    }
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
  /** A page of the records that pass `keep`, walking the timeline in batches until it is full. */
  pageWhere(byId: Map<string, T>, query: PageQuery, keep: (record: T) => boolean): Page<T> {
    const items: T[] = [];
    let cursor = query.cursor ?? null;
    for (;;) {
      const batch = query.order === 'asc' ? this.keys.after(cursor, 256) : this.keys.before(cursor, 256);
      for (const key of batch) {
        const record = byId.get(idOfKey(key))!;
        if (keep(record)) items.push(record);
        if (items.length > query.limit) break;
      }
      if (items.length > query.limit || batch.length < 256) break;
      cursor = batch[batch.length - 1]!;
    }
    const more = items.length > query.limit;
    const page = more ? items.slice(0, query.limit) : items;
    const last = page[page.length - 1];
    return { items: page, nextCursor: more && last ? sortKey(last.at, last.id) : null };
  }
}

/** Whether a journey event passes a {@link JourneyPageQuery}'s filters. */
function journeyFilter(query: JourneyPageQuery): ((e: JourneyEvent) => boolean) | null {
  const types = query.types ? new Set<string>(query.types) : null;
  const actor = query.actor;
  if (!types && !actor) return null;
  return (e) =>
    (!types || types.has(e.type)) &&
    (!actor || (e.actor.type === actor.type && (actor.id === undefined || ('id' in e.actor && e.actor.id === actor.id))));
}

/**
 * Options of {@link memoryStore}.
 * @public
 */
export interface MemoryStoreOptions {
  /**
   * Deep-freeze every record the store keeps, so that code mutating a record it was handed
   * throws a TypeError where it mutates instead of silently changing the store. Off by default:
   * V8 copies frozen objects slowly, and freezing cost the engine about 40% of its time per
   * message in `npm run bench`. Turn it on in tests; the engine's own tests do.
   */
  freeze?: boolean;
}

const optionsSchema = z.object({ freeze: z.boolean().optional() }).strict();

/**
 * The in-memory store: the engine's embedded default, for tests, demos and single-process use.
 * Commits are synchronous under the hood, so they serialise exactly like a database's.
 * Not durable: everything is lost when the process ends.
 *
 * @example
 * ```ts
 * const chat = createLiveChat({ store: memoryStore() });
 * const strict = memoryStore({ freeze: true }); // in tests: a mutated record throws
 * ```
 * @public
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const { freeze = false } = parseInput(optionsSchema, options, 'memory store options');
  const seal = freeze ? deepFreeze : <T>(value: T): T => value;
  const contacts = new Map<string, Contact>();
  const contactByAddress = new Map<string, string>();
  const conversations = new Map<string, Conversation>();
  const openByContact = new Map<string, string>();
  const inboxByState = new Map<ConversationState, SortedKeys>();
  // Open conversations by History due time: the sweep reads the front, as much as is due.
  const dueIndex = new SortedKeys<Conversation>(true);
  // Conversations that owe a bot turn: few at any time (turns in flight, and what a crash left).
  const owingBotTurn = new Map<string, Conversation>();
  const messages = new Map<string, Message>();
  const messageByExternal = new Map<string, string>();
  const messagesByConversation = new Map<string, Timeline<Message>>();
  const journey = new Map<string, JourneyEvent>();
  const journeyByContact = new Map<string, Timeline<JourneyEvent>>();
  const outbox = new Map<string, OutboxItem>();
  const outboxByConversation = new Map<string, Set<string>>();
  const agents = new Map<string, Agent>();
  const contactIndex = new ContactIndex();
  const journeyByType = new Map<JourneyEventType, SortedKeys>();
  const attributeDefinitions = new Map<string, AttributeDefinition>();
  const tagDefinitions = new Map<string, TagDefinition>();
  const campaigns = new Map<string, Campaign>();
  const campaignsByCreation = new SortedKeys();

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

  /** The rarer parts of a change set: definitions and campaigns. */
  function checkCatalogAndCampaigns(changes: ChangeSet): CommitResult | null {
    const definitionTwice = writtenTwice('attributeDefinition', changes.attributeDefinitions, (d) => d.key);
    if (definitionTwice) return definitionTwice;
    for (const { record, expectedVersion } of changes.attributeDefinitions ?? []) {
      const current = attributeDefinitions.get(record.key);
      if (expectedVersion === null ? current : current?.version !== expectedVersion)
        return conflict({ kind: expectedVersion === null ? 'unique' : 'version', entity: 'attributeDefinition', id: record.key });
    }
    const deletedTags = new Set<string>();
    for (const { name, expectedVersion } of changes.tagDefinitionDeletes ?? []) {
      if (tagDefinitions.get(name)?.version !== expectedVersion || deletedTags.has(name))
        return conflict({ kind: 'version', entity: 'tagDefinition', id: name });
      deletedTags.add(name);
    }
    const writtenTags = new Set<string>();
    for (const { record, expectedVersion } of changes.tagDefinitions ?? []) {
      const current = deletedTags.has(record.name) ? undefined : tagDefinitions.get(record.name);
      if (writtenTags.has(record.name) || (expectedVersion === null ? current : current?.version !== expectedVersion))
        return conflict({ kind: expectedVersion === null ? 'unique' : 'version', entity: 'tagDefinition', id: record.name });
      writtenTags.add(record.name);
    }
    const campaignIds = new Set<string>();
    for (const { record, expectedVersion } of changes.campaigns ?? []) {
      const current = campaigns.get(record.id);
      if (campaignIds.has(record.id) || (expectedVersion === null ? current : current?.version !== expectedVersion))
        return conflict({ kind: expectedVersion === null ? 'unique' : 'version', entity: 'campaign', id: record.id });
      campaignIds.add(record.id);
    }
    for (const { id } of changes.campaignIncrements ?? []) {
      if (!campaigns.has(id) && !campaignIds.has(id)) return conflict({ kind: 'version', entity: 'campaign', id });
    }
    return null;
  }

  function check(changes: ChangeSet): CommitResult {
    for (const { id, version } of changes.contactChecks ?? [])
      if (contacts.get(id)?.version !== version) return conflict({ kind: 'version', entity: 'contact', id });
    // A record is written at most once per change set: checked against the stored state alone,
    // a second write would pass and be applied over the first.
    const twice =
      writtenTwice('contact', changes.contacts, (c) => c.id) ??
      writtenTwice('conversation', changes.conversations, (c) => c.id) ??
      insertedTwice('message', changes.messages) ??
      insertedTwice('journey', changes.journey) ??
      insertedTwice('outbox', changes.outboxInserts);
    if (twice) return twice;
    // Sets and maps for what this change set itself claims are made only when it has such parts:
    // most commits touch three or four kinds of record, and this runs on every one.
    const addresses = changes.contacts?.length ? new Set<string>() : null;
    for (const { record, expectedVersion } of changes.contacts ?? []) {
      const current = contacts.get(record.id);
      if (expectedVersion === null) {
        const address = pairKey(record.channel, record.address);
        if (current || contactByAddress.has(address) || addresses!.has(address))
          return conflict({ kind: 'unique', entity: 'contact', id: record.id });
        addresses!.add(address);
      } else if (!current || current.version !== expectedVersion) {
        return conflict({ kind: 'version', entity: 'contact', id: record.id });
      }
    }
    // The open conversation of each contact after this change set, to enforce "at most one".
    const open = changes.conversations?.length ? new Map<string, string | null>() : null;
    for (const { record, expectedVersion } of changes.conversations ?? []) {
      const current = conversations.get(record.id);
      if (expectedVersion === null ? current : !current || current.version !== expectedVersion)
        return conflict({ kind: expectedVersion === null ? 'unique' : 'version', entity: 'conversation', id: record.id });
      if (record.state === 'history') {
        if ((open!.get(record.contactId) ?? openByContact.get(record.contactId)) === record.id) open!.set(record.contactId, null);
      }
    }
    for (const { record } of changes.conversations ?? []) {
      if (record.state === 'history') continue;
      const other = open!.has(record.contactId) ? open!.get(record.contactId) : openByContact.get(record.contactId);
      if (other != null && other !== record.id) return conflict({ kind: 'unique', entity: 'conversation', id: record.id });
      open!.set(record.contactId, record.id);
    }
    const externals = changes.messages?.length || changes.messageUpdates?.length ? new Set<string>() : null;
    for (const m of changes.messages ?? []) {
      if (messages.has(m.id)) return conflict({ kind: 'unique', entity: 'message', id: m.id });
      if (m.externalId !== null) {
        const key = pairKey(m.channel, m.externalId);
        if (messageByExternal.has(key) || externals!.has(key)) return conflict({ kind: 'unique', entity: 'message', id: m.id });
        externals!.add(key);
      }
    }
    for (const u of changes.messageUpdates ?? []) {
      const current = messages.get(u.id);
      if (!current || current.status !== u.expectedStatus) return conflict({ kind: 'version', entity: 'message', id: u.id });
      if (u.externalId !== undefined) {
        const key = pairKey(current.channel, u.externalId);
        const owner = messageByExternal.get(key);
        if ((owner !== undefined && owner !== u.id) || externals!.has(key))
          return conflict({ kind: 'unique', entity: 'message', id: u.id });
        externals!.add(key);
      }
    }
    for (const e of changes.journey ?? []) {
      if (journey.has(e.id)) return conflict({ kind: 'unique', entity: 'journey', id: e.id });
    }
    for (const o of changes.outboxInserts ?? []) {
      if (outbox.has(o.id)) return conflict({ kind: 'unique', entity: 'outbox', id: o.id });
    }
    for (const { id } of changes.outboxUpdates ?? []) if (!outbox.has(id)) return conflict({ kind: 'version', entity: 'outbox', id });
    for (const id of changes.outboxDeletes ?? []) if (!outbox.has(id)) return conflict({ kind: 'version', entity: 'outbox', id });
    if (changes.attributeDefinitions?.length || changes.tagDefinitions?.length || changes.tagDefinitionDeletes?.length || changes.campaigns?.length || changes.campaignIncrements?.length) {
      const refused = checkCatalogAndCampaigns(changes);
      if (refused) return refused;
    }
    return { ok: true };
  }

  /** Applies a checked change set; returns the ids of the outbox inserts it claimed. */
  function apply(changes: ChangeSet): string[] {
    const claimed: string[] = [];
    for (const { record } of changes.contacts ?? []) {
      contactIndex.update(contacts.get(record.id), record);
      contacts.set(record.id, seal(record));
      contactByAddress.set(pairKey(record.channel, record.address), record.id);
    }
    for (const { record } of changes.conversations ?? []) {
      const previous = conversations.get(record.id);
      if (previous) {
        inbox(previous.state).remove(inboxKey(previous));
        countAssigned(previous, -1);
        if (openByContact.get(previous.contactId) === previous.id) openByContact.delete(previous.contactId);
      }
      conversations.set(record.id, seal(record));
      if (record.pendingBotTurns) owingBotTurn.set(record.id, record);
      else owingBotTurn.delete(record.id);
      inbox(record.state).insert(inboxKey(record));
      countAssigned(record, 1);
      if (record.state !== 'history') openByContact.set(record.contactId, record.id);
      const wasDue = previous !== undefined && previous.state !== 'history';
      const isDue = record.state !== 'history';
      // The index holds the record itself: a new version replaces it even where its key stays.
      const dueKey = isDue ? sortKey(record.historyDueAt, record.id) : null;
      if (wasDue && previous!.historyDueAt === record.historyDueAt && dueKey !== null) dueIndex.replace(dueKey, record);
      else {
        if (wasDue) dueIndex.remove(sortKey(previous!.historyDueAt, previous!.id));
        if (dueKey !== null) dueIndex.insert(dueKey, record);
      }
    }
    for (const m of changes.messages ?? []) {
      messages.set(m.id, seal(m));
      if (m.externalId !== null) messageByExternal.set(pairKey(m.channel, m.externalId), m.id);
      if (m.conversationId !== null) timeline(messagesByConversation, m.conversationId).keys.insert(sortKey(m.at, m.id));
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
      messages.set(u.id, seal(next));
      if (u.externalId !== undefined) messageByExternal.set(pairKey(current.channel, u.externalId), u.id);
    }
    for (const e of changes.journey ?? []) {
      journey.set(e.id, seal(e));
      // One key string for both indexes: a third of the memory and string work per event.
      const key = sortKey(e.at, e.id);
      timeline(journeyByContact, e.contactId).keys.insert(key);
      let byType = journeyByType.get(e.type);
      if (!byType) journeyByType.set(e.type, (byType = new SortedKeys()));
      byType.insert(key);
    }
    // A conversation whose queue was empty before this commit: its new items head the queue,
    // so they can be claimed at once when the change set asks for it.
    const headed = new Set<string>();
    for (const o of changes.outboxInserts ?? []) {
      let queue = outboxByConversation.get(o.conversationId);
      if (!queue) outboxByConversation.set(o.conversationId, (queue = new Set()));
      if (queue.size === 0) headed.add(o.conversationId);
      const claim = changes.claimOutboxUntil !== undefined && headed.has(o.conversationId);
      outbox.set(o.id, seal({ ...o, leaseUntil: claim ? changes.claimOutboxUntil! : o.leaseUntil }));
      if (claim) claimed.push(o.id);
      queue.add(o.id);
    }
    for (const u of changes.outboxUpdates ?? []) {
      const current = outbox.get(u.id)!;
      outbox.set(u.id, seal({ ...current, ...u, leaseUntil: null }));
    }
    for (const id of changes.outboxDeletes ?? []) {
      const item = outbox.get(id)!;
      outbox.delete(id);
      const queue = outboxByConversation.get(item.conversationId)!;
      queue.delete(id);
      if (queue.size === 0) outboxByConversation.delete(item.conversationId);
    }
    for (const { record } of changes.attributeDefinitions ?? []) attributeDefinitions.set(record.key, seal(record));
    for (const { name } of changes.tagDefinitionDeletes ?? []) tagDefinitions.delete(name);
    for (const { record } of changes.tagDefinitions ?? []) tagDefinitions.set(record.name, seal(record));
    for (const { record, expectedVersion } of changes.campaigns ?? []) {
      const current = campaigns.get(record.id);
      // Figures are the store's: an update never overwrites them (see ChangeSet.campaigns).
      campaigns.set(record.id, seal(expectedVersion === null || !current ? { ...record } : { ...record, counts: current.counts }));
      if (!current) campaignsByCreation.insert(sortKey(record.createdAt, record.id));
    }
    for (const { id, counts } of changes.campaignIncrements ?? []) {
      const current = campaigns.get(id)!;
      const next = { ...current.counts };
      for (const [figure, delta] of Object.entries(counts)) next[figure as keyof typeof next] += delta ?? 0;
      campaigns.set(id, seal({ ...current, counts: next }));
    }
    return claimed;
  }

  return {
    capabilities: { durable: false, multiProcess: false },

    async commit(changes) {
      const result = check(changes);
      if (!result.ok) return result;
      const claimed = apply(changes);
      return changes.claimOutboxUntil === undefined ? result : { ok: true, claimed };
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
      return dueIndex.valuesFromStart(limit, (key) => key < bound);
    },
    async listBotTurnsDue({ now, limit }) {
      const due: Array<[key: string, conversation: Conversation]> = [];
      for (const c of owingBotTurn.values()) {
        const soonest = c.pendingBotTurns!.reduce((at, turn) => (turn.dueAt < at ? turn.dueAt : at), c.pendingBotTurns![0]!.dueAt);
        if (soonest <= now) due.push([sortKey(soonest, c.id), c]);
      }
      return due
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([, c]) => c);
    },

    async getMessage(id) {
      return messages.get(id) ?? null;
    },
    async findMessageByExternalId(channel, externalId) {
      const id = messageByExternal.get(pairKey(channel, externalId));
      return id === undefined ? null : messages.get(id)!;
    },
    async findInbound(channel, externalId, address) {
      const messageId = messageByExternal.get(pairKey(channel, externalId));
      const contactId = contactByAddress.get(pairKey(channel, address));
      const conversationId = contactId === undefined ? undefined : openByContact.get(contactId);
      return {
        message: messageId === undefined ? null : messages.get(messageId)!,
        contact: contactId === undefined ? null : contacts.get(contactId)!,
        conversation: conversationId === undefined ? null : conversations.get(conversationId)!,
      };
    },
    async listMessages(conversationId, query) {
      return timeline(messagesByConversation, conversationId).page(messages, query);
    },

    async listJourney(contactId, query) {
      const keep = journeyFilter(query);
      const events = timeline(journeyByContact, contactId);
      return keep ? events.pageWhere(journey, query, keep) : events.page(journey, query);
    },
    async listEvents({ types, from, to, cursor, limit }) {
      // One sorted index per type: take each type's next keys in range, then merge.
      const keys: string[] = [];
      for (const type of new Set(types)) {
        for (const key of journeyByType.get(type)?.after(cursor ?? from, limit + 1) ?? []) {
          if (key.slice(0, key.indexOf('\u0000')) >= to) break;
          keys.push(key);
        }
      }
      keys.sort();
      const more = keys.length > limit;
      const page = keys.slice(0, limit);
      return { items: page.map((k) => journey.get(idOfKey(k))!), nextCursor: more ? page[page.length - 1]! : null };
    },

    async countContacts(filter) {
      return contactIndex.count(filter, (id) => contacts.get(id)!, () => contacts.values());
    },
    async listContacts(filter, query) {
      return contactIndex.page(filter, query, (id) => contacts.get(id)!);
    },

    async listAttributeDefinitions() {
      return [...attributeDefinitions.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async listTagDefinitions() {
      return [...tagDefinitions.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    },

    async getCampaign(id) {
      return campaigns.get(id) ?? null;
    },
    async listCampaigns({ cursor, limit }) {
      const keys = campaignsByCreation.before(cursor, limit + 1);
      const more = keys.length > limit;
      const page = keys.slice(0, limit);
      return { items: page.map((k) => campaigns.get(idOfKey(k))!), nextCursor: more ? page[page.length - 1]! : null };
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
          const leased = seal({ ...item, leaseUntil });
          outbox.set(id, leased);
          claimed.push(leased);
        }
        if (claimed.length >= limit) break;
      }
      return claimed.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    },

    async upsertAgent(agent) {
      agents.set(agent.id, seal({ ...agent }));
    },
    async getAgent(id) {
      return agents.get(id) ?? null;
    },
    async listAgents() {
      return [...agents.values()];
    },
  };
}
