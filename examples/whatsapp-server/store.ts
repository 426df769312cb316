import type { Store } from '../../src/index.js';
import { openEmbeddedStore, postgresStore } from '../../src/adapters/postgres/index.js';
import type { ServerConfig } from './config.js';

/**
 * Opens the store the server runs on; the rest of the server only sees the `Store` port.
 * PostgreSQL when `DATABASE_URL` is set (many server instances may share it), otherwise the
 * embedded default: PGlite on `DATA_DIR` (`.data/livechat`), durable, with no server to run.
 * `DATA_DIR=memory://` keeps everything in memory (tests, throwaway simulations).
 */
export async function openStore(config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    const store = postgresStore({ client: pool });
    await store.migrate();
    // The server owns the pool it opened, so closing the store ends it.
    return { ...store, close: () => pool.end() };
  }
  return openEmbeddedStore({ dataDir: config.dataDir });
}
