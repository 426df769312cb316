// Runs api-extractor for the core entry and for every subpath entry that has a config in
// etc/config/, so each public entry point has its own reviewed report in etc/.
// Usage: node scripts/api-report.mjs [--local]   (--local rewrites the reports)
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const local = process.argv.includes('--local') ? ['--local'] : [];
const configs = ['api-extractor.json', ...readdirSync('etc/config').filter((f) => f.endsWith('.json')).sort().map((f) => `etc/config/${f}`)];
for (const config of configs) {
  console.log(`api-extractor: ${config}`);
  execFileSync('npx', ['api-extractor', 'run', '--config', config, ...local], { stdio: 'inherit' });
}
