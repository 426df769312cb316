import { describe, expect, it } from 'vitest';
import type { PostgresClient } from '../../../src/adapters/postgres/index.js';
import { createLiveChat, memoryTransport, silentLogger } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';
import { DATABASE_URL, dropSchema, migratedStore, serverPool, sharedPglite, warnWithoutServer } from './databases.js';

// An inbound message updates its contact (last seen, last inbound) when a minute or more passed
// since the last update (policy.lastSeenPrecisionMs). Schema step 4 indexes last seen by day so
// that this update changes no indexed value and PostgreSQL makes it a HOT update: no new entry
// in any contact index, the GIN indexes over tags and attributes included. PostgreSQL's own
// counters say which updates were HOT.

async function contactUpdates(client: PostgresClient): Promise<{ updates: number; hot: number }> {
  const store = await migratedStore(client, 'hot');
  try {
    const clock = manualClock();
    const chat = createLiveChat({ store, clock, transport: memoryTransport(), logger: silentLogger });
    // 20 customers, 15 messages each, a minute apart: each customer's first message inserts the
    // contact, the other 14 update it.
    for (let i = 0; i < 300; i += 1) {
      if (i % 20 === 0) clock.advance(60_000);
      await chat.receive({ channel: 'whatsapp', from: `+1555${i % 20}`, externalId: `wamid.hot.${i}`, content: { type: 'text', text: `message ${i}` } });
    }
    await client.query('select pg_stat_force_next_flush()');
    const { rows } = await client.query<{ updates: number; hot: number }>(
      `select n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables where schemaname = $1 and relname = 'contacts'`,
      [store.schema],
    );
    return rows[0]!;
  } finally {
    await dropSchema(store);
  }
}

describe('contact updates on an inbound message', () => {
  it('are HOT updates on PGlite: no contact index is written', async () => {
    expect(await contactUpdates(await sharedPglite())).toEqual({ updates: 280, hot: 280 });
  }, 60_000);

  warnWithoutServer('HOT contact updates on a server');
  it.skipIf(!DATABASE_URL)('are HOT updates on a PostgreSQL server', async () => {
    // One connection, so the counters this session flushes are all of the test's updates.
    const pool = serverPool(1);
    try {
      const { updates, hot } = await contactUpdates(pool);
      expect(updates).toBe(280);
      // A HOT update also needs room on the page, made by pruning old versions, which a snapshot
      // held by another test's session (they share the database) can delay: so "HOT at all" here,
      // where the index on last_seen_at made it none, and every one on PGlite above.
      expect(hot).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  }, 60_000);
});
