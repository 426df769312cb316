import { formatTable } from '../../examples/demo/table.js';

/** One line of the closing summary: a measured figure and, when there is one, its target. */
export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  target?: string;
  verdict?: 'PASS' | 'MISS';
}

/** What every bench module exports: it prints its own details and returns its summary lines. */
export type BenchMain = () => Promise<SummaryRow[]>;

/**
 * How many times a throughput comparison runs each contender, alternating (BENCH_ROUNDS, 3 by
 * default); each keeps its best round, so one noisy second on a shared machine cannot decide a
 * ratio.
 */
export const benchRounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));

/** BENCH_SCALE, 1 by default: every size shrinks by it for a quick look; the figures of record use 1. */
export const benchScale = Number(process.env['BENCH_SCALE'] ?? 1) || 1;

/** `n` scaled by BENCH_SCALE, and at least `min`. */
export const scaled = (n: number, min = 1): number => Math.max(min, Math.round(n * benchScale));

/** A target check: PASS or MISS, never a failure of the process (timings are not tests). */
export const verdict = (ok: boolean): 'PASS' | 'MISS' => (ok ? 'PASS' : 'MISS');

/** Wall time of `fn` in milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Forces a full collection when the process runs with --expose-gc; a no-op otherwise. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i += 1) gc();
  return true;
}

/** A number with thousands separators and `digits` decimals. */
export const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A duration: µs below a millisecond, ms below ten seconds, then s. */
export function dur(ms: number): string {
  if (ms < 1) return `${num(ms * 1000, ms < 0.01 ? 2 : 1)} µs`;
  if (ms < 10_000) return `${num(ms, ms < 10 ? 2 : 0)} ms`;
  return `${num(ms / 1000, 1)} s`;
}

/** A ratio such as `3.4x`. */
export const ratio = (x: number): string => `${num(x, x < 10 ? 2 : 0)}x`;

/** A section header of the bench output. */
export const section = (title: string): void => console.log(`\n== ${title} ${'='.repeat(Math.max(0, 88 - title.length))}`);

/** Prints the closing summary table. */
export function printSummary(rows: SummaryRow[]): void {
  section('summary');
  console.log(
    formatTable(
      [{ header: 'bench' }, { header: 'metric', max: 80 }, { header: 'value', align: 'right' }, { header: 'target' }, { header: '' }],
      rows.map((r) => [r.bench, r.metric, r.value, r.target ?? '', r.verdict ?? '']),
    ),
  );
}
