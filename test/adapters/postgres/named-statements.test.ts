import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { postgresStore, type PgPoolClientLike, type PgPoolLike } from '../../../src/adapters/postgres/index.js';

type Sent = { name?: string; text: string };

/** A pool that finds nothing (a count of 0) and records how each query was sent. */
function fakePool(): { pool: PgPoolLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const query = async (statement: string | { name: string; text: string }) => {
    const text = typeof statement === 'string' ? statement : statement.text;
    sent.push(typeof statement === 'string' ? { text } : { name: statement.name, text });
    return { rows: (/count\(\*\)/.test(text) ? [{ n: 0 }] : []) as never[] };
  };
  const pool = { query, connect: async () => ({ query, release() {}, on() {} }) as unknown as PgPoolClientLike } as unknown as PgPoolLike;
  return { pool, sent };
}

describe('named statements on a pg pool', () => {
  it('sends each statement under a name derived from its text, the same in every store sharing the pool', async () => {
    const { pool, sent } = fakePool();
    const one = postgresStore({ client: pool });
    const two = postgresStore({ client: pool });
    await one.getContact('ct_1');
    await one.getContact('ct_2');
    await two.getContact('ct_3');
    await one.getConversation('conv_1');
    const [a, b, c, d] = sent;
    expect(a!.name).toMatch(/^lc_[0-9a-f]{16}$/);
    expect(b!.name).toBe(a!.name);
    expect(c!.name).toBe(a!.name);
    expect(d!.name).not.toBe(a!.name);
  });

  it('stops naming new texts past a cap, so no connection collects prepared statements without end', async () => {
    const { pool, sent } = fakePool();
    const store = postgresStore({ client: pool });
    // Audience filters make a new text per shape: 1, 2, ... 230 attribute conditions.
    for (let n = 1; n <= 230; n += 1) {
      await store.countContacts({ attributes: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, op: 'equals' as const, value: 'x' })) });
    }
    const named = new Set(sent.filter((s) => s.name).map((s) => s.name));
    expect(named.size).toBe(200);
    expect(sent.filter((s) => !s.name)).toHaveLength(30);
    // A text named before the cap keeps its name.
    await store.countContacts({ attributes: [{ key: 'k0', op: 'equals', value: 'x' }] });
    expect(sent[sent.length - 1]!.name).toBe(sent[0]!.name);
  });

  it('sends plain text to PGlite, which has no named statements', async () => {
    const db = new PGlite();
    const seen: unknown[] = [];
    const client = new Proxy(db, {
      get(target, key, receiver) {
        if (key === 'query') return (statement: unknown, params?: unknown[]) => (seen.push(statement), target.query(statement as string, params));
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const store = postgresStore({ client, schema: 'plain_text' });
    await store.migrate();
    seen.length = 0;
    expect(await store.getContact('ct_1')).toBeNull();
    expect(seen.every((s) => typeof s === 'string')).toBe(true);
    await db.close();
  });
});
