import { createLiveChat, memoryStore, memoryTransport } from '../../../src/index.js';
import { collectGarbage, num, section, timed } from '../report.js';
import { addressOf, inbound } from './workload.js';

/** What the heap measurement found. */
export interface HeapResult {
  conversations: number;
  bytes: number;
  /** False when the process ran without --expose-gc: the figure is then only indicative. */
  exact: boolean;
}

/**
 * Heap bytes per stored conversation: `heapUsed` after a full collection, before and after
 * `count` first messages go through `chat.receive` (no bot). Each conversation therefore
 * brings what the engine stores with it: its contact, one message, four journey entries
 * (contact created, conversation opened, first-message tag, message received) and the memory
 * store's indexes over all of them.
 */
export async function heapPerConversation(count: number): Promise<HeapResult> {
  section(`heap per stored conversation: ${num(count)} contacts, 1 message each, through chat.receive`);
  const store = memoryStore();
  const chat = createLiveChat({ store, transport: memoryTransport() });
  const exact = collectGarbage();
  if (!exact) console.log('  (run with node --expose-gc for an exact figure: npm run bench does)');
  const before = process.memoryUsage().heapUsed;
  const { ms } = await timed(async () => {
    for (const input of inbound({ contacts: count, perContact: 1 }, 'heap')) await chat.receive(input);
  });
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  const bytes = (after - before) / count;
  console.log(`  loaded in ${num(ms)} ms; heapUsed ${num(before / 2 ** 20, 1)} MiB -> ${num(after / 2 ** 20, 1)} MiB`);
  console.log(`  ${num(bytes)} bytes per conversation (with its contact, 1 message, 4 journey entries, indexes)`);
  // Keep the store reachable until after the measurement.
  if ((await store.findContact('whatsapp', addressOf(0))) === null) throw new Error('the heap run stored nothing');
  return { conversations: count, bytes, exact };
}
