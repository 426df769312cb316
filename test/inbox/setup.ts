import { setImmediate } from 'node:timers/promises';
import { createInboxStore, inProcessSource, type InboxSource, type InboxStore } from '../../src/inbox/index.js';
import { setup, HOUR } from '../engine/setup.js';

export { HOUR };

/** Lets every pending promise chain (engine work, store reads) run to its end. */
export async function settle(chat?: { idle(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await chat?.idle();
    await setImmediate();
  }
}

export const tagCatalog = [
  { name: 'vip', category: 'Value', color: '#b45309' },
  { name: 'lead', category: 'Sales' },
  { name: 'complaint', category: 'Support' },
];

export const attributeFields = [
  { key: 'email', label: 'Email', type: 'email' as const },
  { key: 'country', label: 'Country' },
];

export const templates = [{ name: 'follow_up', language: 'en_US', label: 'Follow up', body: 'Hi {{1}}, following up on your request.', parameters: 1 }];

/**
 * An engine (manual clock, three agents: asha, bo, root the admin) and a way to open an inbox
 * store for any of them over the in-process source, optionally through `wrap` (to hold or
 * fail calls).
 */
export async function inboxSetup(options: Parameters<typeof setup>[0] = {}) {
  const env = await setup(options);
  // Since issue 3 the engine refuses manual tags outside its catalog: define the inbox's there too.
  for (const tag of tagCatalog) await env.chat.tags.define(tag);
  const source = inProcessSource(env.chat, { tagCatalog, attributeFields, templates });
  const stores: InboxStore[] = [];
  const inboxFor = async (viewer: string, extra: { wrap?: (s: InboxSource) => InboxSource; pageSize?: number } = {}) => {
    const store = createInboxStore({ source: extra.wrap ? extra.wrap(source) : source, viewer, clock: env.clock, ...(extra.pageSize ? { pageSize: extra.pageSize } : {}) });
    stores.push(store);
    await store.ready;
    await settle(env.chat);
    return store;
  };
  const closeAll = () => stores.forEach((s) => s.close());
  return { ...env, source, inboxFor, closeAll };
}

/** A promise with its resolve, to hold a call until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Ids of a tab's rows, in order. */
export const ids = (store: InboxStore, view: Parameters<InboxStore['showTab']>[0]) => store.getSnapshot().tabs[view].items.map((r) => r.id);
