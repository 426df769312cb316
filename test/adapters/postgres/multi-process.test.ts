import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import { createLiveChat, silentLogger, type ReceiveInput } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';
import { DATABASE_URL, uniqueSchema, warnWithoutServer } from './databases.js';
import { removeWorkerScript, shuffled, spawn, startWorker, type Worker } from './workers.js';

// Separate Node processes, each its own engine instance on its own pool, sharing one database:
// the scale-out guarantees of DESIGN.md section 5, tested for real.

const text = (t: string) => ({ type: 'text' as const, text: t });

/** `count` webhook messages from `contacts` customers; each gets exactly one bot reply. */
function webhookMessages(count: number, contacts: number, tag: string): ReceiveInput[] {
  return Array.from({ length: count }, (_, i) => ({
    channel: 'whatsapp',
    from: `+1${tag}${String(i % contacts).padStart(6, '0')}`,
    externalId: `wamid.${tag}.${i}`,
    profile: { name: `Customer ${i % contacts}` },
    content: text(i % 5 === 0 ? 'what is the price?' : i % 17 === 0 ? 'an agent please' : `message ${i}`),
  }));
}

/** Everything observable per customer, without ids or times (they differ run to run). */
async function projection(pool: pg.Pool, schema: string) {
  const contacts = await pool.query(`select id, address, name, tags from ${schema}.contacts`);
  const byId = new Map(contacts.rows.map((c) => [c.id as string, c.address as string]));
  const view = new Map<string, { name: string; tags: string[]; inbound: string[]; outbound: string[]; statuses: string[]; journey: Record<string, number>; states: string[] }>();
  for (const c of contacts.rows) view.set(c.address, { name: c.name, tags: Object.keys(c.tags).sort(), inbound: [], outbound: [], statuses: [], journey: {}, states: [] });
  for (const m of (await pool.query(`select contact_id, direction, external_id, content, status from ${schema}.messages`)).rows) {
    const v = view.get(byId.get(m.contact_id)!)!;
    if (m.direction === 'inbound') v.inbound.push(m.external_id);
    else {
      v.outbound.push(m.content.text);
      v.statuses.push(m.status);
    }
  }
  for (const e of (await pool.query(`select contact_id, type from ${schema}.journey`)).rows) {
    const v = view.get(byId.get(e.contact_id)!)!;
    v.journey[e.type] = (v.journey[e.type] ?? 0) + 1;
  }
  for (const c of (await pool.query(`select contact_id, state from ${schema}.conversations`)).rows) view.get(byId.get(c.contact_id)!)!.states.push(c.state);
  for (const v of view.values()) {
    v.inbound.sort();
    v.outbound.sort();
    v.statuses.sort();
    v.states.sort();
  }
  return Object.fromEntries([...view].sort(([a], [b]) => (a < b ? -1 : 1)));
}

warnWithoutServer('multi-process tests (8 engine processes on one PostgreSQL)');
describe.skipIf(!DATABASE_URL)('many engine processes, one PostgreSQL', () => {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const workers: Worker[] = [];
  // Eight engine processes started once and reopened on each test's schema.
  let eight: Worker[] = [];

  /** A migrated schema of its own for one test. */
  async function freshStore(label: string): Promise<PostgresStore> {
    const store = postgresStore({ client: pool, schema: uniqueSchema(label) });
    schemas.push(store.schema);
    await store.migrate();
    return store;
  }
  async function start(count: number, init: Parameters<typeof startWorker>[0]): Promise<Worker[]> {
    const started = await Promise.all(Array.from({ length: count }, () => startWorker(init)));
    workers.push(...started);
    return started;
  }
  /** The first `count` of the shared workers, reopened on `schema`. */
  async function reopen(count: number, schema: string): Promise<Worker[]> {
    const list = eight.slice(0, count);
    await Promise.all(list.map((w) => w.call({ cmd: 'open', schema })));
    return list;
  }
  async function closeAll(list: Worker[]) {
    await Promise.all(list.map((w) => w.call({ cmd: 'close' }).catch(() => undefined)));
    await Promise.all(list.map((w) => w.exited));
  }

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
    eight = await Promise.all(Array.from({ length: 8 }, () => spawn()));
    workers.push(...eight);
  }, 120_000);
  afterAll(async () => {
    await closeAll(eight);
    for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGKILL');
    for (const schema of schemas) await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
    removeWorkerScript();
  }, 60_000);

  it('8 processes receiving the same 2,000 webhook messages in different orders end as one process would', async () => {
    const messages = webhookMessages(2000, 250, '31');
    const reference = await freshStore('single');
    const shared = await freshStore('shared');

    const [single] = await reopen(1, reference.schema);
    await single!.call({ cmd: 'receive', messages, concurrency: 8 });
    // What the scheduler's next tick does: a reply queued behind a send in flight elsewhere
    // (claims take a conversation's queue from its head) goes out on the next dispatch.
    await single!.call({ cmd: 'flush' });
    const referenceSent = await single!.call<string[]>({ cmd: 'sent' });

    const all = await reopen(8, shared.schema);
    const results = await Promise.all(
      all.map((w, i) => w.call<Array<{ externalId: string; duplicate: boolean }>>({ cmd: 'receive', messages: shuffled(messages, i + 1), concurrency: 4 })),
    );
    await Promise.all(all.map((w) => w.call({ cmd: 'flush' })));
    const sent = (await Promise.all(all.map((w) => w.call<string[]>({ cmd: 'sent' })))).flat();

    // Every message was taken exactly once across the 16,000 deliveries; the rest were duplicates.
    const fresh = results.flat().filter((r) => !r.duplicate).map((r) => r.externalId);
    expect(fresh.sort()).toEqual(messages.map((m) => m.externalId).sort());
    expect(await projection(pool, shared.schema)).toEqual(await projection(pool, reference.schema));

    const counts = await pool.query(
      `select (select count(*) from ${shared.schema}.messages where direction = 'inbound')::int as inbound,
              (select count(*) from ${shared.schema}.messages where direction = 'outbound' and status = 'sent')::int as sent,
              (select count(*) from ${shared.schema}.journey where type = 'message.received')::int as received,
              (select count(*) from ${shared.schema}.journey where type = 'bot.replied')::int as replied,
              (select count(*) from ${shared.schema}.outbox)::int as outbox`,
    );
    expect(counts.rows[0]).toEqual({ inbound: 2000, sent: 2000, received: 2000, replied: 2000, outbox: 0 });
    // One send per outbound message across all processes: no reply went out twice.
    expect(sent).toHaveLength(2000);
    expect(new Set(sent).size).toBe(2000);
    expect(referenceSent).toHaveLength(2000);
  }, 300_000);

  it('8 agents in 8 processes intervening on one conversation at once: exactly one wins', async () => {
    const store = await freshStore('intervene');
    const chat = createLiveChat({ store, logger: silentLogger });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550900', externalId: 'wamid.race', content: text('help') });
    const all = await reopen(8, store.schema);
    const outcomes = await Promise.all(
      all.map((w, i) => w.call<{ won: boolean; assignee?: string; code?: string; details?: Record<string, unknown> }>({ cmd: 'intervene', conversationId: conversation.id, agentId: `agent${i}` })),
    );
    const winners = outcomes.filter((o) => o.won);
    expect(winners).toHaveLength(1);
    const owner = winners[0]!.assignee!;
    const losers = outcomes.filter((o) => !o.won);
    expect(losers.map((o) => o.code)).toEqual(Array(7).fill('ALREADY_INTERVENED'));
    for (const loser of losers) expect(JSON.stringify(loser.details)).toContain(owner);
    expect((await store.getConversation(conversation.id))?.assignee).toBe(owner);
    const journey = await pool.query(`select count(*)::int as n from ${store.schema}.journey where type = 'conversation.intervened'`);
    expect(journey.rows[0].n).toBe(1);
  }, 60_000);

  it('2 processes sweeping at once archive every due conversation exactly once', async () => {
    const store = await freshStore('sweep');
    // 400 conversations whose History time passed a day ago (by the wall clock the workers use).
    const clock = manualClock(new Date(Date.now() - 3 * 24 * 60 * 60 * 1000));
    const chat = createLiveChat({ store, clock, logger: silentLogger });
    for (const input of webhookMessages(400, 400, '32')) await chat.receive(input);
    expect(await store.listDue({ now: new Date().toISOString(), limit: 1000 })).toHaveLength(400);

    const two = await reopen(2, store.schema);
    const swept = await Promise.all(two.map((w) => w.call<{ archived: number }>({ cmd: 'sweep' })));
    expect(swept[0]!.archived + swept[1]!.archived).toBe(400);
    const rows = await pool.query(
      `select c.state, (select count(*) from ${store.schema}.journey j where j.conversation_id = c.id and j.type = 'conversation.archived')::int as archived
       from ${store.schema}.conversations c`,
    );
    expect(rows.rows).toHaveLength(400);
    expect(rows.rows.every((r) => r.state === 'history' && r.archived === 1)).toBe(true);
    console.info(`[sweep] the two sweepers archived ${swept[0]!.archived} and ${swept[1]!.archived}`);
  }, 60_000);

  it('fans an event committed in one process out to a listener in another (LISTEN/NOTIFY)', async () => {
    const store = await freshStore('events');
    const [publisher, listener] = await reopen(2, store.schema);
    await publisher!.call({ cmd: 'listen' });
    await listener!.call({ cmd: 'listen' });
    const heard: Array<{ type: string; messageId: string | null; pid: number }> = [];
    const arrived = new Promise<void>((resolve) =>
      listener!.onPush((m) => {
        const event = m.event as (typeof heard)[number] | undefined;
        if (!event) return;
        heard.push(event);
        if (event.type === 'message.status') resolve();
      }),
    );
    const [result] = await publisher!.call<Array<{ externalId: string }>>({ cmd: 'receive', messages: webhookMessages(1, 1, '33'), concurrency: 1 });
    await arrived;
    expect(result!.externalId).toBe('wamid.33.0');
    const inbound = await store.findMessageByExternalId('whatsapp', 'wamid.33.0');
    // The listener heard the publisher's events, bot turn and delivery included, each once, in commit order.
    expect(heard.map((e) => e.type)).toEqual(['contact.created', 'conversation.opened', 'message.received', 'tag.added', 'bot.replied', 'message.status']);
    expect(heard.find((e) => e.type === 'message.received')?.messageId).toBe(inbound!.id);
  }, 60_000);

  it('after kill -9 while its bot thinks, a new process answers every message the dead one took in, once', async () => {
    const store = await freshStore('lostturns');
    const messages = webhookMessages(60, 20, '35');
    const [doomed] = await start(1, { schema: store.schema, silentBot: true });
    // Committed and acknowledged, as a webhook answers 200, while the bot never answers.
    await doomed!.call({ cmd: 'receive', messages, concurrency: 6, waitForBot: false });
    doomed!.process.kill('SIGKILL');
    await doomed!.exited;
    const owed = await pool.query(`select jsonb_array_length(pending_bot_turns)::int as n from ${store.schema}.conversations`);
    expect(owed.rows.reduce((sum, r) => sum + (r.n as number), 0)).toBe(60);

    // Two new processes, started after the turns fell due, resume at once.
    const heirs = await start(2, { schema: store.schema, clockOffsetMs: 41_000 });
    const results = await Promise.all(heirs.map((heir) => heir.call<{ resumed: number }>({ cmd: 'resume' })));
    await Promise.all(heirs.map((heir) => heir.call({ cmd: 'flush' })));
    await closeAll(heirs);
    expect(results.reduce((sum, r) => sum + r.resumed, 0)).toBe(60);
    const replies = await pool.query(
      `select m.id, count(j.id)::int as n from ${store.schema}.messages m
       left join ${store.schema}.journey j on j.type = 'bot.replied' and j.data->>'inReplyTo' = m.id
       where m.direction = 'inbound' group by m.id`,
    );
    expect(replies.rows).toHaveLength(60);
    expect(replies.rows.every((r) => r.n === 1)).toBe(true);
    const outbound = await pool.query(`select status from ${store.schema}.messages where direction = 'outbound'`);
    expect(outbound.rows.map((r) => r.status)).toEqual(Array(60).fill('sent'));
    expect((await pool.query(`select count(*)::int as n from ${store.schema}.conversations where pending_bot_turns is not null`)).rows[0].n).toBe(0);
    console.info(`[lost turns] resumed ${results.map((r) => r.resumed).join(' + ')} of 60 turns across two processes`);
  }, 60_000);

  it('after kill -9 in the middle of a load, a new process resumes bot turns and dispatches the outbox: nothing lost, nothing duplicated', async () => {
    const store = await freshStore('crash');
    const dir = mkdtempSync(join(tmpdir(), 'livechat-crash-'));
    const sendLog = join(dir, 'sends.log');
    try {
      const messages = webhookMessages(600, 150, '34');
      const [doomed] = await start(1, { schema: store.schema, sendLog });
      const acked: string[] = [];
      const killed = new Promise<void>((resolve) =>
        doomed!.onPush((m) => {
          if (typeof m.ack !== 'string') return;
          acked.push(m.ack);
          if (acked.length === 150) {
            doomed!.process.kill('SIGKILL');
            resolve();
          }
        }),
      );
      void doomed!.call({ cmd: 'receive', messages, concurrency: 6, ack: true }).catch(() => undefined);
      await killed;
      await doomed!.exited;

      // A new process, started after the dead one's outbox leases (30 s) and owed bot turns
      // (40 s) lapsed. The webhook provider redelivers what was never acknowledged (here:
      // everything, acknowledged or not).
      const [heir] = await start(1, { schema: store.schema, sendLog, clockOffsetMs: 41_000 });
      const redelivered = await heir!.call<Array<{ externalId: string; duplicate: boolean }>>({ cmd: 'receive', messages, concurrency: 6 });
      const { resumed } = await heir!.call<{ resumed: number }>({ cmd: 'resume' });
      await heir!.call({ cmd: 'flush' });
      await closeAll([heir!]);

      const inbound = await pool.query(`select external_id from ${store.schema}.messages where direction = 'inbound'`);
      const stored = new Set(inbound.rows.map((r) => r.external_id as string));
      expect(stored.size).toBe(600);
      for (const id of acked) expect(stored.has(id)).toBe(true);
      for (const id of acked) expect(redelivered.find((r) => r.externalId === id)?.duplicate).toBe(true);

      // Every message has exactly one bot reply, those the dead process stored but never
      // answered included (a redelivery is a duplicate and asks no bot: the owed turn was
      // resumed); every reply was sent; no turn is owed; the outbox is empty.
      const replies = await pool.query(
        `select j.data->>'inReplyTo' as inbound_id, count(*)::int as n from ${store.schema}.journey j where j.type = 'bot.replied' group by 1`,
      );
      expect(replies.rows.every((r) => r.n === 1)).toBe(true);
      const repliedTo = new Set(replies.rows.map((r) => r.inbound_id as string));
      const inboundIds = await pool.query(`select id from ${store.schema}.messages where direction = 'inbound'`);
      for (const r of inboundIds.rows) expect(repliedTo.has(r.id)).toBe(true);
      expect((await pool.query(`select count(*)::int as n from ${store.schema}.conversations where pending_bot_turns is not null`)).rows[0].n).toBe(0);
      const outbound = await pool.query(`select id, status from ${store.schema}.messages where direction = 'outbound'`);
      expect(outbound.rows.every((r) => r.status === 'sent')).toBe(true);
      expect((await pool.query(`select count(*)::int as n from ${store.schema}.outbox`)).rows[0].n).toBe(0);

      // The channel saw each reply once, except a send the dead process made but never recorded
      // (killed between the channel's answer and the commit): at-least-once can resend exactly
      // those, and no other.
      const lines = readFileSync(sendLog, 'utf8').trim().split('\n').map((l) => l.split(' '));
      const sends = new Map<string, string[]>();
      const doneBy = new Set<string>();
      for (const [kind, messageId, pid] of lines) {
        if (kind === 'sent') sends.set(messageId!, [...(sends.get(messageId!) ?? []), pid!]);
        else doneBy.add(`${messageId} ${pid}`);
      }
      for (const r of outbound.rows) expect(sends.has(r.id)).toBe(true);
      const deadPid = String(doomed!.process.pid);
      const resent = [...sends].filter(([, pids]) => pids.length > 1);
      for (const [messageId, pids] of resent) {
        expect(pids).toEqual([deadPid, String(heir!.process.pid)]);
        expect(doneBy.has(`${messageId} ${deadPid}`)).toBe(false);
      }
      expect(resent.length).toBeLessThanOrEqual(6);
      console.info(
        `[crash] killed after ${acked.length} acks; ${stored.size} stored, ${outbound.rows.length} replies sent, ` +
          `${resent.length} resent (in flight at the kill), ${redelivered.filter((r) => !r.duplicate).length} first taken by the new process, ` +
          `${resumed} bot turns resumed`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
