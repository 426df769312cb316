import { CONTACT_COLUMNS, CONVERSATION_COLUMNS, CONVERSATION_COLUMNS_V3, MESSAGE_COLUMNS } from './rows.js';

/**
 * One step of the schema's history. Steps are append-only: a released step is never edited,
 * a change is a new step.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order inside the step's transaction. */
  statements: string[];
}

/**
 * How long a group of commits waits for a row lock before giving up (step 8): longer than a
 * group holds its locks, far shorter than PostgreSQL's deadlock detection (1 s by default).
 */
const GROUP_LOCK_TIMEOUT = '200ms';

/** The SQLSTATE the commit function raises for a refused change set (class `LC`, ours). */
export const CONFLICT_SQLSTATE = 'LC409';

const conflict = (kind: string, entity: string, id: string) =>
  `raise exception using errcode = '${CONFLICT_SQLSTATE}', message = 'livechat-engine commit conflict', detail = '${kind} ${entity}', hint = ${id}`;

/**
 * The parts of the commit function that step 2 adds: attribute definitions, the tag catalog
 * (deletes before inserts, so a rename is one change set), campaigns, and campaign increments
 * (after campaigns, so a campaign inserted in the same change set can be incremented).
 */
function profileParts(s: string, v: CommitVersion): string {
  // Versioned writes of a keyed catalog: one multi-row insert, then row-by-row checked updates.
  const versioned = (entity: string, table: string, key: string, columns: Column[], keep: string[] = []) => `${insertRows(s, v, `${entity}Inserts`, entity, table, columns, key)}
${updateRows(s, `${entity}Updates`, entity, table, columns, { keyColumn: key, keep, once: v >= 6 })}
`;
  return `
${versioned('attributeDefinition', 'attribute_definitions', 'key', [
  ['key', 'key', 'text'],
  ['type', 'type', 'text'],
  ['label', 'label', 'text'],
  ['options', 'options', 'jsonb'],
  ['description', 'description', 'text'],
  ['createdAt', 'created_at', 'timestamptz'],
  ['version', 'version', 'integer'],
])}
  if cs ? 'tagDefinitionDeletes' then
    for w in select * from jsonb_to_recordset(cs->'tagDefinitionDeletes') as r(name text, "expectedVersion" integer)
    loop
      delete from ${s}.tag_definitions where name = w.name and version = w."expectedVersion";
      statements := statements + 1;
      if not found then ${conflict('version', 'tagDefinition', 'w.name')}; end if;
    end loop;
  end if;
${versioned('tagDefinition', 'tag_definitions', 'name', [
  ['name', 'name', 'text'],
  ['category', 'category', 'text'],
  ['description', 'description', 'text'],
  ['color', 'color', 'text'],
  ['createdAt', 'created_at', 'timestamptz'],
  ['version', 'version', 'integer'],
])}
${versioned(
  'campaign',
  'campaigns',
  'id',
  [
    ['id', 'id', 'text'],
    ['name', 'name', 'text'],
    ['tag', 'tag', 'text'],
    ['channel', 'channel', 'text'],
    ['template', 'template', 'jsonb'],
    ['audience', 'audience', 'jsonb'],
    ['status', 'status', 'text'],
    ['createdBy', 'created_by', 'jsonb'],
    ['createdAt', 'created_at', 'timestamptz'],
    ['finishedAt', 'finished_at', 'timestamptz'],
    ['cursor', 'queue_cursor', 'text'],
    ['counts', 'counts', 'jsonb'],
    ['version', 'version', 'integer'],
  ],
  // Figures change only through increments: an update keeps the stored ones.
  ['counts'],
)}
  -- One row at a time: two increments of one campaign in a change set must both count.
  if cs ? 'campaignIncrements' then
    for w in select * from jsonb_to_recordset(cs->'campaignIncrements') as r(id text, counts jsonb)
    loop
      update ${s}.campaigns c set counts = c.counts || coalesce((
        select jsonb_object_agg(d.key, coalesce((c.counts->>d.key)::bigint, 0) + (d.value #>> '{}')::bigint)
        from jsonb_each(w.counts) d), '{}'::jsonb)
      where c.id = w.id;
      statements := statements + 1;
      if not found then ${conflict('version', 'campaign', 'w.id')}; end if;
    end loop;
  end if;
`;
}

/**
 * The block of the commit function that inserts a change set's `key` rows, `on conflict do
 * nothing`, and raises the unique conflict naming a row (by `keyColumn`) that did not land. Up
 * to step 3 the rows that landed came back from the insert and were compared with the input (a
 * CTE and an anti-join on every commit); from step 5 the insert only counts, and the input is
 * searched for the refused row only when the count falls short (the rows this transaction
 * wrote are those whose `xmin` is its id; the function runs no subtransaction, and the change
 * sets that share one in a group write no record in common, see commit-group.ts). A key the
 * change set wrote already (repeated in the input, or updated before) lands once; from step 6
 * the count falling short without a refused row refuses the change set.
 */
function insertRows(s: string, v: CommitVersion, key: string, entity: string, table: string, columns: Column[], keyColumn = 'id'): string {
  const recordset = columns.map(([field, , type]) => `"${field}" ${type}`).join(', ');
  const cols = columns.map(([, column]) => column).join(', ');
  const fields = columns.map(([field, , , list]) => (list ? `nullif("${field}", '[]'::jsonb)` : `"${field}"`)).join(', ');
  const keyField = columns.find(([, column]) => column === keyColumn)![0];
  if (v < 5)
    return `
  if cs ? '${key}' then
    with input as (
      select * from jsonb_to_recordset(cs->'${key}') as r(${recordset})
    ), done as (
      insert into ${s}.${table} (${cols}) select ${fields} from input
      on conflict do nothing returning ${keyColumn}
    )
    select i."${keyField}" into missing from input i where i."${keyField}" not in (select ${keyColumn} from done) limit 1;
    statements := statements + 1;
    if missing is not null then ${conflict('unique', entity, 'missing')}; end if;
  end if;`;
  return `
  if cs ? '${key}' then
    insert into ${s}.${table} (${cols}) select ${fields} from jsonb_to_recordset(cs->'${key}') as r(${recordset})
    on conflict do nothing;
    get diagnostics landed = row_count;
    statements := statements + 1;
    if landed < jsonb_array_length(cs->'${key}') then
      select r."${keyField}" into missing from jsonb_to_recordset(cs->'${key}') as r("${keyField}" text)
      where not exists (select 1 from ${s}.${table} t where t.${keyColumn} = r."${keyField}" and t.xmin = pg_current_xact_id()::xid) limit 1;${
        v < 6
          ? `
      -- None found: the input repeated a key, which was written once, as before step 5.`
          : `
      -- None found: the change set wrote one of these rows already (the input repeats its key,
      -- or an update of it came first). From step 6 that refuses it too, naming the repeated key
      -- if there is one.
      if missing is null then
        select coalesce(
          (select r."${keyField}" from jsonb_to_recordset(cs->'${key}') as r("${keyField}" text) group by 1 having count(*) > 1 limit 1),
          cs->'${key}'->0->>'${keyField}') into missing;
      end if;`
      }
      if missing is not null then ${conflict('unique', entity, 'missing')}; end if;
    end if;
  end if;`;
}

/**
 * The block of the commit function that applies a change set's `key` updates row by row on
 * `keyColumn`, each checked against its expected version; a row that does not match raises the
 * version conflict. `keep` columns are not written (figures that move only by increments),
 * and `also` is one more assignment. With `once` (step 6), a row this transaction already wrote
 * (the change set wrote the record before) is not updated again: a version conflict too.
 */
function updateRows(
  s: string,
  key: string,
  entity: string,
  table: string,
  columns: Column[],
  { keyColumn = 'id', keep = [], also, once = false }: { keyColumn?: string; keep?: string[]; also?: string; once?: boolean } = {},
): string {
  const recordset = columns.map(([field, , type]) => `"${field}" ${type}`).join(', ');
  const sets = columns
    .filter(([, column]) => column !== keyColumn && !keep.includes(column))
    .map(([field, column, , list]) => (list ? `${column} = nullif(coalesce(w."${field}", ${column}), '[]'::jsonb)` : `${column} = w."${field}"`));
  const keyField = columns.find(([, column]) => column === keyColumn)![0];
  return `
  if cs ? '${key}' then
    for w in select * from jsonb_to_recordset(cs->'${key}') as r(${recordset}, "expectedVersion" integer)
    loop
      update ${s}.${table} set ${[...sets, ...(also ? [also] : [])].join(', ')} where ${keyColumn} = w."${keyField}" and version = w."expectedVersion"${
        once ? ' and xmin <> pg_current_xact_id()::xid' : ''
      };
      statements := statements + 1;
      if not found then ${conflict('version', entity, `w."${keyField}"`)}; end if;
    end loop;
  end if;`;
}

/**
 * The block of the commit function (step 8) that checks the contacts a change set relies on
 * without writing them, before any write. `for share` holds each checked row until the
 * transaction ends: a concurrent update of it waits, and one that committed first fails the
 * check (the row is read again at its latest version), as a versioned update would.
 */
const contactChecks = (s: string) => `
  if cs ? 'contactChecks' then
    for w in select * from jsonb_to_recordset(cs->'contactChecks') as r(id text, version integer)
    loop
      perform 1 from ${s}.contacts where id = w.id and version = w.version for share;
      statements := statements + 1;
      if not found then ${conflict('version', 'contact', 'w.id')}; end if;
    end loop;
  end if;
`;

/**
 * A record field, its column and the column's SQL type. A `list` column (jsonb, `null` when
 * empty) is written as `[]` to empty it; a write without the field keeps it, as the writes of
 * engines from before the column do.
 */
type Column = [field: string, column: string, type: string, list?: 'list'];

const CONTACT_FIELDS: Column[] = [
  ['id', 'id', 'text'], ['channel', 'channel', 'text'], ['address', 'address', 'text'], ['name', 'name', 'text'],
  ['attributes', 'attributes', 'jsonb'], ['tags', 'tags', 'jsonb'], ['referral', 'referral', 'jsonb'],
  ['firstSeenAt', 'first_seen_at', 'timestamptz'], ['lastSeenAt', 'last_seen_at', 'timestamptz'],
  ['lastInboundAt', 'last_inbound_at', 'timestamptz'], ['version', 'version', 'integer'],
];
// Step 7's conversations owe bot turns.
const CONVERSATION_FIELDS = (v: CommitVersion): Column[] => [
  ['id', 'id', 'text'], ['contactId', 'contact_id', 'text'], ['channel', 'channel', 'text'], ['state', 'state', 'text'],
  ['assignee', 'assignee', 'text'], ['openedAt', 'opened_at', 'timestamptz'], ['lastActivityAt', 'last_activity_at', 'timestamptz'],
  ['lastInboundAt', 'last_inbound_at', 'timestamptz'], ['requestedAt', 'requested_at', 'timestamptz'],
  ['intervenedAt', 'intervened_at', 'timestamptz'], ['resolvedAt', 'resolved_at', 'timestamptz'], ['resolvedBy', 'resolved_by', 'text'],
  ['archivedAt', 'archived_at', 'timestamptz'], ['historyDueAt', 'history_due_at', 'timestamptz'], ['version', 'version', 'integer'],
  // An engine of an earlier release, writing during a rolling upgrade, keeps the turns owed.
  ...(v >= 7 ? [['pendingBotTurns', 'pending_bot_turns', 'jsonb', 'list'] as Column] : []),
];
// Step 1's messages had no campaign.
const MESSAGE_FIELDS = (v: CommitVersion): Column[] => [
  ['id', 'id', 'text'], ['conversationId', 'conversation_id', 'text'], ['contactId', 'contact_id', 'text'], ['channel', 'channel', 'text'],
  ['direction', 'direction', 'text'], ['author', 'author', 'jsonb'], ['content', 'content', 'jsonb'], ['externalId', 'external_id', 'text'],
  ['replyTo', 'reply_to', 'text'], ['status', 'status', 'text'], ['error', 'error', 'jsonb'], ['at', 'at', 'timestamptz'],
  ['statusAt', 'status_at', 'timestamptz'], ...(v === 1 ? [] : [['campaignId', 'campaign_id', 'text'] as Column]),
];
const JOURNEY_FIELDS: Column[] = [
  ['id', 'id', 'text'], ['contactId', 'contact_id', 'text'], ['conversationId', 'conversation_id', 'text'], ['type', 'type', 'text'],
  ['actor', 'actor', 'jsonb'], ['at', 'at', 'timestamptz'], ['data', 'data', 'jsonb'],
];

/** The steps that (re)define the commit function. */
type CommitVersion = 1 | 2 | 3 | 5 | 6 | 7 | 8;

/**
 * The commit function: applies a whole change set in the one statement that calls it, so a
 * unit of work is one round trip and one transaction. Inserts are multi-row with
 * `on conflict do nothing` and the ids that did not land name the unique conflict; versioned
 * updates run row by row on the primary key (`where version = expected`). Any conflict raises,
 * which rolls the statement back whole. Returns how many statements it ran, for benchmarks
 * (steps 1 and 2), or from step 3 `{ statements, claimed }` with the outbox ids it claimed.
 */
function commitFunction(s: string, v: CommitVersion): string {
  // Step 3 returns JSON, so that it can name the outbox inserts it claimed; a return type
  // cannot change in place, hence drop and create (in the step's transaction). Step 5 keeps it.
  const head =
    v === 1
      ? `create function ${s}.commit_changes(cs jsonb) returns integer`
      : v === 2
        ? `create or replace function ${s}.commit_changes(cs jsonb) returns integer`
        : v === 3
          ? `create function ${s}.commit_changes(cs jsonb) returns jsonb`
          : `create or replace function ${s}.commit_changes(cs jsonb) returns jsonb`;
  return `
${head} language plpgsql as $fn$
declare
  statements integer := 0;
  missing text;
  w record;${v >= 3 ? `
  claim_until timestamptz := (cs->>'claimOutboxUntil')::timestamptz;
  claimed jsonb := '[]'::jsonb;` : ''}${v >= 5 ? `
  landed integer;` : ''}
begin${v >= 8 ? contactChecks(s) : ''}
${insertRows(s, v, 'contactInserts', 'contact', 'contacts', CONTACT_FIELDS)}

${updateRows(s, 'contactUpdates', 'contact', 'contacts', CONTACT_FIELDS, { once: v >= 6 })}

  -- Updates before inserts: archiving a contact's open conversation frees the
  -- one-open-per-contact index for the conversation opened in the same change set.
${updateRows(s, 'conversationUpdates', 'conversation', 'conversations', CONVERSATION_FIELDS(v), { also: 'sweep_lease_until = null', once: v >= 6 })}

${insertRows(s, v, 'conversationInserts', 'conversation', 'conversations', CONVERSATION_FIELDS(v))}

${insertRows(s, v, 'messages', 'message', 'messages', MESSAGE_FIELDS(v))}

  if cs ? 'messageUpdates' then
    for w in select * from jsonb_to_recordset(cs->'messageUpdates') as r(
        id text, "expectedStatus" text, status text, "statusAt" timestamptz, "externalId" text,
        "setError" boolean, error jsonb)
    loop
      update ${s}.messages set status = w.status, status_at = w."statusAt",
        external_id = coalesce(w."externalId", external_id),
        error = case when w."setError" then w.error else error end
      where id = w.id and status = w."expectedStatus";
      statements := statements + 1;
      if not found then ${conflict('version', 'message', 'w.id')}; end if;
    end loop;
  end if;

${insertRows(s, v, 'journey', 'journey', 'journey', JOURNEY_FIELDS)}

  if cs ? 'outboxInserts' then
    with input as (
      select * from jsonb_to_recordset(cs->'outboxInserts') as r(
        id text, "messageId" text, "conversationId" text, "contactId" text, channel text, "to" text,
        content jsonb, "replyTo" text, attempts integer, "dueAt" timestamptz, "leaseUntil" timestamptz,
        "createdAt" timestamptz, "lastError" jsonb${v === 1 ? '' : ', "campaignId" text'})
    ), done as (
      insert into ${s}.outbox (id, message_id, conversation_id, contact_id, channel, recipient, content, reply_to,
        attempts, due_at, lease_until, created_at, last_error${v === 1 ? '' : ', campaign_id'})
      select id, "messageId", "conversationId", "contactId", channel, "to", content, "replyTo", attempts, "dueAt",
        ${v >= 3 ? outboxClaim(s) : '"leaseUntil"'}, "createdAt", "lastError"${v === 1 ? '' : ', "campaignId"'} from input
      on conflict do nothing returning id${v >= 3 ? ', lease_until' : ''}
    )
    select ${
      v < 6
        ? '(select i.id from input i where i.id not in (select id from done) limit 1)'
        : // An id the input repeats lands once and is in done: from step 6 that refuses it too.
          `coalesce((select i.id from input i where i.id not in (select id from done) limit 1),
      (select id from input group by id having count(*) > 1 limit 1))`
    }${
      v >= 3 ? `,
      coalesce((select jsonb_agg(id) from done where claim_until is not null and lease_until = claim_until), '[]'::jsonb)
    into missing, claimed` : ' into missing'};
    statements := statements + 1;
    if missing is not null then ${conflict('unique', 'outbox', 'missing')}; end if;
  end if;

  if cs ? 'outboxUpdates' then
    with input as (
      select * from jsonb_to_recordset(cs->'outboxUpdates') as r(id text, attempts integer, "dueAt" timestamptz, "lastError" jsonb)
    ), done as (
      update ${s}.outbox o set attempts = i.attempts, due_at = i."dueAt", last_error = i."lastError", lease_until = null
      from input i where o.id = i.id returning o.id
    )
    select i.id into missing from input i where i.id not in (select id from done) limit 1;
    statements := statements + 1;
    if missing is not null then ${conflict('version', 'outbox', 'missing')}; end if;
  end if;

  if cs ? 'outboxDeletes' then
    with input as (
      select value as id from jsonb_array_elements_text(cs->'outboxDeletes')
    ), done as (
      delete from ${s}.outbox where id in (select id from input) returning id
    )
    select i.id into missing from input i where i.id not in (select id from done) limit 1;
    statements := statements + 1;
    if missing is not null then ${conflict('version', 'outbox', 'missing')}; end if;
  end if;
${v === 1 ? '' : profileParts(s, v)}
  return ${v >= 3 ? `jsonb_build_object('statements', statements, 'claimed', claimed)` : 'statements'};
end
$fn$`;
}

/**
 * What `receive` reads, as one function (step 3): a function's statements are planned once per
 * session and then reused, where the same query sent as text is planned on every call (most of
 * its cost on PGlite, which has no prepared statements). The records come back as JSON of their
 * columns, which the row mappers read like rows.
 */
function findInboundFunction(s: string, v: 3 | 7): string {
  return `
${v === 3 ? 'create' : 'create or replace'} function ${s}.find_inbound(p_channel text, p_external_id text, p_address text) returns jsonb
language plpgsql stable as $fn$
declare
  found_contact jsonb;
  found_contact_id text;
begin
  select to_jsonb(r), r.id into found_contact, found_contact_id
  from (select ${CONTACT_COLUMNS} from ${s}.contacts where channel = p_channel and address = p_address) r;
  return jsonb_build_object(
    'message', (select to_jsonb(r) from (select ${MESSAGE_COLUMNS} from ${s}.messages where channel = p_channel and external_id = p_external_id) r),
    'contact', found_contact,
    'conversation', (select to_jsonb(r) from (select ${v === 3 ? CONVERSATION_COLUMNS_V3 : CONVERSATION_COLUMNS} from ${s}.conversations
                     where contact_id = found_contact_id and state <> 'history') r));
end
$fn$`;
}

/**
 * Several change sets in one transaction (step 6), applied in order by the commit function, one
 * answer each. The first refused raises, and nothing of the others is written: the caller then
 * commits them one by one (see commit-group.ts). From step 8 groups also run on a pool, where
 * two instances' groups can take the same rows in opposite orders: a group that waits for a
 * lock longer than a group takes gives up (`lock_timeout`, this transaction only) instead of
 * waiting for the deadlock detector, and its change sets go one by one.
 */
function commitGroupFunction(s: string, v: 6 | 8): string {
  return `
${v === 6 ? 'create' : 'create or replace'} function ${s}.commit_group(change_sets jsonb) returns jsonb
language plpgsql as $fn$
declare
  results jsonb := '[]'::jsonb;
begin${v >= 8 ? `
  perform set_config('lock_timeout', '${GROUP_LOCK_TIMEOUT}', true);` : ''}
  for i in 0 .. jsonb_array_length(change_sets) - 1 loop
    results := results || jsonb_build_array(${s}.commit_changes(change_sets -> i));
  end loop;
  return results;
end
$fn$`;
}

/**
 * The lease of an inserted outbox item (step 3): claimed for the committer when the change set
 * asks and the conversation had nothing queued (the insert's snapshot does not see the rows it
 * inserts, so several items of one new queue are claimed together). Two commits that queue for
 * one conversation at once also both write its row, so one of them waits and then conflicts.
 */
function outboxClaim(s: string): string {
  return `case when claim_until is not null
          and not exists (select 1 from ${s}.outbox q where q.conversation_id = input."conversationId")
        then claim_until else "leaseUntil" end`;
}

/**
 * The schema's history for schema `s` (an already validated identifier).
 *
 * Every query the store makes has an index behind it:
 * - inbox: `conversations (state, last_activity_at, id)` and, for one agent's chats,
 *   `(assignee, state, last_activity_at, id)`;
 * - due History times: `conversations (history_due_at, id) where state <> 'history'`, so a sweep
 *   reads what is due, not what is stored;
 * - owed bot turns: `conversations (id) where pending_bot_turns is not null`, which holds only
 *   conversations with a turn in flight, so resuming lost turns reads those;
 * - one open conversation per contact: a partial unique index on `contact_id`;
 * - idempotency keys: `contacts (channel, address)` and `messages (channel, external_id)`;
 * - timelines: `messages (conversation_id, at, id)`, `journey (contact_id, at, id)`;
 * - outbox: `(due_at, id)`, and `(conversation_id, created_at, id)` for each conversation's queue.
 * Audiences (the profile issue) query contacts by tag (`tags ? 'vip'`, GIN on `tags`) and by
 * attribute (`attributes @> '{"plan":"pro"}'`, GIN `jsonb_path_ops` on `attributes`).
 */
export function migrations(s: string): Migration[] {
  return [
    {
      version: 1,
      name: 'initial schema',
      statements: [
        `create table ${s}.contacts (
          id text primary key,
          channel text not null,
          address text not null,
          name text,
          attributes jsonb not null,
          tags jsonb not null,
          referral jsonb,
          first_seen_at timestamptz not null,
          last_seen_at timestamptz not null,
          last_inbound_at timestamptz,
          version integer not null,
          constraint contacts_address_key unique (channel, address)
        )`,
        `create index contacts_tags_idx on ${s}.contacts using gin (tags)`,
        `create index contacts_attributes_idx on ${s}.contacts using gin (attributes jsonb_path_ops)`,
        `create table ${s}.conversations (
          id text primary key,
          contact_id text not null references ${s}.contacts (id),
          channel text not null,
          state text not null check (state in ('active', 'requested', 'intervened', 'resolved', 'history')),
          assignee text,
          opened_at timestamptz not null,
          last_activity_at timestamptz not null,
          last_inbound_at timestamptz,
          requested_at timestamptz,
          intervened_at timestamptz,
          resolved_at timestamptz,
          resolved_by text,
          archived_at timestamptz,
          history_due_at timestamptz not null,
          version integer not null,
          sweep_lease_until timestamptz
        )`,
        `create index conversations_inbox_idx on ${s}.conversations (state, last_activity_at, id)`,
        `create index conversations_assignee_idx on ${s}.conversations (assignee, state, last_activity_at, id) where assignee is not null`,
        `create index conversations_due_idx on ${s}.conversations (history_due_at, id) where state <> 'history'`,
        `create unique index conversations_one_open_idx on ${s}.conversations (contact_id) where state <> 'history'`,
        `create table ${s}.messages (
          id text primary key,
          conversation_id text not null references ${s}.conversations (id),
          contact_id text not null,
          channel text not null,
          direction text not null,
          author jsonb not null,
          content jsonb not null,
          external_id text,
          reply_to text,
          status text not null,
          error jsonb,
          at timestamptz not null,
          status_at timestamptz not null,
          constraint messages_external_id_key unique (channel, external_id)
        )`,
        `create index messages_timeline_idx on ${s}.messages (conversation_id, at, id)`,
        `create table ${s}.journey (
          id text primary key,
          contact_id text not null references ${s}.contacts (id),
          conversation_id text,
          type text not null,
          actor jsonb not null,
          at timestamptz not null,
          data jsonb not null
        )`,
        `create index journey_timeline_idx on ${s}.journey (contact_id, at, id)`,
        `create table ${s}.outbox (
          id text primary key,
          message_id text not null references ${s}.messages (id),
          conversation_id text not null,
          contact_id text not null,
          channel text not null,
          recipient text not null,
          content jsonb not null,
          reply_to text,
          attempts integer not null,
          due_at timestamptz not null,
          lease_until timestamptz,
          created_at timestamptz not null,
          last_error jsonb
        )`,
        `create index outbox_due_idx on ${s}.outbox (due_at, id)`,
        `create index outbox_queue_idx on ${s}.outbox (conversation_id, created_at, id)`,
        `create table ${s}.agents (
          id text primary key,
          name text not null,
          role text not null
        )`,
        commitFunction(s, 1),
      ],
    },
    {
      version: 2,
      name: 'profiles, tag catalog, attribute definitions, campaigns',
      statements: [
        // Broadcast messages belong to no conversation and name their campaign.
        `alter table ${s}.messages alter column conversation_id drop not null`,
        `alter table ${s}.messages add column campaign_id text`,
        `alter table ${s}.outbox add column campaign_id text`,
        `create table ${s}.attribute_definitions (
          key text primary key,
          type text not null,
          label text not null,
          options jsonb,
          description text,
          created_at timestamptz not null,
          version integer not null
        )`,
        `create table ${s}.tag_definitions (
          name text primary key,
          category text not null,
          description text,
          color text,
          created_at timestamptz not null,
          version integer not null
        )`,
        `create table ${s}.campaigns (
          id text primary key,
          name text not null,
          tag text not null,
          channel text not null,
          template jsonb not null,
          audience jsonb not null,
          status text not null,
          created_by jsonb not null,
          created_at timestamptz not null,
          finished_at timestamptz,
          queue_cursor text,
          counts jsonb not null,
          version integer not null
        )`,
        `create index campaigns_created_idx on ${s}.campaigns (created_at, id)`,
        // Dashboards read events of a few types over a time range, across contacts.
        `create index journey_type_idx on ${s}.journey (type, at, id)`,
        // Audiences by last-seen time (tags and attributes use the GIN indexes of step 1).
        `create index contacts_last_seen_idx on ${s}.contacts (last_seen_at)`,
        commitFunction(s, 2),
      ],
    },
    {
      version: 3,
      name: 'the commit claims the sends it queues; the receive lookup as a function',
      statements: [`drop function ${s}.commit_changes(jsonb)`, commitFunction(s, 3), findInboundFunction(s, 3)],
    },
    {
      // Every inbound message updates its contact (last seen, last inbound). With last_seen_at
      // indexed, each of those updates wrote a new entry in every contact index, the two GIN
      // indexes over tags and attributes included: a quarter of a message's WAL. Indexed by day,
      // the update changes no indexed value within a day, so PostgreSQL makes it a HOT update
      // (no index entries), given room on the page (fillfactor 90). Audiences by last seen
      // narrow by day on the index and check the exact time on the rows.
      version: 4,
      name: 'contact updates without index writes: last seen indexed by day',
      statements: [
        `alter table ${s}.contacts add column last_seen_day date generated always as ((last_seen_at at time zone 'UTC')::date) stored`,
        `drop index ${s}.contacts_last_seen_idx`,
        `create index contacts_last_seen_day_idx on ${s}.contacts (last_seen_day)`,
        `alter table ${s}.contacts set (fillfactor = 90)`,
      ],
    },
    {
      version: 5,
      name: 'the commit inserts rows without reading them back',
      statements: [commitFunction(s, 5)],
    },
    {
      version: 6,
      name: 'several change sets in one transaction; a change set that inserts one key twice is refused',
      statements: [commitFunction(s, 6), commitGroupFunction(s, 6)],
    },
    {
      // A conversation owes the bot's answer from the commit of the customer's message to the
      // commit of the bot's turn, so a turn lost with its process is resumed. Only turns in
      // flight (and what a crash left) are owed at a time: the partial index holds just those.
      version: 7,
      name: 'conversations record the bot turns they are owed',
      statements: [
        `alter table ${s}.conversations add column pending_bot_turns jsonb`,
        `create index conversations_bot_turns_idx on ${s}.conversations (id) where pending_bot_turns is not null`,
        commitFunction(s, 7),
        findInboundFunction(s, 7),
      ],
    },
    {
      // A customer's message within a minute of the last one leaves the contact as it is (its
      // last seen is kept to the minute) and only checks the contact's version. Groups run on
      // pools too, and give up on a lock held longer than a group takes.
      version: 8,
      name: 'the commit checks contacts it does not write; groups give up on long lock waits',
      statements: [commitFunction(s, 8), commitGroupFunction(s, 8)],
    },
  ];
}
