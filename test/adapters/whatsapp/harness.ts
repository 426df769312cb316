import { createLiveChat, memoryStore, memoryTransport, silentLogger, type ChangeSet, type LiveChat, type Store } from '../../../src/index.js';
import { manualClock, type ManualClock } from '../../../src/testing/index.js';
import { webhookSignatures, whatsappWebhook, type FetchHandler } from '../../../src/adapters/whatsapp/index.js';
import { rawBody } from './fixtures.js';

export const APP_SECRET = 'c0ffee-app-secret';
export const VERIFY_TOKEN = 'meatpie';
export const signatures = webhookSignatures(APP_SECRET);

/** A store that counts the commits that wrote something, to prove "nothing written". */
export interface CountingStore extends Store {
  readonly writes: ChangeSet[];
  failNext: number;
}

export function countingStore(inner: Store = memoryStore()): CountingStore {
  const writes: ChangeSet[] = [];
  const store: CountingStore = Object.create(inner);
  Object.assign(store, {
    writes,
    failNext: 0,
    async commit(changes: ChangeSet) {
      if (store.failNext > 0) {
        store.failNext -= 1;
        throw new Error('disk full');
      }
      const result = await inner.commit(changes);
      if (result.ok) writes.push(changes);
      return result;
    },
  });
  return store;
}

export interface Harness {
  chat: LiveChat;
  store: CountingStore;
  clock: ManualClock;
  webhook: FetchHandler;
  transport: ReturnType<typeof memoryTransport>;
}

/** An engine on the memory store and a webhook handler in front of it. */
export function harness(options: { phoneNumberId?: string } = {}): Harness {
  const store = countingStore();
  const clock = manualClock('2025-06-09T00:00:00.000Z');
  const transport = memoryTransport();
  const chat = createLiveChat({ store, clock, transport, logger: silentLogger });
  const webhook = whatsappWebhook({ verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, engine: chat, logger: silentLogger, ...options });
  return { chat, store, clock, webhook, transport };
}

/** A POST as Meta sends it: the raw body and its signature (or the given header). */
export async function delivery(body: unknown, options: { signature?: string | null; raw?: string } = {}): Promise<Request> {
  const raw = options.raw ?? rawBody(body);
  const signature = options.signature === undefined ? await signatures.sign(raw) : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return new Request('https://example.test/webhook', { method: 'POST', headers, body: raw });
}

/** Posts `body` and returns the status and JSON answer. */
export async function post(webhook: FetchHandler, body: unknown, options?: { signature?: string | null; raw?: string }) {
  const response = await webhook(await delivery(body, options));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
