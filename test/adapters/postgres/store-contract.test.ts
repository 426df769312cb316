import { afterAll, beforeAll, describe } from 'vitest';
import type { PostgresStore } from '../../../src/adapters/postgres/index.js';
import { storeContract } from '../../../src/testing/index.js';
import { DATABASE_URL, dropSchema, emptyTables, migratedStore, serverPool, sharedPglite, warnWithoutServer } from './databases.js';

describe('postgres store on PGlite (in memory)', () => {
  let store: PostgresStore;
  beforeAll(async () => {
    store = await migratedStore(await sharedPglite(), 'contract');
  }, 60_000);
  storeContract('postgres on PGlite', async () => {
    await emptyTables(store);
    return store;
  });
});

warnWithoutServer('store contract on a PostgreSQL server');
describe.skipIf(!DATABASE_URL)('postgres store on a PostgreSQL server', () => {
  const pool = serverPool();
  let store: PostgresStore;
  beforeAll(async () => {
    store = await migratedStore(pool, 'contract');
  }, 60_000);
  afterAll(async () => {
    if (store) await dropSchema(store);
    await pool.end();
  });
  storeContract('postgres on a server', async () => {
    await emptyTables(store);
    return store;
  });
});
