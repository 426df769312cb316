import { oneCallQuery } from './pglite-wire.js';

/**
 * The one method the store needs from any PostgreSQL client: run a statement with positional
 * parameters (`$1`, `$2`, ...) and return its rows. A `pg.Pool`, a `pg.Client` and a PGlite
 * instance all have it.
 * @public
 */
export interface SqlQueryable {
  /** Runs one statement with `$n` parameters and resolves with its rows. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The shape of a `pg.Pool` the store relies on: queries, and a dedicated connection for
 * migrations (one transaction) and for `LISTEN`.
 * @public
 */
export interface PgPoolLike extends SqlQueryable {
  /**
   * Runs a named statement: each connection prepares (parses and plans) it once and then only
   * executes it, as `pg` does for a query config with a `name`.
   */
  query<R = Record<string, unknown>>(config: { name: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
  /** Runs one statement with `$n` parameters and resolves with its rows. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Checks a connection out of the pool. */
  connect(): Promise<PgPoolClientLike>;
}

/**
 * A name for a statement's text, the same in every process and store (so stores sharing a pool
 * agree on it): two 32-bit FNV-1a hashes of the text from different seeds. They share a
 * multiplier, so a little under 64 bits of it are independent: plenty for the
 * few hundred texts a store names at most.
 */
export function statementName(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return `lc_${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** How many statement texts a sender names on a pool; past it the rest go unnamed. */
const MAX_NAMED_STATEMENTS = 200;

/**
 * How the store sends a statement on `client`, as `query` does. On a `pg.Pool` a statement goes
 * under its {@link statementName}: unnamed, pg plans it every time it is sent; named, each pooled
 * connection plans it once (the receive lookup took half the time prepared on a local server).
 * Most statements are a fixed set; audience filters make new texts, so past a cap the rest go
 * unnamed and no connection collects prepared statements without end. PGlite has no prepared
 * statements to name; there a statement goes into the database in one call
 * ({@link oneCallQuery}).
 */
export function statementSender(client: PostgresClient): SqlQueryable['query'] {
  if (!isPool(client)) return oneCallQuery(client) ?? (<R>(text: string, params?: unknown[]) => client.query<R>(text, params));
  const names = new Map<string, string>();
  return <R>(text: string, params?: unknown[]) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) names.set(text, (name = statementName(text)));
    return name === undefined ? client.query<R>(text, params) : client.query<R>({ name, text, values: params ?? [] });
  };
}

/**
 * A connection checked out of a `pg.Pool`.
 * @public
 */
export interface PgPoolClientLike extends SqlQueryable {
  /** Returns the connection to the pool (destroys it when given an error). */
  release(error?: Error | boolean): void;
  /** Receives the `NOTIFY` messages of the channels this connection listens to. */
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  /** Learns that the connection broke. */
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The shape of a PGlite instance the store relies on: queries, exclusive transactions and
 * `LISTEN` callbacks.
 * @public
 */
export interface PGliteLike extends SqlQueryable {
  /** Runs `fn` in one transaction; other queries wait until it ends. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Calls `callback` with each `NOTIFY` payload on `channel`; resolves with the unsubscribe function. */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  /** Where the database lives (`undefined` or `memory://` when in memory). */
  readonly dataDir?: string | undefined;
}

/**
 * What `postgresStore` accepts as `client`: a `pg.Pool` (many connections, many processes) or
 * a PGlite instance (embedded, one connection).
 * @public
 */
export type PostgresClient = PgPoolLike | PGliteLike;

/** Whether the client is a `pg.Pool` (it can check out connections), rather than PGlite. */
export const isPool = (client: PostgresClient): client is PgPoolLike => typeof (client as PgPoolLike).connect === 'function';

/**
 * Runs `fn` on one connection inside one transaction: a pooled connection for pg, PGlite's
 * exclusive transaction otherwise (its other callers wait, so nothing interleaves).
 */
export async function inTransaction<T>(client: PostgresClient, fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  if (!isPool(client)) return client.transaction(fn);
  const connection = await client.connect();
  let broken: Error | undefined;
  try {
    await connection.query('begin');
    const result = await fn(connection);
    await connection.query('commit');
    return result;
  } catch (error) {
    await connection.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    connection.release(broken);
  }
}
