import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
// In your project: `from 'livechat-engine'`.
import {
  matchesContactFilter,
  type Agent,
  type AttributeDefinition,
  type Campaign,
  type ChangeSet,
  type CommitConflict,
  type CommitResult,
  type Contact,
  type Conversation,
  type JourneyEvent,
  type Message,
  type OutboxItem,
  type Page,
  type PageQuery,
  type Store,
  type TagDefinition,
} from '../../src/index.js';

/** Everything the store holds, as it is written to the file. */
interface State {
  contacts: Record<string, Contact>;
  conversations: Record<string, Conversation>;
  messages: Record<string, Message>;
  journey: Record<string, JourneyEvent>;
  outbox: Record<string, OutboxItem>;
  agents: Record<string, Agent>;
  attributeDefinitions: Record<string, AttributeDefinition>;
  tagDefinitions: Record<string, TagDefinition>;
  campaigns: Record<string, Campaign>;
}

const empty = (): State => ({ contacts: {}, conversations: {}, messages: {}, journey: {}, outbox: {}, agents: {}, attributeDefinitions: {}, tagDefinitions: {}, campaigns: {} });
const refuse = (conflict: CommitConflict): CommitResult => ({ ok: false, conflict });
const copy = <T>(value: T): T => structuredClone(value);

/**
 * A record the change set writes a second time, as the conflict to answer: each check below
 * compares with the stored state, so a second write would pass and overwrite the first.
 */
function writtenTwice(changes: ChangeSet): CommitConflict | undefined {
  const writes = <T>(list: Array<{ record: T; expectedVersion: number | null }> | undefined, id: (record: T) => string) =>
    (list ?? []).map((w) => ({ id: id(w.record), insert: w.expectedVersion === null }));
  const inserts = (list: Array<{ id: string }> | undefined) => (list ?? []).map(({ id }) => ({ id, insert: true }));
  const lists: Array<[CommitConflict['entity'], Array<{ id: string; insert: boolean }>]> = [
    ['contact', writes(changes.contacts, (c) => c.id)],
    ['conversation', writes(changes.conversations, (c) => c.id)],
    ['message', inserts(changes.messages)],
    ['journey', inserts(changes.journey)],
    ['outbox', inserts(changes.outboxInserts)],
    ['attributeDefinition', writes(changes.attributeDefinitions, (d) => d.key)],
  ];
  for (const [entity, items] of lists) {
    const seen = new Set<string>();
    for (const { id, insert } of items) {
      if (seen.has(id)) return { kind: insert ? 'unique' : 'version', entity, id };
      seen.add(id);
    }
  }
  return undefined;
}

/** Orders by `(time, id)`, the tie-break every list of the contract uses. */
const byTime = <T extends { id: string }>(time: (x: T) => string) => (a: T, b: T) =>
  time(a) === time(b) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : time(a) < time(b) ? -1 : 1;

/** One page of `items` (already in page order) after `cursor`, which is the last key handed out. */
function paginate<T extends { id: string }>(items: T[], time: (x: T) => string, query: { cursor?: string | null; limit: number }, after: (key: string, cursor: string) => boolean): Page<T> {
  const key = (x: T) => `${time(x)}|${x.id}`;
  const rest = query.cursor ? items.filter((x) => after(key(x), query.cursor!)) : items;
  const page = rest.slice(0, query.limit);
  return { items: page.map(copy), nextCursor: rest.length > query.limit ? key(page[page.length - 1]!) : null };
}

function timeline<T extends { id: string; at: string }>(items: T[], query: PageQuery): Page<T> {
  const sorted = items.sort(byTime((x) => x.at));
  if (query.order === 'desc') sorted.reverse();
  return paginate(sorted, (x) => x.at, query, query.order === 'asc' ? (k, c) => k > c : (k, c) => k < c);
}

/**
 * A store that keeps everything in memory and rewrites one JSON file after every write. It is
 * an example of the Store port, written to be read: every query scans, so it suits a few
 * thousand conversations, one process, and demos, not production traffic.
 *
 * Commits are atomic because the checks and the changes run in one synchronous stretch (nothing
 * else runs in between in JavaScript), and durable because `commit` resolves only after the
 * file was replaced (write to a temporary file, then rename, so a crash never leaves half a file).
 */
export function jsonFileStore(path: string): Store {
  // Files written before the profile records existed lack their maps: start those empty.
  const state: State = { ...empty(), ...(existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<State>) : {}) };
  let saving: Promise<void> = Promise.resolve();
  // Writes are chained, so the file always ends with the latest state.
  const save = () => {
    const text = JSON.stringify(state);
    saving = saving.then(async () => {
      await writeFile(`${path}.tmp`, text);
      await rename(`${path}.tmp`, path);
    });
    return saving;
  };

  const openOf = (contactId: string, except?: string) =>
    Object.values(state.conversations).find((c) => c.contactId === contactId && c.state !== 'history' && c.id !== except);

  /** The first reason the change set cannot be applied: a contact it relies on changed, a record written twice, then the checks in the order it is applied. */
  function check(changes: ChangeSet): CommitResult {
    for (const { id, version } of changes.contactChecks ?? [])
      if (state.contacts[id]?.version !== version) return refuse({ kind: 'version', entity: 'contact', id });
    const twice = writtenTwice(changes);
    if (twice) return refuse(twice);
    const addresses = new Set<string>();
    for (const { record, expectedVersion } of changes.contacts ?? []) {
      const current = state.contacts[record.id];
      if (expectedVersion === null) {
        const address = `${record.channel}|${record.address}`;
        const taken = Object.values(state.contacts).some((c) => c.channel === record.channel && c.address === record.address);
        if (current || taken || addresses.has(address)) return refuse({ kind: 'unique', entity: 'contact', id: record.id });
        addresses.add(address);
      } else if (current?.version !== expectedVersion) return refuse({ kind: 'version', entity: 'contact', id: record.id });
    }
    // The contact's open conversation after this change set: at most one.
    const open = new Map<string, string | null>();
    for (const { record, expectedVersion } of changes.conversations ?? []) {
      const current = state.conversations[record.id];
      if (expectedVersion === null && current) return refuse({ kind: 'unique', entity: 'conversation', id: record.id });
      if (expectedVersion !== null && current?.version !== expectedVersion) return refuse({ kind: 'version', entity: 'conversation', id: record.id });
      if (record.state === 'history' && (open.get(record.contactId) ?? openOf(record.contactId)?.id) === record.id) open.set(record.contactId, null);
    }
    for (const { record } of changes.conversations ?? []) {
      if (record.state === 'history') continue;
      const other = open.has(record.contactId) ? open.get(record.contactId) : openOf(record.contactId, record.id)?.id;
      if (other && other !== record.id) return refuse({ kind: 'unique', entity: 'conversation', id: record.id });
      open.set(record.contactId, record.id);
    }
    const externals = new Set<string>();
    const externalTaken = (channel: string, externalId: string, except?: string) =>
      externals.has(`${channel}|${externalId}`) ||
      Object.values(state.messages).some((m) => m.channel === channel && m.externalId === externalId && m.id !== except);
    for (const m of changes.messages ?? []) {
      if (state.messages[m.id] || (m.externalId !== null && externalTaken(m.channel, m.externalId))) return refuse({ kind: 'unique', entity: 'message', id: m.id });
      if (m.externalId !== null) externals.add(`${m.channel}|${m.externalId}`);
    }
    for (const u of changes.messageUpdates ?? []) {
      const current = state.messages[u.id];
      if (current?.status !== u.expectedStatus) return refuse({ kind: 'version', entity: 'message', id: u.id });
      if (u.externalId !== undefined && externalTaken(current.channel, u.externalId, u.id)) return refuse({ kind: 'unique', entity: 'message', id: u.id });
    }
    for (const e of changes.journey ?? []) if (state.journey[e.id]) return refuse({ kind: 'unique', entity: 'journey', id: e.id });
    for (const o of changes.outboxInserts ?? []) if (state.outbox[o.id]) return refuse({ kind: 'unique', entity: 'outbox', id: o.id });
    for (const id of [...(changes.outboxUpdates ?? []).map((o) => o.id), ...(changes.outboxDeletes ?? [])])
      if (!state.outbox[id]) return refuse({ kind: 'version', entity: 'outbox', id });
    // Catalogs and campaigns: `null` inserts (the key must be free), a number updates that version.
    const stale = (current: { version: number } | undefined, expected: number | null) => (expected === null ? current !== undefined : current?.version !== expected);
    const kind = (expected: number | null) => (expected === null ? 'unique' : 'version');
    for (const { record, expectedVersion } of changes.attributeDefinitions ?? [])
      if (stale(state.attributeDefinitions[record.key], expectedVersion)) return refuse({ kind: kind(expectedVersion), entity: 'attributeDefinition', id: record.key });
    // Deletes apply first, so a name deleted here may be inserted again in the same change set.
    const deleted = new Set<string>();
    for (const { name, expectedVersion } of changes.tagDefinitionDeletes ?? []) {
      if (deleted.has(name) || state.tagDefinitions[name]?.version !== expectedVersion) return refuse({ kind: 'version', entity: 'tagDefinition', id: name });
      deleted.add(name);
    }
    const written = new Set<string>();
    for (const { record, expectedVersion } of changes.tagDefinitions ?? []) {
      const current = deleted.has(record.name) ? undefined : state.tagDefinitions[record.name];
      if (written.has(record.name) || stale(current, expectedVersion)) return refuse({ kind: kind(expectedVersion), entity: 'tagDefinition', id: record.name });
      written.add(record.name);
    }
    const campaigns = new Set<string>();
    for (const { record, expectedVersion } of changes.campaigns ?? []) {
      if (campaigns.has(record.id) || stale(state.campaigns[record.id], expectedVersion)) return refuse({ kind: kind(expectedVersion), entity: 'campaign', id: record.id });
      campaigns.add(record.id);
    }
    for (const { id } of changes.campaignIncrements ?? [])
      if (!state.campaigns[id] && !campaigns.has(id)) return refuse({ kind: 'version', entity: 'campaign', id });
    return { ok: true };
  }

  function apply(changes: ChangeSet): void {
    for (const { record } of changes.contacts ?? []) state.contacts[record.id] = copy(record);
    for (const { record } of changes.conversations ?? []) state.conversations[record.id] = copy(record);
    for (const m of changes.messages ?? []) state.messages[m.id] = copy(m);
    for (const u of changes.messageUpdates ?? []) {
      const m = state.messages[u.id]!;
      state.messages[u.id] = { ...m, status: u.status, statusAt: u.statusAt, externalId: u.externalId ?? m.externalId, error: u.error === undefined ? m.error : copy(u.error) };
    }
    for (const e of changes.journey ?? []) state.journey[e.id] = copy(e);
    for (const o of changes.outboxInserts ?? []) state.outbox[o.id] = copy(o);
    for (const u of changes.outboxUpdates ?? []) state.outbox[u.id] = { ...state.outbox[u.id]!, ...copy(u), leaseUntil: null };
    for (const id of changes.outboxDeletes ?? []) delete state.outbox[id];
    for (const { record } of changes.attributeDefinitions ?? []) state.attributeDefinitions[record.key] = copy(record);
    for (const { name } of changes.tagDefinitionDeletes ?? []) delete state.tagDefinitions[name];
    for (const { record } of changes.tagDefinitions ?? []) state.tagDefinitions[record.name] = copy(record);
    for (const { record, expectedVersion } of changes.campaigns ?? []) {
      const current = state.campaigns[record.id];
      // Figures change only through increments: an update keeps the stored ones.
      state.campaigns[record.id] = { ...copy(record), counts: expectedVersion !== null && current ? current.counts : copy(record.counts) };
    }
    for (const { id, counts } of changes.campaignIncrements ?? []) {
      const c = state.campaigns[id]!;
      for (const [figure, delta] of Object.entries(counts)) c.counts[figure as keyof Campaign['counts']] += delta ?? 0;
    }
  }

  const found = <T>(value: T | undefined): T | null => (value === undefined ? null : copy(value));

  return {
    capabilities: { durable: true, multiProcess: false },

    async commit(changes) {
      const result = check(changes);
      if (!result.ok) return result;
      apply(changes);
      await save();
      return result;
    },

    getContact: async (id) => found(state.contacts[id]),
    findContact: async (channel, address) => found(Object.values(state.contacts).find((c) => c.channel === channel && c.address === address)),
    getConversation: async (id) => found(state.conversations[id]),
    findOpenConversation: async (contactId) => found(openOf(contactId)),
    async listConversations(query) {
      const matching = Object.values(state.conversations)
        .filter((c) => c.state === query.state && (query.assignee === undefined || c.assignee === query.assignee))
        .sort(byTime((c) => c.lastActivityAt))
        .reverse();
      return paginate(matching, (c) => c.lastActivityAt, query, (key, cursor) => key < cursor);
    },
    async countConversations(query) {
      return Object.values(state.conversations).filter((c) => c.state === query.state && (query.assignee === undefined || c.assignee === query.assignee)).length;
    },
    async listDue({ now, limit }) {
      return Object.values(state.conversations)
        .filter((c) => c.state !== 'history' && c.historyDueAt <= now)
        .sort(byTime((c) => c.historyDueAt))
        .slice(0, limit)
        .map(copy);
    },
    async listBotTurnsDue({ now, limit }) {
      const soonest = (c: Conversation) => (c.pendingBotTurns ?? []).map((turn) => turn.dueAt).sort()[0];
      return Object.values(state.conversations)
        .filter((c) => {
          const at = soonest(c);
          return at !== undefined && at <= now;
        })
        .sort(byTime((c) => soonest(c)!))
        .slice(0, limit)
        .map(copy);
    },

    getMessage: async (id) => found(state.messages[id]),
    findMessageByExternalId: async (channel, externalId) => found(Object.values(state.messages).find((m) => m.channel === channel && m.externalId === externalId)),
    listMessages: async (conversationId, query) => timeline(Object.values(state.messages).filter((m) => m.conversationId === conversationId), query),
    listJourney: async (contactId, query) =>
      timeline(
        Object.values(state.journey).filter(
          (e) =>
            e.contactId === contactId &&
            (!query.types || query.types.includes(e.type)) &&
            (!query.actor || (e.actor.type === query.actor.type && (query.actor.id === undefined || ('id' in e.actor && e.actor.id === query.actor.id)))),
        ),
        query,
      ),
    async listEvents({ types, from, to, cursor, limit }) {
      const matching = Object.values(state.journey)
        .filter((e) => types.includes(e.type) && e.at >= from && e.at < to)
        .sort(byTime((e) => e.at));
      return paginate(matching, (e) => e.at, { cursor, limit }, (key, c) => key > c);
    },

    countContacts: async (filter) => Object.values(state.contacts).filter((c) => matchesContactFilter(c, filter)).length,
    async listContacts(filter, { cursor, limit }) {
      // Contacts page by id; the cursor is the last id handed out.
      const matching = Object.values(state.contacts)
        .filter((c) => matchesContactFilter(c, filter) && (!cursor || c.id > cursor))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const page = matching.slice(0, limit);
      return { items: page.map(copy), nextCursor: matching.length > limit ? page[page.length - 1]!.id : null };
    },

    listAttributeDefinitions: async () => Object.values(state.attributeDefinitions).sort((a, b) => (a.key < b.key ? -1 : 1)).map(copy),
    listTagDefinitions: async () => Object.values(state.tagDefinitions).sort((a, b) => (a.name < b.name ? -1 : 1)).map(copy),

    getCampaign: async (id) => found(state.campaigns[id]),
    async listCampaigns(query) {
      const newest = Object.values(state.campaigns).sort(byTime((c) => c.createdAt)).reverse();
      return paginate(newest, (c) => c.createdAt, query, (key, c) => key < c);
    },

    async claimOutbox({ now, leaseUntil, limit, conversations }) {
      // Each conversation's queue, oldest first; only the run of due, free items at its head is
      // claimable, so a conversation's messages never overtake one waiting for a retry.
      const queues = new Map<string, OutboxItem[]>();
      for (const o of Object.values(state.outbox).sort(byTime((x) => x.createdAt))) {
        if (conversations && !conversations.includes(o.conversationId)) continue;
        const queue = queues.get(o.conversationId) ?? [];
        queues.set(o.conversationId, [...queue, o]);
      }
      const free = (o: OutboxItem) => o.dueAt <= now && (o.leaseUntil === null || o.leaseUntil <= now);
      const claimable = [...queues.values()].flatMap((queue) => {
        const blocked = queue.findIndex((o) => !free(o));
        return blocked < 0 ? queue : queue.slice(0, blocked);
      });
      const claimed = claimable.sort(byTime((o) => o.createdAt)).slice(0, limit);
      for (const o of claimed) o.leaseUntil = leaseUntil;
      if (claimed.length > 0) await save();
      return claimed.map(copy);
    },

    async upsertAgent(agent) {
      state.agents[agent.id] = copy(agent);
      await save();
    },
    getAgent: async (id) => found(state.agents[id]),
    listAgents: async () => Object.values(state.agents).map(copy),

    close: () => saving,
  };
}
