import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('README', () => {
  it('has an API tour that runs as written', async () => {
    const readme = await readFile('README.md', 'utf8');
    const tour = /## A tour of the API\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBeDefined();
    // The tour imports the published name; here it runs against the source.
    const script = `${tour!.replaceAll("from 'livechat-engine'", "from '../src/index.js'")}
console.log(JSON.stringify({ state: conversation.state, tags: Object.keys((await chat.contact(contact.id))!.tags) }));
chat.stop();
`;
    const file = 'test/.readme-tour.tmp.ts';
    await writeFile(file, script);
    try {
      const { stdout } = await run('npx', ['tsx', file]);
      const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(last).toEqual({ state: 'requested', tags: ['first-message', 'vip'] });
    } finally {
      await rm(file, { force: true });
    }
  }, 60_000);
});
