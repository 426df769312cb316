import type { PgPoolLike, PostgresStore, SqlQueryable } from '../../../src/adapters/postgres/index.js';

/** How much data to generate; shared by the plan tests (small) and the benchmark (1M). */
export interface Volume {
  contacts: number;
  /** At least `contacts`: each contact's last conversation is open, the earlier ones are in History. */
  conversations: number;
  /** Open conversations whose History time has passed. */
  due: number;
  agents: number;
}

/**
 * Fills an empty store with generated data in a few `generate_series` statements (seconds for a
 * million rows): contacts with attributes and tags, their conversations (the last one open, in
 * every state, intervened ones spread over `agents`; one active chat in 97 owes a bot turn),
 * one inbound message and one journey entry per open conversation. Then analyzes, so the
 * planner sees the real sizes.
 */
export async function loadVolume(store: PostgresStore, volume: Volume, now: string): Promise<void> {
  const s = store.schema;
  const q = (sql: string, params: unknown[] = []) => store.client.query(sql, params);
  const { contacts: C, conversations: N, due, agents } = volume;
  await q(
    `insert into ${s}.contacts (id, channel, address, name, attributes, tags, referral, first_seen_at, last_seen_at, last_inbound_at, version)
     select 'ct_v' || lpad(i::text, 9, '0'), 'whatsapp', '+1' || lpad(i::text, 11, '0'), 'Customer ' || i,
       jsonb_build_object('plan', case when i % 1000 = 0 then 'pro' else 'free' end, 'seats', i % 50),
       case when i % 997 = 0 then jsonb_build_object('vip', jsonb_build_object('source', 'api', 'actor', jsonb_build_object('type', 'api'),
         'at', $1::text, 'conversationId', null, 'campaignId', null)) else '{}'::jsonb end,
       null, $1::timestamptz - interval '90 days', $1::timestamptz - (i % 1000) * interval '1 hour',
       $1::timestamptz - (i % 1000) * interval '1 minute', 1
     from generate_series(1, $2::int) i`,
    [now, C],
  );
  await q(
    `insert into ${s}.conversations (id, contact_id, channel, state, assignee, opened_at, last_activity_at, last_inbound_at,
       requested_at, intervened_at, resolved_at, resolved_by, archived_at, history_due_at, pending_bot_turns, version)
     select 'conv_v' || lpad(j::text, 9, '0'), 'ct_v' || lpad(k::text, 9, '0'), 'whatsapp', state,
       case when state = 'intervened' then 'agent' || (k % $5::int) end,
       act - interval '10 minutes', act, act,
       case when state in ('requested', 'intervened') then act end,
       case when state = 'intervened' then act end,
       case when state = 'resolved' then act end, null,
       case when state = 'history' then act + interval '24 hours' end,
       act + interval '24 hours',
       case when state = 'active' and j % 97 = 0 then jsonb_build_array(jsonb_build_object('messageId', 'msg_v' || lpad(j::text, 9, '0'),
         'dueAt', to_char((act + interval '40 seconds') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) end,
       2
     from (
       select j, k,
         case when not open then 'history' when k % 10 < 4 then 'active' when k % 10 < 6 then 'requested'
              when k % 10 < 9 then 'intervened' else 'resolved' end as state,
         case when not open then $1::timestamptz - interval '30 days' - ($2::int - j) * interval '1 second'
              when idx <= $4::int then $1::timestamptz - interval '25 hours' - idx * interval '1 second'
              else $1::timestamptz - (idx % 1380) * interval '1 minute' - (idx % 60) * interval '1 second' end as act
       from (select j, ((j - 1) % $3::int) + 1 as k, j > $2::int - $3::int as open, j - ($2::int - $3::int) as idx
             from generate_series(1, $2::int) j) g
     ) x`,
    [now, N, C, due, agents],
  );
  await q(
    `insert into ${s}.messages (id, conversation_id, contact_id, channel, direction, author, content, external_id, reply_to, status, error, at, status_at)
     select 'msg_' || substr(c.id, 6), c.id, c.contact_id, 'whatsapp', 'inbound', '{"type":"customer"}',
       jsonb_build_object('type', 'text', 'text', 'hello from ' || c.contact_id), 'wamid.v' || substr(c.id, 7), null, 'received', null,
       c.last_activity_at, c.last_activity_at
     from ${s}.conversations c where c.state <> 'history'`,
  );
  await q(
    `insert into ${s}.journey (id, contact_id, conversation_id, type, actor, at, data)
     select 'jev_' || substr(m.id, 5), m.contact_id, m.conversation_id, 'message.received', '{"type":"customer"}',
       m.at, jsonb_build_object('messageId', m.id)
     from ${s}.messages m`,
  );
  await q(`analyze ${s}.contacts, ${s}.conversations, ${s}.messages, ${s}.journey, ${s}.outbox`);
}

/** A node of a query plan, flattened. */
export interface PlanNode {
  nodeType: string;
  relation: string | null;
  index: string | null;
}

/** The nodes of `EXPLAIN (FORMAT JSON)` for one statement (not executed). */
export async function planOf(client: SqlQueryable, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${sql}`, params);
  const raw = rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: Record<string, unknown> }>;
  const nodes: PlanNode[] = [];
  const walk = (node: Record<string, unknown>) => {
    nodes.push({ nodeType: node['Node Type'] as string, relation: (node['Relation Name'] as string) ?? null, index: (node['Index Name'] as string) ?? null });
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan[0]!.Plan);
  return nodes;
}

/** A client that remembers the statements sent through it, to explain exactly what the store ran. */
export function recordingClient<C extends SqlQueryable>(client: C): { client: C; statements: Array<{ sql: string; params: unknown[] }> } {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  const proxy = new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'query')
        return (sql: string | { text: string; values?: unknown[] }, params?: unknown[]) => {
          statements.push(typeof sql === 'string' ? { sql, params: params ?? [] } : { sql: sql.text, params: sql.values ?? [] });
          return typeof sql === 'string' ? target.query(sql, params) : (target as unknown as PgPoolLike).query(sql as { name: string; text: string });
        };
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client: proxy, statements };
}

/** A short readable plan: `Index Scan conversations_inbox_idx`, ... */
export const describePlan = (nodes: PlanNode[]) =>
  nodes
    .filter((n) => n.relation || n.index)
    .map((n) => `${n.nodeType} ${n.index ?? n.relation}`)
    .join(', ');

/** One store query the engine makes, with the index that must answer it. */
export interface QueryCase {
  name: string;
  index: string;
  table: string;
  run: (store: PostgresStore) => Promise<unknown>;
}

/** The store's queries on generated data (see {@link loadVolume}), each with its index. */
export function queryCases(now: string, volume: Volume): QueryCase[] {
  // The first open conversation (and its contact, message): the last round of conversations is open.
  const first = volume.conversations - volume.contacts + 1;
  const pad = (n: number) => String(n).padStart(9, '0');
  const contact = `ct_v${pad(((first - 1) % volume.contacts) + 1)}`;
  return [
    { name: 'inbox page: a view', table: 'conversations', index: 'conversations_inbox_idx', run: (s) => s.listConversations({ state: 'active', limit: 50 }) },
    {
      name: 'inbox page: a view, first page then the next',
      table: 'conversations',
      index: 'conversations_inbox_idx',
      run: async (s) => s.listConversations({ state: 'requested', limit: 50, cursor: (await s.listConversations({ state: 'requested', limit: 50 })).nextCursor }),
    },
    {
      name: 'inbox page: one agent',
      table: 'conversations',
      index: 'conversations_assignee_idx',
      run: (s) => s.listConversations({ state: 'intervened', assignee: 'agent7', limit: 50 }),
    },
    { name: 'contact by address', table: 'contacts', index: 'contacts_address_key', run: (s) => s.findContact('whatsapp', '+100000000042') },
    { name: 'open conversation of a contact', table: 'conversations', index: 'conversations_one_open_idx', run: (s) => s.findOpenConversation(contact) },
    { name: 'due conversations (listDue)', table: 'conversations', index: 'conversations_due_idx', run: (s) => s.listDue({ now, limit: 100 }) },
    {
      name: 'due conversations (claimDue)',
      table: 'conversations',
      index: 'conversations_due_idx',
      run: (s) => s.claimDue({ now, leaseUntil: new Date(Date.parse(now) + 60_000).toISOString(), limit: 100 }),
    },
    { name: 'bot turns due (listBotTurnsDue)', table: 'conversations', index: 'conversations_bot_turns_idx', run: (s) => s.listBotTurnsDue({ now, limit: 100 }) },
    { name: 'message by external id', table: 'messages', index: 'messages_external_id_key', run: (s) => s.findMessageByExternalId('whatsapp', `wamid.v${pad(first)}`) },
    {
      name: 'messages of a conversation',
      table: 'messages',
      index: 'messages_timeline_idx',
      run: (s) => s.listMessages(`conv_v${pad(first)}`, { limit: 50, order: 'desc' }),
    },
    { name: 'journey of a contact', table: 'journey', index: 'journey_timeline_idx', run: (s) => s.listJourney(contact, { limit: 50, order: 'asc' }) },
  ];
}

/** Audience queries the profile issue will make: by tag and by attribute. */
export const audienceQueries = (schema: string) => [
  { name: 'audience: contacts with a tag', index: 'contacts_tags_idx', sql: `select id from ${schema}.contacts where tags ? $1`, params: ['vip'] },
  {
    name: 'audience: contacts with an attribute value',
    index: 'contacts_attributes_idx',
    sql: `select id from ${schema}.contacts where attributes @> $1::jsonb`,
    params: ['{"plan":"pro"}'],
  },
];
