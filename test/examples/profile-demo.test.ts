import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/profile-demo', () => {
  it('tells the profile story and exits 0, the same way every run', async () => {
    const once = () => run(process.execPath, ['--import', 'tsx', 'examples/profile-demo/profile-demo.ts'], { timeout: 60_000 });
    const [a, b] = [await once(), await once()];
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('we suggest: • Team EU');
    expect(a.stdout).toMatch(/\[#{20}\] 12\/12/);
    expect(a.stdout).toMatch(/broadcast\s+Spring sale\s+agent:root/);
    expect(a.stdout).toMatch(/size\s+11-50\s+51\+\s+agent:asha/);
  }, 60_000);
});
