// npm run bench: runs every bench module in order, then prints one summary table.
// A module exports `main(): Promise<SummaryRow[]>`; adding one is one line below.

import { cpus } from 'node:os';
import { dur, printSummary, type BenchMain, type SummaryRow } from './report.js';

const modules: Array<[name: string, load: () => Promise<{ main: BenchMain }>]> = [
  ['engine', () => import('./engine/main.js')],
];

const started = performance.now();
console.log(`livechat-engine benchmarks: node ${process.version}, ${cpus().length} cpus, ${new Date().toISOString()}`);
if (!(globalThis as { gc?: unknown }).gc) console.log('(started without --expose-gc: heap figures are indicative; use npm run bench)');
const summary: SummaryRow[] = [];
for (const [name, load] of modules) {
  const { main } = await load();
  const rows = await main();
  summary.push(...rows.map((row) => ({ ...row, bench: row.bench || name })));
}
printSummary(summary);
console.log(`\ntotal ${dur(performance.now() - started)}; targets are reported, never enforced (timings are not tests).`);
