// npm run bench: runs every bench module in order, then prints one summary table.
// A module exports `main(): Promise<SummaryRow[]>`; adding one is one line below.

import { cpus, loadavg } from 'node:os';
import { dur, printSummary, type BenchMain, type SummaryRow } from './report.js';

const modules: Array<[name: string, load: () => Promise<{ main: BenchMain }>]> = [
  ['engine', () => import('./engine/main.js')],
  ['whatsapp', () => import('./whatsapp/webhook.bench.js')],
  ['postgres', () => import('./postgres/main.js')],
  ['inbox', () => import('./inbox/inbox.bench.js')],
  ['profile', () => import('./profile/profile.bench.js')],
];

const started = performance.now();
// Other work on the machine slows every figure; the load average says how much to trust them.
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`livechat-engine benchmarks: node ${process.version}, ${cpus().length} cpus, load ${load()}, ${new Date().toISOString()}`);
if (!(globalThis as { gc?: unknown }).gc) console.log('(started without --expose-gc: heap figures are indicative; use npm run bench)');
// BENCH_ONLY=engine,postgres runs a subset, for a quick look at one area.
const only = process.env['BENCH_ONLY']?.split(',').map((name) => name.trim());
const summary: SummaryRow[] = [];
for (const [name, load] of modules) {
  if (only && !only.includes(name)) continue;
  const { main } = await load();
  const rows = await main();
  summary.push(...rows.map((row) => ({ ...row, bench: row.bench || name })));
}
printSummary(summary);
console.log(`\ntotal ${dur(performance.now() - started)}, load ${load()}; targets are reported, never enforced (timings are not tests).`);
