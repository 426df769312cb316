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
  /** The instance's serializers of parameter values by type oid (arrays included). */
  readonly serializers: Record<number, ((value: unknown) => string) | undefined>;
  /** Started and not closing: `query` waits for a starting instance, and throws on a closed one. */
  readonly ready: boolean;
}

type Query = SqlQueryable['query'];
type Module = Pick<typeof import('@electric-sql/pglite'), 'PGlite' | 'protocol' | 'parse'>;
type ParseResults = Module['parse']['parseResults'];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const USE_QUERY = Symbol('use query');

/** PostgreSQL's type oid of `text[]`. */
const TEXT_ARRAY = 1009;

/**
 * The parameters as text: strings as they are, numbers as their decimal digits, arrays of
 * strings as `text[]` literals (by PGlite's own serializer, which quotes and escapes). Anything
 * else, `undefined`: the statement goes through `query`.
 */
function asText(params: unknown[], textArray: ((value: unknown) => string) | undefined): Array<string | null> | undefined {
  const values: Array<string | null> = [];
  for (const p of params) {
    if (p === null || typeof p === 'string') values.push(p);
    else if (typeof p === 'number') values.push(String(p));
    else if (textArray && Array.isArray(p) && p.every((e) => typeof e === 'string')) values.push(textArray(p));
    else return undefined;
  }
  return values;
}

/**
 * A `query` for a PGlite client that sends a statement's parse, bind, describe, execute and
 * sync in one call into the database. `PGlite.query` makes six: it parses and describes the
 * statement first, to learn its parameters' types, then binds, describes, executes and syncs.
 * Each call costs about 20-30 µs of JavaScript and WASM entry, so a statement saves 0.1 ms or
 * more: a tenth of an inbound message's commit.
 *
 * Parameters go as text, for the statement to cast (every statement of the store does): a
 * number as its decimal digits, an array of strings as a `text[]` literal. So only strings,
 * numbers, nulls and arrays of strings take this path. Anything else goes through `query`, as
 * does a call made while a transaction block is open on the instance (the statement belongs
 * after it, and `query` waits for it) or while the instance is not ready (`query` waits for it
 * to start, or says that it is closing or closed). Both are checked under the lock, since `close()` tears
 * the instance down without it. Results, errors and notifications are PGlite's own: its parsers
 * build the rows, it throws the database's error, and it delivers `NOTIFY` to its listeners.
 *
 * Returns `undefined`, and `query` serves every statement, when the client does not have that
 * API; and `query` serves every statement when the instance's `query` is not PGlite's own (a
 * wrapper or a subclass that logs or counts statements goes on seeing every one) or PGlite's
 * protocol helpers cannot be loaded.
 */
export function oneCallQuery(client: PostgresClient): Query | undefined {
  const wire = client as Partial<PGliteWire> & SqlQueryable;
  if (typeof wire.execProtocolStream !== 'function' || typeof wire.runExclusive !== 'function' || typeof wire.isInTransaction !== 'function') return undefined;
  const db = wire as PGliteWire & SqlQueryable;
  // Loaded on first use: `@electric-sql/pglite` is an optional peer, present when a PGlite is.
  // An instance made by another copy of the package (its CommonJS build, say) has another
  // `query` function, and is served by it.
  let helpers: Promise<Module | null> | undefined;
  const load = () =>
    import('@electric-sql/pglite').then(
      (m) => (db.query === m.PGlite.prototype.query ? m : null),
      () => null,
    );
  return async function query<R>(text: string, params: unknown[] = []): Promise<{ rows: R[] }> {
    // Whether `query` is PGlite's own is settled first: a wrapper's other properties (even
    // `ready`) are not this function's to read.
    const loaded = await (helpers ??= load());
    const values = loaded && db.ready ? asText(params, db.serializers[TEXT_ARRAY]) : undefined;
    if (!loaded || !values) return db.query<R>(text, params);
    const { serialize } = loaded.protocol;
    const result = await db.runExclusive(async () => {
      if (!db.ready || db.isInTransaction()) return USE_QUERY;
      const message = concat([serialize.parse({ text }), serialize.bind({ values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
      const replies = (await db.execProtocolStream(message)) as Parameters<ParseResults>[0];
      const [results] = loaded.parse.parseResults(replies, db.parsers as Parameters<ParseResults>[1]);
      return { rows: (results?.rows ?? []) as R[] };
    });
    return result === USE_QUERY ? db.query<R>(text, params) : result;
  };
}
