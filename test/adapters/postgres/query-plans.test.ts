import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore, type PostgresClient, type PostgresStore } from '../../../src/adapters/postgres/index.js';
import { DATABASE_URL, dropSchema, serverPool, sharedPglite, uniqueSchema, warnWithoutServer } from './databases.js';
import { audienceQueries, describePlan, loadVolume, planOf, queryCases, recordingClient } from './volume.js';

// Every query the store makes has an index behind it: checked on the plans PostgreSQL chooses
// for the store's own statements, on enough data that a sequential scan would not be cheaper.

const now = '2026-06-01T12:00:00.000Z';
const volume = { contacts: 5_000, conversations: 20_000, due: 300, agents: 20 };

function planSuite(label: string, client: () => Promise<PostgresClient>, cleanup: () => Promise<void>) {
  describe(`query plans on ${label}`, () => {
    let store: PostgresStore;
    let recorder: ReturnType<typeof recordingClient<PostgresClient>>;
    beforeAll(async () => {
      recorder = recordingClient(await client());
      store = postgresStore({ client: recorder.client, schema: uniqueSchema('plans') });
      await store.migrate();
      await loadVolume(store, volume, now);
    }, 120_000);
    afterAll(async () => {
      if (store) await dropSchema(store);
      await cleanup();
    });

    for (const query of queryCases(now, volume)) {
      it(`answers "${query.name}" from ${query.index}`, async () => {
        recorder.statements.length = 0;
        const result = await query.run(store);
        // Each query finds something in the generated data, so the plan is of a real lookup.
        const items = result && typeof result === 'object' && 'items' in result ? (result as { items: unknown[] }).items : result;
        expect(Array.isArray(items) ? items.length : items ? 1 : 0).toBeGreaterThan(0);
        const { sql, params } = recorder.statements[recorder.statements.length - 1]!;
        const plan = await planOf(recorder.client, sql, params);
        expect(plan.filter((n) => n.nodeType === 'Seq Scan' && n.relation === query.table), describePlan(plan)).toEqual([]);
        expect(plan.map((n) => n.index), describePlan(plan)).toContain(query.index);
      });
    }

    it('finds audiences by tag and by attribute through the GIN indexes', async () => {
      for (const audience of audienceQueries(store.schema)) {
        const plan = await planOf(recorder.client, audience.sql, audience.params);
        expect(plan.map((n) => n.index), `${audience.name}: ${describePlan(plan)}`).toContain(audience.index);
        const { rows } = await store.client.query(audience.sql, audience.params);
        expect(rows.length).toBe(audience.index === 'contacts_tags_idx' ? Math.floor(volume.contacts / 997) : Math.floor(volume.contacts / 1000));
      }
    });

    it('counts an audience by last seen through the day index, to the exact bound', async () => {
      // Contact i was last seen (i % 1000) hours before now: seen between 26 h and 2 h ago are
      // those with 3 <= i % 1000 <= 26.
      const hoursAgo = (h: number) => new Date(Date.parse(now) - h * 3_600_000).toISOString();
      let expected = 0;
      for (let i = 1; i <= volume.contacts; i += 1) if (i % 1000 >= 3 && i % 1000 <= 26) expected += 1;
      recorder.statements.length = 0;
      expect(await store.countContacts({ lastSeen: { from: hoursAgo(26), to: hoursAgo(2) } })).toBe(expected);
      const { sql, params } = recorder.statements[recorder.statements.length - 1]!;
      const plan = await planOf(recorder.client, sql, params);
      expect(plan.filter((n) => n.nodeType === 'Seq Scan'), describePlan(plan)).toEqual([]);
      expect(plan.map((n) => n.index), describePlan(plan)).toContain('contacts_last_seen_day_idx');
    });

    it('returns what the generated data holds', async () => {
      const due = await store.listDue({ now, limit: 1000 });
      expect(due).toHaveLength(volume.due);
      const page = await store.listConversations({ state: 'intervened', assignee: 'agent7', limit: 50 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((c) => c.assignee === 'agent7' && c.state === 'intervened')).toBe(true);
    });
  });
}

planSuite('PGlite', () => sharedPglite(), async () => {});

warnWithoutServer('query plans on a PostgreSQL server');
if (DATABASE_URL) {
  const pool = serverPool(2);
  planSuite('a PostgreSQL server', async () => pool, () => pool.end());
}
