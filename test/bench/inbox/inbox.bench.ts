import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import type { Contact, Conversation, LiveChatEvent, Message } from '../../../src/index.js';
import { createInboxStore, type InboxItem, type InboxSource, type SourceSignal } from '../../../src/inbox/index.js';
import { num, ratio, scaled, section, type SummaryRow } from '../report.js';

// The inbox store's figures, for `npm run bench`:
// 1. What one engine event costs the store with 10k conversations loaded (events applied per
//    second), against the same store with 100 loaded and against a naive reducer that rebuilds
//    and re-sorts every row per event: the store's cost should not grow with what is loaded.
// 2. What a browser downloads: gzip size of the `livechat-engine/inbox` bundle, of the React
//    bindings, and of the core entry with and without xstate counted.

const root = fileURLToPath(new URL('../../../', import.meta.url));
// BENCH_SCALE shrinks the number of events for a quick look (the 10k loaded stays 10k).
const events = (n: number) => scaled(n, 100);
const kb = (bytes: number) => `${num(bytes / 1024, 1)} kB`;

// ---- 1. update cost ------------------------------------------------------------------------

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function world(size: number) {
  const contacts: Contact[] = [];
  const conversations: Conversation[] = [];
  const lastMessages: Message[] = [];
  for (let i = 0; i < size; i += 1) {
    const id = String(i).padStart(6, '0');
    const at = iso(T0 + i * 1000);
    contacts.push({ id: `ct_${id}`, channel: 'whatsapp', address: `+1555${id}`, name: `Customer ${i}`, attributes: { email: `c${i}@example.com` }, tags: {}, referral: null, firstSeenAt: at, lastSeenAt: at, lastInboundAt: at, version: 1 });
    conversations.push({ id: `conv_${id}`, contactId: `ct_${id}`, channel: 'whatsapp', state: 'active', assignee: null, openedAt: at, lastActivityAt: at, lastInboundAt: at, requestedAt: null, intervenedAt: null, resolvedAt: null, resolvedBy: null, archivedAt: null, historyDueAt: iso(T0 + i * 1000 + 86_400_000), version: 1 });
    lastMessages.push(message(`msg_${id}_0`, `conv_${id}`, `ct_${id}`, at, `hello ${i}`));
  }
  return { contacts, conversations, lastMessages };
}

function message(id: string, conversationId: string, contactId: string, at: string, text: string): Message {
  return { id, conversationId, contactId, channel: 'whatsapp', direction: 'inbound', author: { type: 'customer' }, content: { type: 'text', text }, externalId: `wamid.${id}`, replyTo: null, status: 'received', error: null, at, statusAt: at };
}

/** A source serving `size` Active conversations from memory, newest first, and handing out its listener. */
function fakeSource(size: number) {
  const w = world(size);
  const sorted = w.conversations.map((c, i) => ({ conversation: c, contact: w.contacts[i]!, lastMessage: w.lastMessages[i]! })).reverse();
  let listener: ((signal: SourceSignal) => void) | null = null;
  const agent = { id: 'asha', name: 'Asha', role: 'agent' as const };
  const source: InboxSource = {
    session: async () => ({ viewer: agent, agents: [agent], adminsSeeAll: true, replyWindow: { hours: 24 }, tagCatalog: [], attributeFields: [], templates: [] }),
    inbox: async ({ view, cursor, limit }) => {
      const rows: InboxItem[] = view === 'active' ? sorted : [];
      const start = cursor ? Number(cursor) : 0;
      const items = rows.slice(start, start + limit);
      return { items, nextCursor: start + limit < rows.length ? String(start + limit) : null };
    },
    counts: async () => ({ active: size, requested: 0, intervened: 0, resolved: 0, history: 0 }),
    conversation: async () => null,
    messages: async () => ({ items: [], nextCursor: null }),
    journey: async () => ({ items: [], nextCursor: null }),
    intervene: unused,
    reply: unused,
    transfer: unused,
    release: unused,
    resolve: unused,
    setAttributes: unused,
    addTag: unused,
    removeTag: unused,
    subscribe: (_viewer, l) => {
      listener = l;
      return () => (listener = null);
    },
  };
  return { source, world: w, emit: (signal: SourceSignal) => listener!(signal) };
}
const unused = async (): Promise<never> => {
  throw new Error('not used by the benchmark');
};

/** Events of customers writing in: a random loaded conversation gets a newer message. */
function messageEvents(w: ReturnType<typeof world>, count: number, seed = 7): LiveChatEvent[] {
  let x = seed;
  const random = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const versions = new Map<string, number>();
  const events: LiveChatEvent[] = [];
  for (let n = 0; n < count; n += 1) {
    const i = Math.floor(random() * w.conversations.length);
    const base = w.conversations[i]!;
    const at = iso(T0 + 10_000_000 + n * 1000);
    const version = (versions.get(base.id) ?? base.version) + 1;
    versions.set(base.id, version);
    const conversation = { ...base, lastActivityAt: at, lastInboundAt: at, version };
    const msg = message(`msg_${base.id}_${n + 1}`, base.id, base.contactId, at, `message ${n}`);
    events.push({ type: 'message.received', at, journey: null, conversation, contact: w.contacts[i]!, message: msg });
  }
  return events;
}

/** Loads every page of Active into a store, then applies `events`, timing only the applying. */
async function storeRun(size: number, events: number): Promise<{ perSecond: number; loadMs: number }> {
  const { source, world: w, emit } = fakeSource(size);
  const store = createInboxStore({ source, viewer: 'asha', pageSize: 500 });
  // A UI that reads what it shows on every change.
  let rendered = 0;
  store.subscribe(() => (rendered += store.getSnapshot().tabs.active.items.length > 0 ? 1 : 0));
  const loadStart = performance.now();
  await store.ready;
  while (store.getSnapshot().tabs.active.hasMore) await store.loadMore('active');
  const loadMs = performance.now() - loadStart;
  if (store.getSnapshot().tabs.active.items.length !== size) throw new Error(`loaded ${store.getSnapshot().tabs.active.items.length}, wanted ${size}`);
  const list = messageEvents(w, events);
  const start = performance.now();
  for (const event of list) emit({ kind: 'event', event });
  const ms = performance.now() - start;
  if (rendered < events) throw new Error('the store did not notify every change');
  store.close();
  return { perSecond: (events / ms) * 1000, loadMs };
}

/** The naive alternative: every event rebuilds every row and re-sorts the tab. */
function naiveRun(size: number, events: number): number {
  const w = world(size);
  const byId = new Map(w.conversations.map((c) => [c.id, c]));
  const contacts = new Map(w.contacts.map((c) => [c.id, c]));
  const last = new Map(w.lastMessages.map((m) => [m.conversationId, m]));
  let rows: Array<{ id: string; title: string; lastActivityAt: string; preview: string }> = [];
  const list = messageEvents(w, events);
  const start = performance.now();
  for (const event of list) {
    byId.set(event.conversation!.id, event.conversation!);
    last.set(event.conversation!.id, event.message!);
    rows = [...byId.values()]
      .map((c) => ({ id: c.id, title: contacts.get(c.contactId)?.name ?? '', lastActivityAt: c.lastActivityAt, preview: (last.get(c.id)?.content as { text: string }).text }))
      .sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1));
  }
  const ms = performance.now() - start;
  if (rows.length !== size) throw new Error('naive rows lost');
  return (events / ms) * 1000;
}

// ---- 2. bundle sizes -------------------------------------------------------------------------

async function bundle(entry: string, external: string[] = []): Promise<{ min: number; gzip: number; metafile: Metafile }> {
  const result = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile };
}

/** Minified bytes per package (or `own code`) of a bundle. */
function shares(metafile: Metafile): Array<[string, number]> {
  const by = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = match ? match[1]! : 'own code';
      by.set(key, (by.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

/** Runs both benchmarks, prints their tables, and returns the summary rows. */
export async function main(): Promise<SummaryRow[]> {
  section('inbox store: applying engine events (a message on a random loaded conversation)');
  // Warm the JIT on a small run first, so the first measured size does not pay for it.
  await storeRun(1_000, events(5_000));
  const small = await storeRun(100, events(20_000));
  const large = await storeRun(10_000, events(20_000));
  const naive = naiveRun(10_000, events(300));
  const rows = [
    ['inbox store, 100 loaded', small.perSecond, '1.00x'],
    ['inbox store, 10k loaded', large.perSecond, `${ratio(large.perSecond / small.perSecond)} of 100`],
    ['naive rebuild + sort, 10k', naive, `${num(naive / large.perSecond, 3)}x of the store`],
  ] as const;
  for (const [name, rate, ratio] of rows) console.log(`  ${name.padEnd(28)} ${num(rate).padStart(10)} events/s   ${ratio}`);
  console.log(`  (loading 10k rows in pages of 500 took ${num(large.loadMs)} ms)`);

  section('inbox: browser bundles (esbuild, minified ESM, gzip -9)');
  const inbox = await bundle('src/inbox/index.ts');
  const react = await bundle('src/react/index.ts', ['react']);
  const core = await bundle('src/index.ts');
  const coreNoXstate = await bundle('src/index.ts', ['xstate']);
  const table = [
    ['livechat-engine/inbox', inbox],
    ['livechat-engine/react (react external)', react],
    ['livechat-engine (core, xstate counted)', core],
    ['livechat-engine (core, xstate external)', coreNoXstate],
  ] as const;
  for (const [name, b] of table) console.log(`  ${name.padEnd(48)} ${kb(b.min).padStart(9)} min  ${kb(b.gzip).padStart(9)} gzip`);
  console.log(`  inbox / core: ${num(inbox.gzip / core.gzip, 2)}x; xstate is ${num((1 - coreNoXstate.gzip / core.gzip) * 100)}% of the core's gzip`);
  console.log(`  inbox by package (minified): ${shares(inbox.metafile).map(([k, v]) => `${k} ${kb(v)}`).join(', ')}`);

  return [
    { bench: 'inbox', metric: 'events applied/s, 10k conversations loaded', value: `${num(large.perSecond)}/s` },
    { bench: 'inbox', metric: 'events/s at 10k loaded / at 100 loaded', value: ratio(large.perSecond / small.perSecond) },
    { bench: 'inbox', metric: 'events/s, store / naive rebuild, 10k loaded', value: ratio(large.perSecond / naive) },
    { bench: 'inbox', metric: 'gzip livechat-engine/inbox', value: kb(inbox.gzip) },
    { bench: 'inbox', metric: 'gzip livechat-engine/react (react external)', value: kb(react.gzip) },
    { bench: 'inbox', metric: 'gzip core, with / without xstate', value: `${kb(core.gzip)} / ${kb(coreNoXstate.gzip)}` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await main()) console.log(`${row.metric}: ${row.value}`);
}
