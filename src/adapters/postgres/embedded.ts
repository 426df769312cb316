import { z } from 'zod';
import { LiveChatError, parseInput } from '../../errors.js';
import type { PGliteLike } from './client.js';
import { postgresStore, schemaNameSchema, type PostgresStore } from './postgres-store.js';

/**
 * Options of {@link openEmbeddedStore}.
 * @public
 */
export interface EmbeddedStoreOptions {
  /**
   * Directory of the database files, created when missing; relative paths resolve against the
   * working directory. Default `.data`. `memory://` keeps everything in memory (tests).
   */
  dataDir?: string;
  /** The schema holding the tables. Default `livechat`. */
  schema?: string;
}

/**
 * A store on an embedded PGlite database that it owns: `close()` shuts the database down.
 * @public
 */
export interface EmbeddedStore extends PostgresStore {
  /** The PGlite instance, for your own queries. */
  readonly client: PGliteLike;
  /** Flushes and closes the database. The store is unusable afterwards. */
  close(): Promise<void>;
}

const optionsSchema = z
  .object({ dataDir: z.string().min(1).default('.data'), schema: schemaNameSchema.default('livechat') })
  .default({ dataDir: '.data', schema: 'livechat' });

/**
 * Opens the embedded default: PostgreSQL (PGlite, in WASM) on a data directory, migrated and
 * ready, with no server to run. Data survives restarts, so a demo restarted tomorrow still
 * shows today's conversations. One process at a time may open a directory. Needs the optional
 * peer dependency `@electric-sql/pglite`; starting takes a few seconds.
 *
 * @example
 * ```ts
 * import { openEmbeddedStore } from 'livechat-engine/postgres';
 * const store = await openEmbeddedStore({ dataDir: '.data' });
 * const chat = createLiveChat({ store });
 * // ... on shutdown
 * await store.close();
 * ```
 * @public
 */
export async function openEmbeddedStore(options?: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const { dataDir, schema } = parseInput(optionsSchema, options, 'openEmbeddedStore options');
  let PGlite: { create(dataDir?: string): Promise<PGliteLike & { close(): Promise<void> }> };
  try {
    ({ PGlite } = await import('@electric-sql/pglite'));
  } catch (cause) {
    throw new LiveChatError('STORE_ERROR', { message: 'openEmbeddedStore needs the package @electric-sql/pglite: npm install @electric-sql/pglite', cause });
  }
  let db: PGliteLike & { close(): Promise<void> };
  try {
    // PGlite makes the directory itself but not its parents. Only for a path in Node: other
    // schemes (`memory://`, `idb://` in a browser) have no directory to make.
    if (!dataDir.includes('://') && typeof process !== 'undefined' && process.versions?.node) {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dataDir, { recursive: true });
    }
    db = await PGlite.create(dataDir);
  } catch (cause) {
    throw new LiveChatError('STORE_ERROR', { message: `Could not open the embedded database in ${dataDir}: ${String(cause)}`, details: { dataDir }, cause });
  }
  const store = postgresStore({ client: db, schema });
  try {
    await store.migrate();
  } catch (error) {
    await db.close();
    throw error;
  }
  return { ...store, client: db, close: () => db.close() };
}
