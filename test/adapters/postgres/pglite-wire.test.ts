import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { postgresStore, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import { oneCallQuery } from '../../../src/adapters/postgres/pglite-wire.js';
import { createLiveChat, silentLogger } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';
import { settle } from '../../inbox/setup.js';
import { migratedStore, sharedPglite } from './databases.js';

const agent = (id: string) => ({ id, name: `Agent ${id}`, role: 'agent' as const });

describe('statements on PGlite, one call each', () => {
  let db: PGlite;
  let store: PostgresStore;
  beforeAll(async () => {
    db = await sharedPglite();
    store = await migratedStore(db, 'wire');
  }, 60_000);

  it('sends a read and a commit in one protocol call each, where PGlite.query makes several', async () => {
    const calls = vi.spyOn(db, 'execProtocolStream');
    try {
      expect(await store.getContact('ct_none')).toBeNull();
      expect(calls).toHaveBeenCalledTimes(1);
      const chat = createLiveChat({ store, clock: manualClock('2026-03-01T10:00:00.000Z'), logger: silentLogger });
      calls.mockClear();
      const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550111', externalId: 'wamid.wire.1', content: { type: 'text', text: 'hi' } });
      // The lookup and the commit.
      expect(calls).toHaveBeenCalledTimes(2);
      expect((await store.getConversation(conversation.id))?.state).toBe('active');
      // An array of strings goes as a text[] literal, in one call too.
      calls.mockClear();
      const events = await store.listEvents({ types: ['message.received', 'conversation.opened'], from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', limit: 10 });
      expect(events.items.map((e) => e.type).sort()).toEqual(['conversation.opened', 'message.received']);
      expect(calls).toHaveBeenCalledTimes(1);
      calls.mockClear();
      await db.query('select 1');
      // Six in PGlite 0.5: parse, describe, bind, describe, execute, sync.
      expect(calls.mock.calls.length).toBeGreaterThan(1);
    } finally {
      calls.mockRestore();
    }
  });

  it('sends an array of strings as a text[] literal that keeps quotes, commas, braces and backslashes', async () => {
    const query = oneCallQuery(db)!;
    const awkward = ['it"s', 'a,b', 'back\\slash', '{}', '', 'NULL', ' spaced '];
    expect((await query<{ a: string[] }>('select $1::text[] as a', [awkward])).rows).toEqual([{ a: awkward }]);
    expect((await query<{ a: string[] }>('select $1::text[] as a', [[]])).rows).toEqual([{ a: [] }]);
  });

  it('reports a refused commit as a conflict, as query did', async () => {
    const clock = manualClock('2026-03-01T11:00:00.000Z');
    const chat = createLiveChat({ store, clock, logger: silentLogger });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550112', externalId: 'wamid.wire.2', content: { type: 'text', text: 'hi' } });
    const stale = (await store.getConversation(conversation.id))!;
    await chat.receive({ channel: 'whatsapp', from: '+15550112', externalId: 'wamid.wire.3', content: { type: 'text', text: 'again' } });
    const result = await store.commit({ conversations: [{ record: { ...stale, version: stale.version + 1 }, expectedVersion: stale.version }] });
    expect(result).toEqual({ ok: false, conflict: { kind: 'version', entity: 'conversation', id: conversation.id } });
  });

  it('waits for a transaction open on the instance and runs after it, not inside it', async () => {
    let begun!: () => void;
    const inside = new Promise<void>((resolve) => (begun = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db
      .transaction(async (tx) => {
        await tx.query(`insert into ${store.schema}.agents (id, name, role) values ('a_tx', 'In the transaction', 'agent')`);
        begun();
        await held;
        throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => error.message);
    await inside;
    let written = false;
    const upsert = store.upsertAgent(agent('a_store')).then(() => (written = true));
    await settle();
    expect(written).toBe(false);
    release();
    expect(await transaction).toBe('rolled back on purpose');
    await upsert;
    // Run inside the open transaction, the store's write would have been rolled back with it.
    expect(await store.getAgent('a_store')).toEqual(agent('a_store'));
    expect(await store.getAgent('a_tx')).toBeNull();
  });

  it('leaves a client that wraps query seeing every statement', async () => {
    const seen: string[] = [];
    const wrapped = new Proxy(db, {
      get(target, key) {
        if (key === 'query') return (text: string, params?: unknown[]) => (seen.push(text), target.query(text, params));
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const watched = postgresStore({ client: wrapped, schema: store.schema });
    await watched.upsertAgent(agent('a_seen'));
    expect(await watched.getAgent('a_seen')).toEqual(agent('a_seen'));
    expect(await watched.listEvents({ types: ['message.received'], from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', limit: 5 })).toMatchObject({
      items: expect.any(Array),
    });
    expect(seen).toHaveLength(3);
  });
});

describe('oneCallQuery on an instance that is not ready', () => {
  it('waits for a starting instance, as query does, and reports a closed one as query does', async () => {
    const db = new PGlite();
    const query = oneCallQuery(db)!;
    expect(query).toBeTypeOf('function');
    // Sent before PGlite has started: it goes through query, which waits for the start.
    expect((await query<{ one: number }>('select $1::int as one', [1])).rows).toEqual([{ one: 1 }]);
    const calls = vi.spyOn(db, 'execProtocolStream');
    expect((await query<{ two: string }>('select $1::text as two', ['2'])).rows).toEqual([{ two: '2' }]);
    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();
    await db.close();
    await expect(query('select 1')).rejects.toThrow(/closed/);
  }, 60_000);

  it('does not run a statement while close() tears the instance down: it fails as query does', async () => {
    const db = await PGlite.create();
    const query = oneCallQuery(db)!;
    await query('select 1');
    // Hold the query lock, so that close() and then the statement queue behind it.
    let release!: () => void;
    const holding = db.runExclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const closing = db.close();
    await settle();
    const outcome = query<{ x: number }>('select 1 / $1::int as x', [0]).then(
      (result) => ({ resolved: result }),
      (error: Error) => ({ rejected: error.message }),
    );
    await settle();
    release();
    await holding;
    await closing;
    // Run during the teardown, it came back with no rows and no error at all.
    expect(await outcome).toEqual({ rejected: expect.stringMatching(/clos/i) });
  }, 60_000);
});

describe('a PGlite whose query is not PGlite\'s own', () => {
  it('serves a subclass that overrides query through its override, every statement', async () => {
    const seen: string[] = [];
    class Logged extends PGlite {
      override async query<T>(text: string, params?: unknown[]) {
        seen.push(text);
        return super.query<T>(text, params);
      }
    }
    const db = new Logged();
    await db.waitReady;
    try {
      const store = postgresStore({ client: db, schema: 'logged' });
      await store.migrate();
      seen.length = 0;
      await store.upsertAgent(agent('a_logged'));
      expect(await store.getAgent('a_logged')).toEqual(agent('a_logged'));
      expect(seen).toHaveLength(2);
    } finally {
      await db.close();
    }
  }, 60_000);
});
