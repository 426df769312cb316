import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../../src/adapters/postgres/index.js';
import { toPayload } from '../../../src/adapters/postgres/postgres-store.js';
import { migrations } from '../../../src/adapters/postgres/schema.js';
import { createLiveChat, keywordBot, memoryTransport, silentLogger, type ChangeSet, type CommitResult } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';

// A database made by an earlier release: the schema stops at step 2, with chats in it and a
// send still queued. Upgrading through every later step must keep all of it and leave the
// engine working.
describe('schema upgrade from step 2', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  it('migrates a step-2 database with data to the latest step, and the engine carries on', async () => {
    const schema = 'upgrade_from_2';
    await db.query(`create schema ${schema}`);
    await db.query(`create table ${schema}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    for (const step of migrations(schema).filter((m) => m.version <= 2)) {
      for (const statement of step.statements) await db.query(statement);
      await db.query(`insert into ${schema}.schema_migrations (version, name) values ($1, $2)`, [step.version, step.name]);
    }
    // The step-2 commit function returns a count; writing through it (and reading without
    // find_inbound, which came with step 3) is what that release did.
    const clock = manualClock('2026-05-01T10:00:00.000Z');
    const old = postgresStore({ client: db, schema });
    const stepTwo = (await db.query<{ statements: number }>(`select ${schema}.commit_changes($1::jsonb) as statements`, [JSON.stringify({})])).rows[0];
    expect(stepTwo?.statements).toBe(0);
    const hung = { channel: 'whatsapp', send: () => new Promise<never>(() => {}) };
    const before = createLiveChat({ store: { ...old, commit: stepTwoCommit(db, schema), findInbound: undefined }, clock, transport: hung, logger: silentLogger, bot: keywordBot({ fallback: 'queued before the upgrade' }) });
    const { conversation } = await before.receive({ channel: 'whatsapp', from: '+15550900', externalId: 'wamid.old', content: { type: 'text', text: 'hi' } }, { waitForBot: true });

    const store = postgresStore({ client: db, schema });
    expect(await store.migrate()).toEqual(migrations(schema).filter((m) => m.version > 2).map((m) => m.version));
    // Step 4 computed the day of last seen for the contacts already there.
    expect((await db.query(`select last_seen_day::text as day from ${schema}.contacts`)).rows).toEqual([{ day: '2026-05-01' }]);
    const transport = memoryTransport();
    const after = createLiveChat({ store, clock, transport, logger: silentLogger, bot: keywordBot({ fallback: 'after the upgrade' }) });
    // The send queued before the upgrade goes out (its lease from the dead sender lapsed).
    clock.advance(after.policy.outboxLeaseMs + 1);
    expect(await after.flush()).toBe(1);
    await after.receive({ channel: 'whatsapp', from: '+15550900', externalId: 'wamid.new', content: { type: 'text', text: 'again' } });
    await after.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'queued before the upgrade' },
      { type: 'text', text: 'after the upgrade' },
    ]);
    const messages = await after.messages(conversation.id, { limit: 10 });
    expect(messages.items.map((m) => [m.direction, m.status])).toEqual([
      ['inbound', 'received'],
      ['outbound', 'sent'],
      ['inbound', 'received'],
      ['outbound', 'sent'],
    ]);
  });
});

/** A commit as the step-2 release made it: the function's integer answer, no claims. */
function stepTwoCommit(db: PGlite, schema: string) {
  return async (changes: ChangeSet): Promise<CommitResult> => {
    const payload = toPayload({ ...changes, claimOutboxUntil: undefined });
    if (payload !== '') await db.query(`select ${schema}.commit_changes($1::jsonb) as statements`, [payload]);
    return { ok: true };
  };
}
