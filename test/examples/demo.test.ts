import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run demo', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('tells the story, and a second run finds the first run\u2019s data in the embedded store', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livechat-demo-'));
    const env = { ...process.env, DEMO_DATA_DIR: join(dir, 'data') };
    const demo = () => run('npx', ['tsx', 'examples/demo/demo.ts'], { env, maxBuffer: 8 * 1024 * 1024 });
    const first = await demo();
    expect(first.stdout).toContain('ALREADY_INTERVENED');
    expect(first.stdout).toContain('New contact');
    expect(first.stdout).not.toContain('The store remembers earlier runs');
    expect(first.stdout).toMatch(/chat\.sweep\(\) → \{"archived":1\}/);

    const second = await demo();
    expect(second.stdout).toContain('The store remembers earlier runs');
    expect(second.stdout).toMatch(/Returning contact ct_0302_0001 \(first seen 2026-03-02\)/);
    // Yesterday's conversation is listed in History before anyone writes today.
    const before = second.stdout.slice(0, second.stdout.indexOf('A customer writes'));
    expect(before).toMatch(/History\s+2\s+conv_0302_/);
  }, 120_000);
});
