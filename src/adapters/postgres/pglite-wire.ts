import type { PostgresClient, SqlQueryable } from './client.js';

/**
 * The part of PGlite's public API that sends wire-protocol messages itself: what a
 * statement needs to reach the database in one call.
 */
interface PGliteWire {
  /** Runs `fn` while no other query of the instance runs (the lock `query` takes). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether a transaction block is open (a `transaction()` between two of its statements). */
  isInTransaction(): boolean;
  /** Runs the messages, dispatches notifications, throws the database's error; resolves with the replies. */
  execProtocolStream(message: Uint8Array): Promise<unknown[]>;
  /** The instance's parsers of column values by type oid, which `query` uses too. */
  readonly parsers: Record<number, unknown>;
  /** Started and not closing: `query` waits for a starting instance, and throws on a closed one. */
  readonly ready: boolean;
}

type Query = SqlQueryable['query'];
type Protocol = Pick<typeof import('@electric-sql/pglite'), 'protocol' | 'parse'>;
type ParseResults = Protocol['parse']['parseResults'];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const OPEN_TRANSACTION = Symbol('open transaction');

/**
 * A `query` for a PGlite client that sends a statement's parse, bind, describe, execute and
 * sync in one call into the database. `PGlite.query` makes six: it parses and describes the
 * statement first, to learn its parameters' types, then binds, describes, executes and syncs.
 * Each call costs about 20-30 µs of JavaScript and WASM entry, so a statement saves 0.1 ms or
 * more: a tenth of an inbound message's commit.
 *
 * Parameters go as text, for the statement to cast (every statement of the store does), so only
 * strings, numbers and nulls take this path. Anything else goes through `query`, as does a call
 * made while a transaction block is open on the instance (the statement belongs after it, and
 * `query` waits for it) or while the instance is not ready (`query` waits for it to start, or
 * says that it is closed). Results, errors and notifications are PGlite's own: its parsers build
 * the rows, it throws the database's error, and it delivers `NOTIFY` to its listeners.
 *
 * Returns `undefined`, and `query` serves every statement, when the client is not a PGlite
 * instance with that API or its `query` is not PGlite's own; likewise when PGlite's protocol
 * helpers cannot be loaded.
 */
export function oneCallQuery(client: PostgresClient): Query | undefined {
  const wire = client as Partial<PGliteWire> & SqlQueryable;
  if (typeof wire.execProtocolStream !== 'function' || typeof wire.runExclusive !== 'function' || typeof wire.isInTransaction !== 'function') return undefined;
  // Only PGlite's own `query`: a client that wraps it (to log or count statements, as the
  // tests and benchmarks do) goes on seeing every statement.
  if (wire.query !== (Object.getPrototypeOf(wire) as Partial<SqlQueryable> | null)?.query) return undefined;
  const db = wire as PGliteWire & SqlQueryable;
  // Loaded on first use: `@electric-sql/pglite` is an optional peer, present when a PGlite is.
  let helpers: Promise<Protocol | null> | undefined;
  return async function query<R>(text: string, params: unknown[] = []): Promise<{ rows: R[] }> {
    const simple = params.every((p) => p === null || typeof p === 'string' || typeof p === 'number');
    const loaded = simple && db.ready ? await (helpers ??= import('@electric-sql/pglite').catch(() => null)) : null;
    if (!loaded) return db.query<R>(text, params);
    const { serialize } = loaded.protocol;
    const values = params.map((p) => (p === null ? null : String(p)));
    const result = await db.runExclusive(async () => {
      if (db.isInTransaction()) return OPEN_TRANSACTION;
      const message = concat([serialize.parse({ text }), serialize.bind({ values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
      const replies = (await db.execProtocolStream(message)) as Parameters<ParseResults>[0];
      const [results] = loaded.parse.parseResults(replies, db.parsers as Parameters<ParseResults>[1]);
      return { rows: (results?.rows ?? []) as R[] };
    });
    return result === OPEN_TRANSACTION ? db.query<R>(text, params) : result;
  };
}
