import {
  createLiveChat,
  memoryStore,
  memoryTransport,
  silentLogger,
  type Bot,
  type LiveChatEvent,
  type LiveChatOptions,
  type ReceiveInput,
  type Store,
} from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';

export const START = '2026-03-02T09:00:00.000Z';
export const HOUR = 60 * 60 * 1000;

/** An engine on the memory store with a manual clock, three agents and an event log. */
export async function setup(options: Omit<LiveChatOptions, 'clock' | 'transport'> = {}) {
  const clock = manualClock(START);
  const transport = memoryTransport();
  const store = options.store ?? memoryStore({ freeze: true });
  const chat = createLiveChat({ logger: silentLogger, ...options, store, clock, transport });
  const events: LiveChatEvent[] = [];
  chat.on('*', (e) => events.push(e));
  await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
  await chat.agents.upsert({ id: 'bo', name: 'Bo', role: 'agent' });
  await chat.agents.upsert({ id: 'root', name: 'Root', role: 'admin' });
  let n = 0;
  /** A text message from `from` with a fresh external id. */
  const say = (text: string, from = '+15550001', extra: Partial<ReceiveInput> = {}) =>
    chat.receive({ channel: 'whatsapp', from, externalId: `wamid.${++n}`, content: { type: 'text', text }, ...extra });
  return { chat, clock, transport, store, events, say };
}

/** A memory store that calls itself remote and counts the reads receive makes. */
export function remoteStore(shared = memoryStore({ freeze: true })) {
  const reads = { findInbound: 0 };
  const store: Store = {
    ...shared,
    capabilities: { ...shared.capabilities, remote: true },
    async findInbound(channel, externalId, address) {
      reads.findInbound += 1;
      return shared.findInbound!(channel, externalId, address);
    },
  };
  return { store, reads, shared };
}

/** A bot that answers every message with "echo: <text>". */
export const echoBot: Bot = {
  async respond({ message }) {
    return { replies: [{ type: 'text', text: `echo: ${message.content.type === 'text' ? message.content.text : message.content.type}` }] };
  },
};

/** Runs `fn` and returns the LiveChatError it throws (failing the test if it does not). */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ code: string; message: string; path: ReadonlyArray<PropertyKey>; details: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to throw');
}
