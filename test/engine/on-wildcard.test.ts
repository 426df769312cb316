import { describe, expect, expectTypeOf, it } from 'vitest';
import { createLiveChat, type LiveChatEvent } from '../../src/index.js';

describe('chat.on', () => {
  it('accepts the * wildcard and hands it every event (this file fails to type-check if it does not)', async () => {
    const chat = createLiveChat();
    const seen: LiveChatEvent[] = [];
    chat.on('*', (event) => {
      expectTypeOf(event).toEqualTypeOf<LiveChatEvent>();
      seen.push(event);
    });
    chat.on('message.received', (event) => expectTypeOf(event.type).toEqualTypeOf<'message.received'>());
    await chat.receive({ channel: 'whatsapp', from: '+15550001', externalId: 'wamid.1', content: { type: 'text', text: 'hi' } });
    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(['contact.created', 'conversation.opened', 'message.received']));
  });
});
