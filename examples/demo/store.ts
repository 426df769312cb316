import { memoryStore, type Store } from '../../src/index.js';

/**
 * The store the demo runs on: the embedded in-memory store. The one place to change to run the
 * same story on another store (any `Store` works; the demo closes it at the end).
 */
export async function createDemoStore(): Promise<Store> {
  return memoryStore();
}
