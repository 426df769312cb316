import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/index.js';
import { createInboxStore, remoteSource, type InboxStore, type SourceSignal } from '../../src/inbox/index.js';
import { startInboxServer, type InboxServer } from '../../examples/inbox-web/server.js';

// The remote source against the real example server on loopback: REST reads and actions, the
// event stream, and what happens when the connection drops in the middle of it.

/** Resolves once `check` passes, re-checking on every store change (a deadline, not a sleep). */
function until(store: InboxStore, check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = store.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** An EventSource that records the Last-Event-ID it resumes with. */
function recordingEventSource(resumedWith: Array<string | null>) {
  return class extends EventSource {
    constructor(url: string) {
      super(url, {
        fetch: (input, init) => {
          resumedWith.push(new Headers(init?.headers).get('last-event-id') ?? new URL(String(input)).searchParams.get('lastEventId'));
          return fetch(input, init);
        },
      });
    }
  };
}

describe('remoteSource over the example server', () => {
  let server: InboxServer;
  const stores: InboxStore[] = [];
  const resumedWith: Array<string | null> = [];
  const signals: SourceSignal[] = [];
  let asha: InboxStore;
  let bo: InboxStore;

  beforeAll(async () => {
    server = await startInboxServer({ staticDir: null, logger: silentLogger });
    const open = (viewer: string, EventSourceImpl: typeof EventSource) => {
      const source = remoteSource({ baseUrl: server.url, EventSource: EventSourceImpl });
      // Record every signal Asha's source delivers, to count events.
      const recorded = viewer === 'asha' ? { ...source, subscribe: (v: string, l: (s: SourceSignal) => void) => source.subscribe(v, (s) => (signals.push(s), l(s))) } : source;
      const store = createInboxStore({ source: recorded, viewer });
      stores.push(store);
      return store;
    };
    asha = open('asha', recordingEventSource(resumedWith));
    bo = open('bo', EventSource);
    await Promise.all([asha.ready, bo.ready]);
    // Every tab read once, so rows are listed wherever they move.
    for (const store of [asha, bo]) for (const view of ['requested', 'intervened', 'resolved', 'active'] as const) await store.showTab(view);
    await until(asha, () => asha.getSnapshot().connection === 'live', 'a live stream');
  });
  afterAll(async () => {
    for (const store of stores) store.close();
    await server?.close();
  });

  const rowOf = (store: InboxStore, title: string) => Object.values(store.getSnapshot().tabs).flatMap((t) => t.items).find((r) => r.title === title);

  it('loads the session with the server\u2019s catalogs and shows a new customer live to both agents', async () => {
    expect(asha.getSnapshot()).toMatchObject({ status: 'ready', viewer: { id: 'asha', name: 'Asha Rao' }, templates: expect.arrayContaining([expect.objectContaining({ name: 'follow_up' })]) });
    expect(asha.getSnapshot().tagCatalog.map((t) => t.name)).toContain('vip');
    await server.customers.say('Maya', 'Hi! Do you sell monstera plants?');
    for (const store of [asha, bo]) await until(store, () => rowOf(store, 'Maya Ortiz')?.state === 'active', 'Maya in Active');
    await until(asha, () => asha.getSnapshot().counts.active === 1, 'the Active count');
  });

  it('drops the chat from Bo\u2019s lists when Asha intervenes, and names her when Bo tries too', async () => {
    await server.customers.say('Lena', 'I would like to speak to an agent.');
    await until(bo, () => rowOf(bo, 'Lena Fischer')?.state === 'requested', 'Lena requested (Bo)');
    await until(asha, () => rowOf(asha, 'Lena Fischer')?.state === 'requested', 'Lena requested (Asha)');
    const id = rowOf(asha, 'Lena Fischer')!.id;
    await bo.openConversation(id);
    expect(await asha.intervene(id)).toEqual({ ok: true });
    await until(bo, () => rowOf(bo, 'Lena Fischer') === undefined && bo.getSnapshot().open?.status === 'hidden', 'Lena gone from Bo');
    expect(bo.getSnapshot().open!.hiddenBy).toBe('Asha Rao');
    const refused = await bo.intervene(id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ALREADY_INTERVENED', message: 'Asha Rao has already intervened in this chat.' } });
    expect(await bo.addTag('vip', { contactId: rowOf(asha, 'Lena Fischer')!.contactId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('sends a reply the customer receives, with ticks up to read', async () => {
    const id = rowOf(asha, 'Lena Fischer')!.id;
    await asha.openConversation(id);
    expect(await asha.reply('Hi Lena, Asha here. Sorry about the pot!')).toEqual({ ok: true });
    await until(asha, () => asha.getSnapshot().open!.messages.at(-1)?.tick === 'read', 'the read tick');
    expect(server.customers.received('Lena')).toContain('Hi Lena, Asha here. Sorry about the pot!');
    expect(asha.getSnapshot().open!.messages.filter((m) => m.text.startsWith('Hi Lena'))).toHaveLength(1);
  });

  it('refuses a tag outside the catalog and rolls it back', async () => {
    const result = await asha.addTag('made-up');
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TAG' } });
    expect(asha.getSnapshot().profile!.tags.map((t) => t.name)).not.toContain('made-up');
  });

  it('resumes after a dropped connection with Last-Event-ID: every event once, none lost', async () => {
    const id = rowOf(asha, 'Lena Fischer')!.id;
    const eventIds = () => signals.flatMap((s) => (s.kind === 'event' ? [(s.event as unknown as { id: string }).id] : []));
    const lastApplied = eventIds().at(-1);
    const connections = resumedWith.length;
    server.dropConnections();
    await until(asha, () => asha.getSnapshot().connection === 'reconnecting', 'the drop to be noticed');
    // While Asha is disconnected, Lena writes three times.
    for (const text of ['One', 'Two', 'Three']) await server.customers.say('Lena', text);
    await until(asha, () => asha.getSnapshot().connection === 'live', 'the stream to resume');
    await until(asha, () => ['One', 'Two', 'Three'].every((t) => asha.getSnapshot().open!.messages.some((m) => m.text === t)), 'the missed messages');
    // It resumed from the last event it had applied, by header.
    expect(resumedWith.length).toBe(connections + 1);
    expect(resumedWith.at(-1)).toBe(lastApplied);
    // The ids it applied are consecutive: nothing twice, nothing skipped.
    const seq = eventIds().map((e) => Number(e.split('.').at(-1)));
    expect(seq).toEqual(seq.map((_, i) => seq[0]! + i));
    expect(asha.getSnapshot().open!.messages.filter((m) => ['One', 'Two', 'Three'].includes(m.text)).map((m) => m.text)).toEqual(['One', 'Two', 'Three']);
    // The row shows the chat's newest message (Meta's timestamps are whole seconds, so within one
    // second the agent's earlier reply may still sort last, as the engine orders it).
    expect(asha.getSnapshot().tabs.intervened.items.find((r) => r.id === id)?.preview).toBe(asha.getSnapshot().open!.messages.at(-1)!.text);
  });

  it('shows the chat to Bo again once Asha resolves it', async () => {
    const id = rowOf(asha, 'Lena Fischer')!.id;
    expect(await asha.resolve({ conversationId: id })).toEqual({ ok: true });
    await until(bo, () => bo.getSnapshot().tabs.resolved.items.some((r) => r.id === id), 'Lena back for Bo');
    await until(bo, () => bo.getSnapshot().open?.status === 'ready', 'Bo\u2019s open chat to come back');
    expect(bo.getSnapshot().open!.messages.map((m) => m.text)).toContain('Three');
  });
});
