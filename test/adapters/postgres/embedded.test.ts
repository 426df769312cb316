import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../../src/adapters/postgres/index.js';
import { createLiveChat, keywordBot, memoryTransport, silentLogger } from '../../../src/index.js';
import { manualClock } from '../../../src/testing/index.js';

describe('openEmbeddedStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'livechat-embedded-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps conversations on a data directory across a restart', async () => {
    const dataDir = join(root, 'nested', '.data');
    const clock = manualClock('2026-04-01T09:00:00.000Z');
    const first = await openEmbeddedStore({ dataDir });
    expect(first.capabilities).toEqual({ durable: true, multiProcess: false, remote: true });
    const chat = createLiveChat({ store: first, clock, transport: memoryTransport(), logger: silentLogger, bot: keywordBot({ fallback: 'Hi there' }) });
    const { conversation, contact } = await chat.receive({ channel: 'whatsapp', from: '+15550400', externalId: 'wamid.yesterday', content: { type: 'text', text: 'hello' } });
    await chat.idle();
    await first.close();

    // The next day: a new process opens the same directory and sees yesterday's chat.
    const again = await openEmbeddedStore({ dataDir });
    try {
      const restarted = createLiveChat({ store: again, clock, logger: silentLogger });
      expect(await again.migrate()).toEqual([]);
      expect((await restarted.inbox({ view: 'active' })).items.map((c) => c.id)).toEqual([conversation.id]);
      const messages = await restarted.messages(conversation.id);
      expect(messages.items.map((m) => [m.direction, m.content])).toEqual([
        ['inbound', { type: 'text', text: 'hello' }],
        ['outbound', { type: 'text', text: 'Hi there' }],
      ]);
      expect(await restarted.contact(contact.id)).toEqual(contact);
      const duplicate = await restarted.receive({ channel: 'whatsapp', from: '+15550400', externalId: 'wamid.yesterday', content: { type: 'text', text: 'hello' } });
      expect(duplicate.duplicate).toBe(true);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('refuses bad options with INVALID_INPUT before opening anything', async () => {
    await expect(openEmbeddedStore({ dataDir: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', path: ['dataDir'] });
    await expect(openEmbeddedStore({ schema: 'Bad-Name' })).rejects.toMatchObject({ code: 'INVALID_INPUT', path: ['schema'] });
  });
});
