import { z } from 'zod';
import { LiveChatError, parseInput } from '../../errors.js';
import type { Conversation } from '../../model/conversation.js';
import type { ChangeSet, CommitConflict, CommitResult, JourneyPageQuery, Page, PageQuery, Store, StoreCapabilities } from '../../ports/store.js';
import { isPool, statementSender, type PostgresClient } from './client.js';
import { groupCommits, type PendingCommit } from './commit-group.js';
import { contactFilterSql } from './contact-filter.js';
import { migrate } from './migrate.js';
import {
  AGENT_COLUMNS,
  ATTRIBUTE_DEFINITION_COLUMNS,
  CAMPAIGN_COLUMNS,
  TAG_DEFINITION_COLUMNS,
  toAttributeDefinition,
  toCampaign,
  toTagDefinition,
  CONTACT_COLUMNS,
  CONVERSATION_COLUMNS,
  JOURNEY_COLUMNS,
  MESSAGE_COLUMNS,
  OUTBOX_COLUMNS,
  toAgent,
  toContact,
  toConversation,
  toJourneyEvent,
  toMessage,
  toOutboxItem,
} from './rows.js';
import { CONFLICT_SQLSTATE } from './schema.js';

/**
 * Options of {@link postgresStore}.
 * @public
 */
export interface PostgresStoreOptions {
  /** A `pg.Pool` or a PGlite instance. The store does not close it: its owner does. */
  client: PostgresClient;
  /**
   * The PostgreSQL schema holding the tables, created by `migrate()`. Default `livechat`.
   * Lowercase letters, digits and `_`; one database can hold several independent stores.
   */
  schema?: string;
  /** Overrides what the store reports; by default derived from the client. */
  capabilities?: Partial<StoreCapabilities>;
}

/**
 * A `Store` over PostgreSQL, with the schema's migrations.
 * @public
 */
export interface PostgresStore extends Store {
  /** The client the store queries. */
  readonly client: PostgresClient;
  /** The schema the tables live in. */
  readonly schema: string;
  /**
   * Creates or upgrades the schema. Versioned and idempotent: each step runs in its own
   * transaction under an advisory lock, so instances starting at once apply each step exactly
   * once. Returns the versions applied by this call (empty when up to date).
   */
  migrate(): Promise<number[]>;
  /** Claims due conversations with `FOR UPDATE SKIP LOCKED`; see `Store.claimDue`. */
  claimDue(query: { now: string; leaseUntil: string; limit: number }): Promise<Conversation[]>;
}

/** Validated identifier, so it can be spliced into SQL text. */
export const schemaNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,47}$/, 'a schema name is lowercase letters, digits and _, starting with a letter or _');

const optionsSchema = z.object({
  client: z.custom<PostgresClient>(
    (c) => typeof c === 'object' && c !== null && typeof (c as { query?: unknown }).query === 'function',
    'client must be a pg.Pool or a PGlite instance (an object with a query method)',
  ),
  schema: schemaNameSchema.default('livechat'),
  capabilities: z.object({ durable: z.boolean().optional(), multiProcess: z.boolean().optional(), remote: z.boolean().optional() }).optional(),
});

// Cursors are `<ISO time>|<id>`: readable in logs, and ISO times contain no `|`.
const encodeCursor = (at: string, id: string) => `${at}|${id}`;
function decodeCursor(cursor: string): [string, string] {
  const bar = cursor.indexOf('|');
  const at = cursor.slice(0, bar);
  if (bar < 0 || Number.isNaN(Date.parse(at))) throw new LiveChatError('INVALID_INPUT', { message: `Malformed cursor: ${cursor}`, path: ['cursor'] });
  return [at, cursor.slice(bar + 1)];
}

/** The extra condition of a filtered journey page, or none; see {@link JourneyPageQuery}. */
function journeyNarrowing(query: JourneyPageQuery): ((params: unknown[]) => string) | undefined {
  const { types, actor } = query;
  if (!types && !actor) return undefined;
  return (params) => {
    const parts: string[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    if (types) parts.push(`type = any(${bind(types)}::text[])`);
    if (actor) parts.push(`actor ->> 'type' = ${bind(actor.type)}`);
    if (actor?.id !== undefined) parts.push(`actor ->> 'id' = ${bind(actor.id)}`);
    return parts.join(' and ');
  };
}

type DbError = { code?: string; detail?: string; hint?: string; constraint?: string };

/**
 * Commit groups one store keeps in a pool's database at a time. One leaves the pool's other
 * connections idle while a group runs; many make the groups small. On a 2-CPU machine, two took
 * about a sixth more inbound messages/s than one with 4 at a time, and as many with 16.
 */
const POOL_GROUPS_IN_FLIGHT = 2;

/** Splits a change set into the parts the commit function takes, omitting empty ones. */
export function toPayload(changes: ChangeSet): string {
  const p: Record<string, unknown[]> = {};
  const add = (key: string, value: unknown) => (p[key] ??= []).push(value);
  for (const c of changes.contactChecks ?? []) add('contactChecks', c);
  for (const w of changes.contacts ?? [])
    w.expectedVersion === null ? add('contactInserts', w.record) : add('contactUpdates', { ...w.record, expectedVersion: w.expectedVersion });
  // An update names the turns it leaves owed, none included: without the field, the column is
  // kept (see the schema's list columns).
  for (const w of changes.conversations ?? [])
    w.expectedVersion === null
      ? add('conversationInserts', w.record)
      : add('conversationUpdates', { pendingBotTurns: [], ...w.record, expectedVersion: w.expectedVersion });
  for (const m of changes.messages ?? []) add('messages', m);
  for (const u of changes.messageUpdates ?? [])
    add('messageUpdates', { ...u, externalId: u.externalId ?? null, setError: u.error !== undefined, error: u.error ?? null });
  for (const e of changes.journey ?? []) add('journey', e);
  for (const o of changes.outboxInserts ?? []) add('outboxInserts', o);
  for (const o of changes.outboxUpdates ?? []) add('outboxUpdates', o);
  for (const id of changes.outboxDeletes ?? []) add('outboxDeletes', id);
  for (const w of changes.attributeDefinitions ?? [])
    w.expectedVersion === null ? add('attributeDefinitionInserts', w.record) : add('attributeDefinitionUpdates', { ...w.record, expectedVersion: w.expectedVersion });
  for (const d of changes.tagDefinitionDeletes ?? []) add('tagDefinitionDeletes', d);
  for (const w of changes.tagDefinitions ?? [])
    w.expectedVersion === null ? add('tagDefinitionInserts', w.record) : add('tagDefinitionUpdates', { ...w.record, expectedVersion: w.expectedVersion });
  for (const w of changes.campaigns ?? [])
    w.expectedVersion === null ? add('campaignInserts', w.record) : add('campaignUpdates', { ...w.record, expectedVersion: w.expectedVersion });
  for (const i of changes.campaignIncrements ?? []) add('campaignIncrements', i);
  if (Object.keys(p).length === 0) return '';
  return JSON.stringify(changes.claimOutboxUntil === undefined || !p['outboxInserts'] ? p : { ...p, claimOutboxUntil: changes.claimOutboxUntil });
}

/**
 * A unique violation the commit function did not anticipate (an update that moves a key onto
 * another row's, raced by a concurrent insert): named by its constraint.
 */
function uniqueConflict(error: DbError, changes: ChangeSet): CommitConflict {
  const constraint = error.constraint ?? '';
  if (constraint.startsWith('contacts')) return { kind: 'unique', entity: 'contact', id: changes.contacts?.[0]?.record.id ?? '' };
  if (constraint.startsWith('conversations'))
    return { kind: 'unique', entity: 'conversation', id: changes.conversations?.find((w) => w.record.state !== 'history')?.record.id ?? '' };
  if (constraint.startsWith('messages'))
    return { kind: 'unique', entity: 'message', id: changes.messageUpdates?.find((u) => u.externalId !== undefined)?.id ?? changes.messages?.[0]?.id ?? '' };
  if (constraint.startsWith('journey')) return { kind: 'unique', entity: 'journey', id: changes.journey?.[0]?.id ?? '' };
  return { kind: 'unique', entity: 'outbox', id: changes.outboxInserts?.[0]?.id ?? '' };
}

/**
 * The PostgreSQL store: one SQL implementation for a `pg.Pool` (a real server shared by many
 * engine instances) and for PGlite (embedded PostgreSQL in WASM, in memory or on a directory).
 *
 * Each `commit` is one statement, so one round trip and one transaction: it calls
 * the schema's `commit_changes` function with the change set as JSON, which inserts each kind of
 * record with one multi-row insert, checks versions with `update ... where version = $expected`,
 * and raises on the first conflict so nothing of a refused change set is written. Commits that
 * arrive while one runs share the next transaction, each with its own outcome (group commit).
 * Outbox and sweep claims use `FOR UPDATE SKIP LOCKED`, so concurrent instances never take the
 * same row.
 * Call {@link PostgresStore.migrate} once at startup before using the store.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStore } from 'livechat-engine/postgres';
 * const store = postgresStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await store.migrate();
 * const chat = createLiveChat({ store });
 * ```
 * @public
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const { client, schema, capabilities } = parseInput(optionsSchema, options, 'postgresStore options');
  const s = schema;
  const pool = isPool(client);
  const dataDir = pool ? undefined : (client as { dataDir?: string }).dataDir;
  const q = statementSender(client);

  const commitSql = `select ${s}.commit_changes($1::jsonb) as result`;

  async function page<T>(
    sql: { table: string; columns: string; owner: string },
    ownerId: string,
    query: PageQuery,
    map: (r: Record<string, unknown>) => T & { at: string; id: string },
    narrow?: (params: unknown[]) => string,
  ): Promise<Page<T>> {
    const asc = query.order === 'asc';
    const params: unknown[] = [ownerId, query.limit + 1];
    let after = '';
    if (query.cursor) {
      params.push(...decodeCursor(query.cursor));
      after = ` and (at, id) ${asc ? '>' : '<'} ($3::timestamptz, $4)`;
    }
    if (narrow) after += ` and ${narrow(params)}`;
    const dir = asc ? 'asc' : 'desc';
    const { rows } = await q(`select ${sql.columns} from ${s}.${sql.table} where ${sql.owner} = $1${after} order by at ${dir}, id ${dir} limit $2`, params);
    const items = rows.slice(0, query.limit).map(map);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last.id) : null };
  }

  type CommitAnswer = { statements: number; claimed: string[] };
  // Total, so that nothing after a group's transaction committed can throw and send its change
  // sets to the database again (see groupCommits).
  const answer = (changes: ChangeSet, result: CommitAnswer | undefined): CommitResult =>
    changes.claimOutboxUntil === undefined ? { ok: true } : { ok: true, claimed: result?.claimed ?? [] };

  async function commitAlone({ changes, payload }: PendingCommit): Promise<CommitResult> {
    try {
      const { rows } = await q<{ result: CommitAnswer }>(commitSql, [payload]);
      return answer(changes, rows[0]!.result);
    } catch (caught) {
      const error = caught as DbError;
      if (error.code === CONFLICT_SQLSTATE) {
        const [kind, entity] = (error.detail ?? '').split(' ') as [CommitConflict['kind'], CommitConflict['entity']];
        return { ok: false, conflict: { kind, entity, id: error.hint ?? '' } };
      }
      if (error.code === '23505') return { ok: false, conflict: uniqueConflict(error, changes) };
      // A deadlock (or, under SERIALIZABLE, a serialization failure) aborts one of two
      // writers: like a lost version race, the engine retries it on fresh reads.
      if (error.code === '40P01' || error.code === '40001') {
        const first = changes.conversations?.[0] ?? changes.contacts?.[0];
        return { ok: false, conflict: { kind: 'version', entity: changes.conversations?.[0] ? 'conversation' : 'contact', id: first?.record.id ?? '' } };
      }
      throw caught;
    }
  }

  // Commits that queue behind those in the database share the next transaction (group commit):
  // on PGlite, which runs one statement at a time, and on a pool, where a statement and a
  // transaction cost the server about as much as the writes of an inbound message. Groups that
  // take the same rows in opposite orders (two on a pool, or another instance's) wait for each
  // other: one gives up within the group lock timeout (schema step 8), and its change sets go
  // one by one.
  const commitGroupSql = `select ${s}.commit_group($1::jsonb) as results`;
  const commit = groupCommits(
    commitAlone,
    async (group) => {
      const { rows } = await q<{ results: CommitAnswer[] }>(commitGroupSql, [`[${group.map((c) => c.payload).join(',')}]`]);
      return group.map(({ changes }, i) => answer(changes, rows[0]?.results[i]));
    },
    pool ? POOL_GROUPS_IN_FLIGHT : 1,
  );

  return {
    client,
    schema,
    capabilities: {
      durable: pool || (dataDir !== undefined && !dataDir.startsWith('memory://')),
      multiProcess: pool,
      remote: true,
      ...capabilities,
    },

    migrate: () => migrate(client, s),

    async commit(changes): Promise<CommitResult> {
      const payload = toPayload(changes);
      if (payload === '') return { ok: true };
      return commit({ changes, payload });
    },

    async getContact(id) {
      const { rows } = await q(`select ${CONTACT_COLUMNS} from ${s}.contacts where id = $1`, [id]);
      return rows[0] ? toContact(rows[0]) : null;
    },
    async findContact(channel, address) {
      const { rows } = await q(`select ${CONTACT_COLUMNS} from ${s}.contacts where channel = $1 and address = $2`, [channel, address]);
      return rows[0] ? toContact(rows[0]) : null;
    },

    async getConversation(id) {
      const { rows } = await q(`select ${CONVERSATION_COLUMNS} from ${s}.conversations where id = $1`, [id]);
      return rows[0] ? toConversation(rows[0]) : null;
    },
    async findOpenConversation(contactId) {
      const { rows } = await q(`select ${CONVERSATION_COLUMNS} from ${s}.conversations where contact_id = $1 and state <> 'history'`, [contactId]);
      return rows[0] ? toConversation(rows[0]) : null;
    },
    async findInbound(channel, externalId, address) {
      // One round trip for the three lookups receive starts from (see find_inbound in schema.ts).
      type Found = { message: Record<string, unknown> | null; contact: Record<string, unknown> | null; conversation: Record<string, unknown> | null };
      const { rows } = await q<{ found: Found }>(`select ${s}.find_inbound($1, $2, $3) as found`, [channel, externalId, address]);
      const { message, contact, conversation } = rows[0]!.found;
      return {
        message: message ? toMessage(message) : null,
        contact: contact ? toContact(contact) : null,
        conversation: conversation ? toConversation(conversation) : null,
      };
    },
    async listConversations(query) {
      const params: unknown[] = [query.state, query.limit + 1];
      let where = 'state = $1';
      if (query.assignee !== undefined) {
        params.push(query.assignee);
        where += ` and assignee = $${params.length}`;
      }
      if (query.cursor) {
        params.push(...decodeCursor(query.cursor));
        where += ` and (last_activity_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`;
      }
      const { rows } = await q(
        `select ${CONVERSATION_COLUMNS} from ${s}.conversations where ${where} order by last_activity_at desc, id desc limit $2`,
        params,
      );
      const items = rows.slice(0, query.limit).map(toConversation);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.lastActivityAt, last.id) : null };
    },
    async countConversations({ state, assignee }) {
      // Answered from conversations_inbox_idx (or the assignee index) by an index-only scan.
      const { rows } = await q(
        `select count(*)::int as n from ${s}.conversations where state = $1${assignee === undefined ? '' : ' and assignee = $2'}`,
        assignee === undefined ? [state] : [state, assignee],
      );
      return Number(rows[0]!['n']);
    },
    async listDue({ now, limit }) {
      const { rows } = await q(
        `select ${CONVERSATION_COLUMNS} from ${s}.conversations
         where state <> 'history' and history_due_at <= $1 order by history_due_at, id limit $2`,
        [now, limit],
      );
      return rows.map(toConversation);
    },
    async claimDue({ now, leaseUntil, limit }) {
      // `id = any(array(...))`, not a join: the claimed ids are then fetched by primary key,
      // where a join would let the planner hash the whole table.
      const { rows } = await q(
        `update ${s}.conversations set sweep_lease_until = $2
         where id = any(array(
           select id from ${s}.conversations
           where state <> 'history' and history_due_at <= $1 and (sweep_lease_until is null or sweep_lease_until <= $1)
           order by history_due_at, id limit $3 for update skip locked))
         returning ${CONVERSATION_COLUMNS}`,
        [now, leaseUntil, limit],
      );
      return rows.map(toConversation).sort((a, b) => (a.historyDueAt === b.historyDueAt ? (a.id < b.id ? -1 : 1) : a.historyDueAt < b.historyDueAt ? -1 : 1));
    },

    async listBotTurnsDue({ now, limit }) {
      // The partial index holds only conversations that owe a turn; the few due sort in memory.
      const { rows } = await q(
        `select ${CONVERSATION_COLUMNS} from (
           select c.*, (select min((turn->>'dueAt')::timestamptz) from jsonb_array_elements(c.pending_bot_turns) turn) as soonest
           from ${s}.conversations c where c.pending_bot_turns is not null) owing
         where soonest <= $1 order by soonest, id limit $2`,
        [now, limit],
      );
      return rows.map(toConversation);
    },

    async getMessage(id) {
      const { rows } = await q(`select ${MESSAGE_COLUMNS} from ${s}.messages where id = $1`, [id]);
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async findMessageByExternalId(channel, externalId) {
      const { rows } = await q(`select ${MESSAGE_COLUMNS} from ${s}.messages where channel = $1 and external_id = $2`, [channel, externalId]);
      return rows[0] ? toMessage(rows[0]) : null;
    },
    listMessages: (conversationId, query) => page({ table: 'messages', columns: MESSAGE_COLUMNS, owner: 'conversation_id' }, conversationId, query, toMessage),
    listJourney: (contactId, query) =>
      page({ table: 'journey', columns: JOURNEY_COLUMNS, owner: 'contact_id' }, contactId, query, toJourneyEvent, journeyNarrowing(query)),
    async listEvents({ types, from, to, cursor, limit }) {
      const params: unknown[] = [types, from, to, limit + 1];
      let after = '';
      if (cursor) {
        params.push(...decodeCursor(cursor));
        after = ' and (at, id) > ($5::timestamptz, $6)';
      }
      const { rows } = await q(
        `select ${JOURNEY_COLUMNS} from ${s}.journey
         where type = any($1::text[]) and at >= $2::timestamptz and at < $3::timestamptz${after}
         order by at, id limit $4`,
        params,
      );
      const items = rows.slice(0, limit).map(toJourneyEvent);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
    },

    async countContacts(filter) {
      const params: unknown[] = [];
      const { rows } = await q<{ n: string | number }>(`select count(*) as n from ${s}.contacts where ${contactFilterSql(filter, params)}`, params);
      return Number(rows[0]?.n ?? 0);
    },
    async listContacts(filter, { cursor, limit }) {
      const params: unknown[] = [limit + 1];
      let where = contactFilterSql(filter, params);
      // Contacts page by id: a cursor is the last id, valid while contacts are added.
      if (cursor) where += ` and id > ${(params.push(cursor), `$${params.length}`)}`;
      const { rows } = await q(`select ${CONTACT_COLUMNS} from ${s}.contacts where ${where} order by id limit $1`, params);
      const items = rows.slice(0, limit).map(toContact);
      return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
    },

    async listAttributeDefinitions() {
      const { rows } = await q(`select ${ATTRIBUTE_DEFINITION_COLUMNS} from ${s}.attribute_definitions order by key collate "C"`);
      return rows.map(toAttributeDefinition);
    },
    async listTagDefinitions() {
      const { rows } = await q(`select ${TAG_DEFINITION_COLUMNS} from ${s}.tag_definitions order by name collate "C"`);
      return rows.map(toTagDefinition);
    },

    async getCampaign(id) {
      const { rows } = await q(`select ${CAMPAIGN_COLUMNS} from ${s}.campaigns where id = $1`, [id]);
      return rows[0] ? toCampaign(rows[0]) : null;
    },
    async listCampaigns({ cursor, limit }) {
      const params: unknown[] = [limit + 1];
      let where = 'true';
      if (cursor) {
        params.push(...decodeCursor(cursor));
        where = '(created_at, id) < ($2::timestamptz, $3)';
      }
      const { rows } = await q(`select ${CAMPAIGN_COLUMNS} from ${s}.campaigns where ${where} order by created_at desc, id desc limit $1`, params);
      const items = rows.slice(0, limit).map(toCampaign);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },

    async claimOutbox({ now, leaseUntil, limit, conversations }) {
      const params: unknown[] = [now, leaseUntil, limit];
      let only = '';
      if (conversations) {
        params.push(conversations);
        only = ' and conversation_id = any($4::text[])';
      }
      // Conversations with due items come from the due-time index. A conversation's queue is
      // claimed from its head: locking the head row (skipping heads another claimer holds) makes
      // this claimer the only one taking that queue now; then the run of due, free items from
      // the head on is leased, oldest first. An item behind one that waits for a retry or is
      // leased elsewhere stays put, so one conversation's sends keep their order.
      const { rows } = await q(
        `with due as (
           select distinct conversation_id from ${s}.outbox
           where due_at <= $1 and (lease_until is null or lease_until <= $1)${only}
         ), heads as (
           select (select h.id from ${s}.outbox h where h.conversation_id = d.conversation_id order by h.created_at, h.id limit 1) as id
           from due d
         ), mine as (
           select o.conversation_id from ${s}.outbox o
           where o.id in (select id from heads) and o.due_at <= $1 and (o.lease_until is null or o.lease_until <= $1)
           for update of o skip locked
         ), run as (
           select i.id from ${s}.outbox i
           where i.conversation_id in (select conversation_id from mine)
             and i.due_at <= $1 and (i.lease_until is null or i.lease_until <= $1)
             and not exists (
               select 1 from ${s}.outbox j
               where j.conversation_id = i.conversation_id and (j.created_at, j.id) < (i.created_at, i.id)
                 and (j.due_at > $1 or j.lease_until > $1))
           order by i.created_at, i.id limit $3
           for update of i skip locked
         )
         update ${s}.outbox set lease_until = $2 where id = any(array(select id from run))
         returning ${OUTBOX_COLUMNS}`,
        params,
      );
      // Oldest first, so one conversation's messages go out in the order they were queued.
      return rows.map(toOutboxItem).sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    },

    async upsertAgent(agent) {
      await q(`insert into ${s}.agents (id, name, role) values ($1, $2, $3) on conflict (id) do update set name = excluded.name, role = excluded.role`, [
        agent.id,
        agent.name,
        agent.role,
      ]);
    },
    async getAgent(id) {
      const { rows } = await q(`select ${AGENT_COLUMNS} from ${s}.agents where id = $1`, [id]);
      return rows[0] ? toAgent(rows[0]) : null;
    },
    async listAgents() {
      const { rows } = await q(`select ${AGENT_COLUMNS} from ${s}.agents order by id`);
      return rows.map(toAgent);
    },

    // The client belongs to whoever made it (a pool shared with the application): not closed here.
    async close() {},
  };
}
