import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { postgresStore, type PostgresStore } from '../../../src/adapters/postgres/index.js';

// Shared databases for the postgres tests: PGlite takes seconds to start (more on a busy
// machine: hooks that start it get a long timeout), so one instance serves a whole test file,
// and tables are emptied between tests instead.

export const DATABASE_URL = process.env.DATABASE_URL;

/** Prints why the tests against a real server are skipped, once per file. */
export function warnWithoutServer(what: string): void {
  if (!DATABASE_URL) console.warn(`[skip] ${what}: DATABASE_URL is not set, so there is no PostgreSQL server to test against.`);
}

/** A schema name no other test file or run uses. */
export const uniqueSchema = (label: string) => `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

let pglite: Promise<PGlite> | null = null;
/** The file's in-memory PGlite, started on first use. */
export function sharedPglite(): Promise<PGlite> {
  pglite ??= PGlite.create();
  return pglite;
}

/** A pool on DATABASE_URL (callers end it). */
export const serverPool = (max = 10) => new pg.Pool({ connectionString: DATABASE_URL, max });

/** Empties every table of a store, keeping the schema. */
export async function emptyTables(store: PostgresStore): Promise<void> {
  const s = store.schema;
  await store.client.query(`truncate ${s}.outbox, ${s}.journey, ${s}.messages, ${s}.conversations, ${s}.contacts, ${s}.agents, ${s}.attribute_definitions, ${s}.tag_definitions, ${s}.campaigns`);
}

/** A migrated store on `client` in a fresh schema, emptied by `reset()` between tests. */
export async function migratedStore(client: PostgresStore['client'], label: string): Promise<PostgresStore> {
  const store = postgresStore({ client, schema: uniqueSchema(label) });
  await store.migrate();
  return store;
}

/** Drops a test schema. */
export async function dropSchema(store: PostgresStore): Promise<void> {
  await store.client.query(`drop schema if exists ${store.schema} cascade`);
}
