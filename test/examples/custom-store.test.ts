import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonFileStore } from '../../examples/custom-store/json-file-store.js';
import { createLiveChat, silentLogger } from '../../src/index.js';
import { manualClock, storeContract } from '../../src/testing/index.js';

const root = mkdtempSync(join(tmpdir(), 'livechat-json-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

// The same suite the built-in stores pass, on a fresh file per test.
storeContract('json file (examples/custom-store)', () => jsonFileStore(join(root, `store-${++n}.json`)), {
  teardown: (store) => store.close?.(),
});

describe('json file store', () => {
  it('keeps what the engine wrote across a reopen of the file', async () => {
    const file = join(root, 'engine.json');
    const first = jsonFileStore(file);
    const chat = createLiveChat({ store: first, clock: manualClock('2026-05-01T09:00:00.000Z'), logger: silentLogger });
    const { conversation } = await chat.receive({ channel: 'whatsapp', from: '+15550500', externalId: 'wamid.json', content: { type: 'text', text: 'hi' } });
    await first.close?.();
    const reopened = jsonFileStore(file);
    expect(await reopened.getConversation(conversation.id)).toEqual(conversation);
    expect((await reopened.findMessageByExternalId('whatsapp', 'wamid.json'))?.conversationId).toBe(conversation.id);
  });
});
