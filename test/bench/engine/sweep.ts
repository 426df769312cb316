import { createLiveChat, memoryStore, type Conversation, type Store } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/manual-clock.js';
import { formatTable } from '../../../examples/demo/table.js';
import { num, section, timed } from '../report.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const BATCH = 1_000;

/** What the sweep benchmark found. */
export interface SweepResult {
  stored: number;
  due: number;
  scanMs: number;
  listDueMs: number;
  sweepMs: number;
  /** sweep() with a tenth as many conversations stored and as many due. */
  smallStored: number;
  smallSweepMs: number;
}

/** An id as long as the engine's sortable ids (prefix, 34 hex digits). */
const idOf = (prefix: string, i: number) => `${prefix}_${i.toString(16).padStart(34, '0')}`;

/**
 * Loads `stored` conversations straight through `store.commit` in batches, in order of last
 * activity (one every 80 ms of the past day), so that exactly the oldest `due` are past their
 * History time at NOW. Conversations only: the sweep reads no contacts or messages.
 */
async function load(store: Store, stored: number, due: number): Promise<Conversation[]> {
  const all: Conversation[] = [];
  for (let start = 0; start < stored; start += BATCH) {
    const batch: Conversation[] = [];
    for (let i = start; i < Math.min(stored, start + BATCH); i += 1) {
      const activity = new Date(NOW - DAY + (i - (due - 1)) * 80).toISOString();
      batch.push({
        id: idOf('conv', i),
        contactId: idOf('ct', i),
        channel: 'whatsapp',
        state: 'active',
        assignee: null,
        openedAt: activity,
        lastActivityAt: activity,
        lastInboundAt: activity,
        requestedAt: null,
        intervenedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        archivedAt: null,
        historyDueAt: new Date(Date.parse(activity) + DAY).toISOString(),
        version: 1,
      });
    }
    const result = await store.commit({ conversations: batch.map((record) => ({ record, expectedVersion: null })) });
    if (!result.ok) throw new Error(`loading failed: ${JSON.stringify(result.conflict)}`);
    all.push(...batch);
  }
  return all;
}

const ROUNDS = 3;

/** Best of `ROUNDS` sweeps over one store, each with `due` newly due (the clock moves on). */
async function measure(stored: number, due: number) {
  const store = memoryStore();
  const { ms: loadMs, value: records } = await timed(() => load(store, stored, due));
  const clock = manualClock(NOW);
  const chat = createLiveChat({ store, clock });
  const now = new Date(NOW).toISOString();

  let scanMs = Infinity;
  let found = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const scan = await timed(() => records.filter((c) => c.state !== 'history' && c.historyDueAt <= now).length);
    scanMs = Math.min(scanMs, scan.ms);
    found = scan.value;
  }
  if (found !== due) throw new Error(`the full scan found ${found} due, not ${due}`);

  // The due-time index alone (the sweep's query), which leaves the store unchanged.
  let listDueMs = Infinity;
  for (let round = 0; round < ROUNDS; round += 1) {
    const listed = await timed(() => store.listDue({ now, limit: due }));
    if (listed.value.length !== due) throw new Error(`listDue found ${listed.value.length}, not ${due}`);
    listDueMs = Math.min(listDueMs, listed.ms);
  }

  // Conversations come due 80 ms apart, so moving the clock by due x 80 ms makes `due` more due.
  let sweepMs = Infinity;
  for (let round = 0; round < ROUNDS; round += 1) {
    clock.set(new Date(NOW + round * due * 80));
    const swept = await timed(() => chat.sweep());
    if (swept.value.archived !== due) throw new Error(`sweep ${round + 1} archived ${swept.value.archived}, not ${due}`);
    sweepMs = Math.min(sweepMs, swept.ms);
  }
  const history = await store.listConversations({ state: 'history', limit: due * ROUNDS + 1 });
  if (history.items.length !== due * ROUNDS) throw new Error(`${history.items.length} in History, not ${due * ROUNDS}`);
  return { loadMs, scanMs, listDueMs, sweepMs };
}

/**
 * `sweep()` with `stored` conversations of which `due` are due, against a full scan that
 * iterates every stored conversation and keeps those whose `historyDueAt` has passed. The scan
 * walks the loaded records in a plain array, the cheapest scan there is, so the comparison is
 * conservative. The scan only finds; the sweep finds and archives (one unit of work per batch).
 * Every figure is the best of three rounds; the sweep also runs with a tenth as many stored.
 */
export async function sweepBench(stored: number, due: number): Promise<SweepResult> {
  section(`sweep: ${num(stored)} conversations stored, ${num(due)} due`);
  // Warm-up rounds first: a cold sweep path (the History transition is only taken here) runs
  // several times slower until V8 has optimised it, and no measured sweep should pay for that.
  for (let round = 0; round < 3; round += 1) await measure(2 * due * ROUNDS, due);

  const big = await measure(stored, due);
  console.log(`  loaded ${num(stored)} conversations through store.commit (batches of ${num(BATCH)}) in ${num(big.loadMs)} ms`);
  // A tenth, but never fewer than three rounds of `due` need (a small BENCH_SCALE).
  const small = Math.max(Math.round(stored / 10), 2 * due * ROUNDS);
  const { sweepMs: smallSweepMs } = await measure(small, due);

  console.log(
    formatTable(
      [{ header: 'what (best of 3)' }, { header: 'stored', align: 'right' }, { header: 'time', align: 'right' }, { header: 'full scan / this', align: 'right' }],
      [
        ['full scan: every conversation, filter historyDueAt <= now', num(stored), `${num(big.scanMs, 1)} ms`, '1.0x'],
        ['store.listDue: the due-time index (finds only)', num(stored), `${num(big.listDueMs, 2)} ms`, `${num(big.scanMs / big.listDueMs, 1)}x`],
        [`sweep(): find and archive ${num(due)}, a unit of work per 100`, num(stored), `${num(big.sweepMs, 1)} ms`, `${num(big.scanMs / big.sweepMs, 2)}x`],
        [`sweep(): the same, a tenth as many stored`, num(small), `${num(smallSweepMs, 1)} ms`, ''],
      ],
    ),
  );
  return { stored, due, scanMs: big.scanMs, listDueMs: big.listDueMs, sweepMs: big.sweepMs, smallStored: small, smallSweepMs };
}
