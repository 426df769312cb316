import type { Store } from '../../src/index.js';
import { openEmbeddedStore } from '../../src/adapters/postgres/index.js';

/** Where the demo keeps its data: `DEMO_DATA_DIR`, or `.data/demo`. `memory://` forgets it all. */
export const demoDataDir = process.env['DEMO_DATA_DIR'] ?? '.data/demo';

/**
 * The store the demo runs on: the embedded default, PGlite on a data directory, so a second run
 * finds the first run's conversations. The one place to change to run the story on another
 * store (any `Store` works; the demo closes it at the end).
 */
export async function createDemoStore(): Promise<Store> {
  return openEmbeddedStore({ dataDir: demoDataDir });
}
