// The `livechat-engine/postgres` entry: explicit named exports. Neither `pg` nor PGlite is
// imported here (both are optional peers): the caller passes a client in, and the embedded
// helper loads PGlite only when called.

export type { PGliteLike, PgPoolClientLike, PgPoolLike, PostgresClient, SqlQueryable } from './client.js';
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { openEmbeddedStore, type EmbeddedStore, type EmbeddedStoreOptions } from './embedded.js';
export { postgresEvents, type PostgresEvents, type PostgresEventsOptions } from './events.js';
