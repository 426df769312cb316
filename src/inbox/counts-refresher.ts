import type { InboxCounts } from '../engine/queries.js';

/**
 * Keeps the tab counts fresh. They come from the source's count query: events only say what a
 * conversation is now, not what it was in views never loaded, so instead of guessing deltas the
 * counts are read again after each burst of moves, with one read in flight and one more queued
 * at most. A failed read is dropped: the next move reads again.
 */
export function countsRefresher(read: () => Promise<InboxCounts>, apply: (counts: InboxCounts) => void) {
  let wanted = 0;
  let running = false;
  let stopped = false;

  async function run(): Promise<void> {
    const asked = wanted;
    try {
      const counts = await read();
      if (!stopped) apply(counts);
    } catch {
      // A convenience, not a record: the next move re-reads.
    } finally {
      running = false;
      if (wanted !== asked && !stopped) start();
    }
  }
  function start(): void {
    running = true;
    queueMicrotask(() => void run());
  }

  return {
    /** Asks for a fresh read (coalesced with any read already asked for). */
    refresh(): void {
      wanted += 1;
      if (!running && !stopped) start();
    },
    stop(): void {
      stopped = true;
    },
  };
}
