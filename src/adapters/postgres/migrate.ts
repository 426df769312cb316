import { LiveChatError } from '../../errors.js';
import { inTransaction, type PostgresClient } from './client.js';
import { migrations } from './schema.js';

/**
 * Applies the schema's missing migration steps, each in its own transaction. The first thing
 * each transaction does is take an advisory lock named after the schema, so of several
 * instances starting at once one applies a step and the others, once it committed, find it
 * recorded in `schema_migrations` and skip it.
 */
export async function migrate(client: PostgresClient, schema: string): Promise<number[]> {
  const steps = migrations(schema);
  const latest = steps[steps.length - 1]!.version;
  // Fast path for every start after the first: two reads, no lock.
  const table = await client.query<{ name: string | null }>('select to_regclass($1)::text as name', [`${schema}.schema_migrations`]);
  if (table.rows[0]?.name) {
    const { rows } = await client.query<{ current: number | null }>(`select max(version) as current from ${schema}.schema_migrations`);
    if ((rows[0]?.current ?? 0) >= latest) return [];
  }

  const applied: number[] = [];
  for (const step of steps) {
    try {
      const done = await inTransaction(client, async (tx) => {
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`livechat-engine migrate ${schema}`]);
        await tx.query(`create schema if not exists ${schema}`);
        await tx.query(
          `create table if not exists ${schema}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
        );
        const found = await tx.query(`select 1 from ${schema}.schema_migrations where version = $1`, [step.version]);
        if (found.rows.length > 0) return false;
        for (const statement of step.statements) await tx.query(statement);
        await tx.query(`insert into ${schema}.schema_migrations (version, name) values ($1, $2)`, [step.version, step.name]);
        return true;
      });
      if (done) applied.push(step.version);
    } catch (cause) {
      throw new LiveChatError('STORE_ERROR', {
        message: `Migration ${step.version} (${step.name}) of schema ${schema} failed: ${String(cause)}`,
        details: { schema, version: step.version },
        cause,
      });
    }
  }
  return applied;
}
