// Benchmarks of the PostgreSQL store (issue 4). Standalone: `npx tsx test/bench/postgres/main.ts`;
// `npm run bench` calls `main()`, which prints its tables and returns summary rows.
//
// - inbound messages/s through the engine with 1, 4 and 16 concurrent producers, against a floor
//   measured in the same run: single-row INSERTs of the same message rows, each its own
//   transaction, both from 100 customers that exist before the clock starts; beside it the same
//   writing the contact on every message, the same with the bot answering and its reply sent,
//   and new customers' first messages; on PGlite always, on DATABASE_URL when set;
// - statements and round trips per inbound message on the common path, counted on the client;
// - with 1M conversations and 100k contacts (server only): inbox pages, contact by address, owed
//   bot turns due and a sweep of 1k due, each with its query plan checked and its median time.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { postgresStore, type PgPoolLike, type PostgresClient, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import { createLiveChat, keywordBot, memoryTransport, silentLogger, type ReceiveInput } from '../../../src/index.js';
import { statementSender } from '../../../src/adapters/postgres/client.js';
import { describePlan, loadVolume, planOf, queryCases, recordingClient } from '../../adapters/postgres/volume.js';
import { formatTable } from '../../../examples/demo/table.js';
import { dur, num, scaled, section, type SummaryRow } from '../report.js';

const DATABASE_URL = process.env.DATABASE_URL;
const BENCH = 'postgres';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Prints a table: the first column left-aligned, the figures right-aligned. */
const table = (headers: string[], rows: string[][]) =>
  console.log(formatTable(headers.map((header, i) => ({ header, align: i === 0 ? 'left' : 'right', max: 100 })), rows, ''));

let schemas = 0;
async function freshStore(client: PostgresClient): Promise<PostgresStore> {
  const store = postgresStore({ client, schema: `bench_${process.pid}_${(schemas += 1)}` });
  await store.migrate();
  return store;
}
const dropStore = (store: PostgresStore) => store.client.query(`drop schema if exists ${store.schema} cascade`);

/** Customer messages `first` to `first + count - 1`, from `contacts` customers, as a webhook would hand them over. */
const inbound = (count: number, contacts: number, tag: string, first = 0): ReceiveInput[] =>
  Array.from({ length: count }, (_, j) => first + j).map((i) => ({
    channel: 'whatsapp',
    from: `+1${tag}${String(i % contacts).padStart(7, '0')}`,
    externalId: `wamid.${tag}.${i}`,
    profile: { name: `Customer ${i % contacts}` },
    content: { type: 'text', text: `Hello, message ${i} here: do you ship to Berlin?` },
  }));

/** Runs `work` over `items` with `producers` concurrent lanes; returns the wall time. */
async function lanes<T>(items: T[], producers: number, work: (item: T) => Promise<unknown>): Promise<number> {
  const queue = [...items];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
  return performance.now() - start;
}

/**
 * One side of the ingest comparison, set up before any clock starts and then timed a chunk at a
 * time: `run(n)` takes in its next `n` messages and returns the wall time; `close()` checks that
 * every message was stored and drops the schema.
 */
interface Contender {
  run(messages: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The engine taking in messages. With `bot`, the whole path: receive, the bot's turn, its reply
 * sent and recorded, everything committed. Without, what the floor does: the inbound message
 * taken in (conversation, message and journey in one commit, which checks the contact's version
 * or, with `contactEveryMessage` or a minute after its last seen, writes the contact too).
 *
 * `known`: the 100 customers have each written once before the clock starts, so every timed
 * message finds its customer and open chat, as every floor row finds its contact and
 * conversation (made before its clock starts). `new`: each message is a new customer's first,
 * which also creates the contact and the conversation.
 */
async function engineContender(
  client: PostgresClient,
  producers: number,
  { bot = false, customers = 'known', contactEveryMessage = false }: { bot?: boolean; customers?: 'known' | 'new'; contactEveryMessage?: boolean } = {},
): Promise<Contender> {
  const store = await freshStore(client);
  const chat = createLiveChat({
    store,
    transport: memoryTransport(),
    logger: silentLogger,
    ...(bot ? { bot: keywordBot({ fallback: 'Thanks, an answer is on its way.' }) } : {}),
    ...(contactEveryMessage ? { policy: { lastSeenPrecisionMs: 0 } } : {}),
  });
  const known = customers === 'known' ? 100 : 0;
  const tag = `7${producers}`;
  let taken = 0;
  const next = (n: number) => {
    const messages = inbound(n, customers === 'known' ? 100 : 1e9, tag, taken);
    taken += n;
    return messages;
  };
  await lanes(next(known), producers, (m) => chat.receive(m));
  await chat.idle();
  return {
    async run(n) {
      const messages = next(n);
      const start = performance.now();
      await lanes(messages, producers, (m) => chat.receive(m));
      await chat.idle();
      return performance.now() - start;
    },
    async close() {
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${store.schema}.messages where status = $1`, [bot ? 'sent' : 'received']);
      if (rows[0]!.n !== taken) throw new Error(`expected ${taken} messages ${bot ? 'sent' : 'received'}, found ${rows[0]!.n}`);
      await dropStore(store);
    },
  };
}

/**
 * The floor: each inbound message row alone, one INSERT, its own transaction, sent as the store
 * sends its statements (see below), into the conversations of 100 contacts made beforehand.
 */
async function floorContender(client: PostgresClient, producers: number): Promise<Contender> {
  const store = await freshStore(client);
  const s = store.schema;
  await client.query(
    `insert into ${s}.contacts (id, channel, address, name, attributes, tags, first_seen_at, last_seen_at, version)
     select 'ct_' || i, 'whatsapp', '+1' || i, null, '{}', '{}', now(), now(), 1 from generate_series(0, 99) i`,
  );
  await client.query(
    `insert into ${s}.conversations (id, contact_id, channel, state, opened_at, last_activity_at, history_due_at, version)
     select 'conv_' || i, 'ct_' || i, 'whatsapp', 'active', now(), now(), now() + interval '1 day', 1 from generate_series(0, 99) i`,
  );
  const sql = `insert into ${s}.messages (id, conversation_id, contact_id, channel, direction, author, content, external_id, reply_to, status, error, at, status_at)
               values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11::jsonb, $12::timestamptz, $13::timestamptz)`;
  // Sent the way the store sends its own statements, so that the ratio compares the work and not
  // the client's protocol: prepared once per connection on a pool, in one call on PGlite.
  const send = statementSender(client);
  let taken = 0;
  return {
    async run(n) {
      const at = new Date().toISOString();
      const rows = inbound(n, 100, `8${producers}`, taken).map((m, j) => {
        const i = taken + j;
        return [`msg_${i}`, `conv_${i % 100}`, `ct_${i % 100}`, m.channel, 'inbound', JSON.stringify({ type: 'customer' }), JSON.stringify(m.content), m.externalId, null, 'received', null, at, at];
      });
      taken += n;
      return lanes(rows, producers, (params) => send(sql, params));
    },
    async close() {
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${s}.messages`);
      if (rows[0]!.n !== taken) throw new Error(`expected ${taken} floor rows, found ${rows[0]!.n}`);
      await dropStore(store);
    },
  };
}

/** One contender's whole run of `count` messages, in messages/s. */
async function rateOf(contender: Promise<Contender>, count: number): Promise<number> {
  const side = await contender;
  const elapsed = await side.run(count);
  await side.close();
  return (count / elapsed) * 1000;
}

/**
 * How many chunks the floor and the engine alternate in. A shared machine's bursts last a
 * second or so: in chunks of a tenth of the messages, a burst falls on both sides alike instead
 * of deciding one side's figure.
 */
const CHUNKS = 10;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function throughput(label: string, client: PostgresClient, count: number, summary: SummaryRow[]): Promise<void> {
  const chunk = Math.max(1, Math.round(count / CHUNKS));
  section(`inbound messages/s on ${label} (${num(chunk * CHUNKS)} timed messages per contender)`);
  const rows: string[][] = [];
  for (const producers of [1, 4, 16]) {
    const floor = await floorContender(client, producers);
    const engine = await engineContender(client, producers);
    // The engine's customers wrote once before its clock; the floor takes a chunk untimed too,
    // so that neither side's first timed chunk prepares statements or warms the JIT.
    await floor.run(chunk);
    const floorTimes: number[] = [];
    const engineTimes: number[] = [];
    for (let round = 0; round < CHUNKS; round += 1) {
      // Each goes first every other round.
      if (round % 2 === 0) floorTimes.push(await floor.run(chunk));
      engineTimes.push(await engine.run(chunk));
      if (round % 2 === 1) floorTimes.push(await floor.run(chunk));
    }
    await floor.close();
    await engine.close();
    const [floorRate, ingest] = [(chunk * CHUNKS * 1000) / sum(floorTimes), (chunk * CHUNKS * 1000) / sum(engineTimes)];
    const paired = floorTimes.map((f, i) => f / engineTimes[i]!).sort((a, b) => a - b);
    const everyMessage = await rateOf(engineContender(client, producers, { contactEveryMessage: true }), count);
    const full = await rateOf(engineContender(client, producers, { bot: true }), count);
    const fresh = await rateOf(engineContender(client, producers, { customers: 'new' }), count);
    rows.push([
      String(producers),
      num(floorRate),
      num(ingest),
      `${num(ingest / floorRate, 2)}x`,
      `${num(paired[0]!, 2)} / ${num(median(paired), 2)} / ${num(paired[paired.length - 1]!, 2)}`,
      num(everyMessage),
      `${num(everyMessage / floorRate, 2)}x`,
      num(full),
      `${num(full / floorRate, 2)}x`,
      num(fresh),
      `${num(fresh / floorRate, 2)}x`,
    ]);
    const lanes = `${producers} producer${producers > 1 ? 's' : ''}`;
    summary.push(
      {
        bench: BENCH,
        metric: `${label}: engine inbound msg/s, ${lanes} (vs single-row INSERT floor)`,
        value: `${num(ingest)} (${num(ingest / floorRate, 2)}x of ${num(floorRate)})`,
        target: '>= 0.33x floor',
        verdict: ingest / floorRate >= 1 / 3 ? 'PASS' : 'MISS',
      },
      { bench: BENCH, metric: `${label}: the same writing the contact on every message, ${lanes}`, value: `${num(everyMessage)} (${num(everyMessage / floorRate, 2)}x)` },
      { bench: BENCH, metric: `${label}: the same with the bot answering and its reply sent, ${lanes}`, value: `${num(full)} (${num(full / floorRate, 2)}x)` },
      { bench: BENCH, metric: `${label}: first messages of new customers, ${lanes}`, value: `${num(fresh)} (${num(fresh / floorRate, 2)}x)` },
    );
  }
  table(['producers', 'floor msg/s', 'engine msg/s', 'engine/floor', 'per chunk: min / median / max', 'contact each msg', '/floor', '+ bot reply sent', '/floor', 'new customers', '/floor'], rows);
  console.log(`floor and engine: ${CHUNKS} chunks of ${num(chunk)} messages each, alternating (each first every other round, the floor’s`);
  console.log('  warmed by one untimed chunk as the engine is by its customers’ first messages), each side on its own schema;');
  console.log('  their rates are over all chunks, and the ratio of the two is the figure of record. The other columns: one run.');
  console.log('floor: one single-row INSERT of the same inbound message row per message, autocommit (its own transaction),');
  console.log('  into the conversations of 100 contacts made before the clock starts; sent as the store sends its statements');
  console.log('  (prepared once per connection on a pool, one protocol call on PGlite).');
  console.log('engine: receive of a known customer’s message (each of the 100 wrote once before the clock starts, as the');
  console.log('  floor’s rows have their conversations, and is in the engine’s inbound cache): one commit of the conversation,');
  console.log('  message and journey, with no read. The timed messages come within a minute of each customer’s last seen, so the');
  console.log('  commit checks the contact’s version instead of writing it (policy.lastSeenPrecisionMs). Commits that queue');
  console.log('  behind one in the database share a transaction (group commit; on a pool, two groups at a time).');
  console.log('contact each msg: the same with lastSeenPrecisionMs 0, so every message also writes the contact. One run.');
  console.log('+ bot reply sent: also the bot’s turn (one commit that claims its send), the send and its record (one commit),');
  console.log('  and the look for sends queued behind it (one claim): three write transactions per message against the floor’s one.');
  console.log(`new customers: ${num(count)} customers, every message a new one’s first: a read (duplicate, contact, open chat),`);
  console.log('  then one commit that also creates the contact and the conversation, with four journey entries.');
}

/** Counts round trips (query calls) per phase, and the statements the commit function ran. */
async function roundTrips(label: string, client: PostgresClient, summary: SummaryRow[]): Promise<void> {
  section(`statements and round trips per inbound message on ${label} (common path: known customer, open chat, bot answers)`);
  const calls: Array<{ sql: string; inner: number }> = [];
  const counting = new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'query')
        return async (statement: string | { name: string; text: string }, params?: unknown[]) => {
          const result = typeof statement === 'string' ? await target.query(statement, params) : await (target as PgPoolLike).query(statement);
          const sql = typeof statement === 'string' ? statement : statement.text;
          // A write is a commit (which reports the statements its function ran) or a claim.
          const read = /^\s*select/i.test(sql) && !/commit_(changes|group)/.test(sql);
          const inner = read ? 0 : /commit_changes/.test(sql) ? (result.rows[0] as { result: { statements: number } }).result.statements : 1;
          calls.push({ sql, inner });
          return result;
        };
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const store = await freshStore(counting);
  const chat = createLiveChat({ store, transport: memoryTransport(), logger: silentLogger, bot: keywordBot({ fallback: 'Thanks!' }) });
  const n = scaled(200, 50);
  const [first, ...rest] = inbound(n + 1, 1, '9');
  await chat.receive(first!);
  await chat.idle();
  // Phase by phase: the receive's own commit, then everything until the reply was sent.
  let receiveCalls = 0;
  let receiveInner = 0;
  let totalCalls = 0;
  let commits = 0;
  let inner = 0;
  for (const message of rest) {
    calls.length = 0;
    await chat.receive(message, { waitForBot: false });
    receiveCalls += calls.length;
    receiveInner += calls.reduce((sum, c) => sum + c.inner, 0);
    await chat.idle();
    totalCalls += calls.length;
    commits += calls.filter((c) => c.inner > 0).length;
    inner += calls.reduce((sum, c) => sum + c.inner, 0);
  }
  await dropStore(store);
  const per = (x: number) => num(x / rest.length, 2);
  table(
    ['per inbound message', 'round trips', 'transactions that write', 'statements inside them'],
    [
      ['receive (until the message is stored)', per(receiveCalls), '1', per(receiveInner)],
      ['the whole path (+ bot reply + send)', per(totalCalls), per(commits), per(inner)],
    ],
  );
  console.log('Every round trip is one statement, in its own implicit transaction. Writes are the commits (select');
  console.log('commit_changes($1), whose function runs one statement per kind of record written, and one per contact');
  console.log('checked: the receive here is the contact check, the conversation, the message and the journey) and the');
  console.log('outbox claim (one UPDATE ... FOR UPDATE SKIP LOCKED); everything else is a single-row read.');
  summary.push(
    {
      bench: BENCH,
      metric: `${label}: the inbound message's commit: transactions / client statements / statements inside`,
      value: `1 / 1 / ${per(receiveInner)}`,
      target: '1 transaction, <= 6 statements',
      verdict: receiveInner / rest.length <= 6 ? 'PASS' : 'MISS',
    },
    { bench: BENCH, metric: `${label}: round trips per inbound message, whole common path (receive, bot, send)`, value: per(totalCalls) },
  );
}

/** 1M conversations and 100k contacts: plans and median times of the inbox, lookups and a sweep. */
async function atScale(pool: pg.Pool, summary: SummaryRow[]): Promise<void> {
  const volume = { contacts: scaled(100_000, 1_000), conversations: scaled(1_000_000, 10_000), due: 1_000, agents: 20 };
  section(`with ${num(volume.conversations)} conversations and ${num(volume.contacts)} contacts (PostgreSQL server)`);
  const recorder = recordingClient(pool as PostgresClient);
  const store = postgresStore({ client: recorder.client, schema: `bench_${process.pid}_scale` });
  await store.migrate();
  const now = new Date().toISOString();
  const loadStart = performance.now();
  await loadVolume(store, volume, now);
  console.log(`loaded with generate_series in ${dur(performance.now() - loadStart)}`);
  const rows: string[][] = [];
  const cases = queryCases(now, volume).filter((c) => /inbox page|contact by address|claimDue|bot turns/.test(c.name));
  for (const query of cases) {
    recorder.statements.length = 0;
    await query.run(store);
    const { sql, params } = recorder.statements[recorder.statements.length - 1]!;
    const plan = await planOf(pool, sql, params);
    const indexed = plan.some((n) => n.index === query.index) && !plan.some((n) => n.nodeType === 'Seq Scan');
    const times: number[] = [];
    // claimDue claims: its timing runs on a copy of the query that only reads.
    const run = query.name.includes('claimDue') ? () => store.listDue({ now, limit: 100 }) : () => query.run(store);
    for (let i = 0; i < 41; i += 1) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    rows.push([query.name, dur(median(times)), indexed ? 'index' : 'NO INDEX', describePlan(plan)]);
    summary.push({ bench: BENCH, metric: `${num(volume.conversations)} conversations: ${query.name} (median)`, value: dur(median(times)), target: `uses ${query.index}`, verdict: indexed ? 'PASS' : 'MISS' });
  }

  // The plan check above claimed a batch: release it, so the sweep finds all 1k due.
  await pool.query(`update ${store.schema}.conversations set sweep_lease_until = null where sweep_lease_until is not null`);
  // The sweep: the engine archives 1k due conversations; then 1k more are made due, three times.
  const chat = createLiveChat({ store, logger: silentLogger });
  const sweeps: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    if (round > 0)
      await pool.query(
        `update ${store.schema}.conversations set last_activity_at = $1::timestamptz - interval '25 hours', history_due_at = $1::timestamptz - interval '1 hour'
         where id = any(array(select id from ${store.schema}.conversations where state <> 'history' and history_due_at > $1 order by id limit 1000))`,
        [now],
      );
    const start = performance.now();
    const { archived } = await chat.sweep();
    sweeps.push(performance.now() - start);
    if (archived !== 1000) throw new Error(`sweep archived ${archived}, expected 1000`);
  }
  rows.push(['sweep: 1,000 due archived by chat.sweep()', dur(median(sweeps)), '', `${num(1000 / (median(sweeps) / 1000))} conversations/s`]);
  summary.push({ bench: BENCH, metric: `${num(volume.conversations)} conversations: sweep of 1,000 due (median of 3)`, value: dur(median(sweeps)) });
  table(['query (median of 41; sweep of 3)', 'time', 'plan', 'plan nodes'], rows);
  await pool.query(`drop schema ${store.schema} cascade`);
}

/** Runs every postgres benchmark, prints the tables, returns the summary rows. */
export async function main(): Promise<SummaryRow[]> {
  const summary: SummaryRow[] = [];
  const lite = await PGlite.create();
  try {
    await roundTrips('PGlite', lite, summary);
    await throughput('PGlite', lite, scaled(1000, 100), summary);
  } finally {
    await lite.close();
  }
  if (!DATABASE_URL) {
    console.log('\nDATABASE_URL is not set: the PostgreSQL server benchmarks (throughput, 1M conversations) were skipped.');
    return summary;
  }
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 16 });
  try {
    await roundTrips('PostgreSQL', pool, summary);
    await throughput('PostgreSQL', pool, scaled(1000, 100), summary);
    await atScale(pool, summary);
  } finally {
    await pool.end();
  }
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const summary = await main();
  section('summary');
  table(
    ['metric', 'value', 'target', ''],
    summary.map((r) => [r.metric, r.value, r.target ?? '', r.verdict ?? '']),
  );
}
