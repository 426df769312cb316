import { describe, expect, it } from 'vitest';
import {
  createLiveChat,
  memoryStore,
  memoryTransport,
  silentLogger,
  type Campaign,
  type ChangeSet,
  type LiveChatEvent,
  type Store,
  type TagRuleDefinition,
} from '../../src/index.js';
import { manualClock } from '../../src/testing/index.js';
import { HOUR, START, echoBot, errorOf, setup } from '../engine/setup.js';

const template = { type: 'template' as const, name: 'spring_sale', language: 'en_US', components: [{ type: 'body' as const, parameters: [{ type: 'text', text: '20%' }] }] };
const phone = (i: number) => `+4915${String(i).padStart(8, '0')}`;
const tick = () => new Promise((r) => setImmediate(r));

/** `n` customers who wrote once; every other one is a VIP, the third one opted out. */
async function customers(env: Awaited<ReturnType<typeof setup>>, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const { contact } = await env.say('hello', phone(i));
    ids.push(contact.id);
    if (i % 2 === 0) await env.chat.contacts.addTag(contact.id, 'vip');
    await env.chat.contacts.setAttributes(contact.id, { country: i % 4 === 0 ? 'DE' : 'US', ...(i === 2 ? { optedOut: true } : {}) });
  }
  await env.chat.idle();
  env.transport.sent.length = 0;
  return ids;
}

const figures = (c: Campaign | null) => c?.counts;

describe('broadcasts', () => {
  it('queue one template per recipient, skip and count opt-outs, tag recipients and record the send', async () => {
    const env = await setup();
    const ids = await customers(env, 6);
    env.events.length = 0;
    const campaign = await env.chat.broadcast({ name: 'Spring sale', template, audience: { tags: { all: ['vip'] } } });
    expect(campaign).toMatchObject({ name: 'Spring sale', tag: 'Spring sale', status: 'sending', createdBy: { type: 'api' } });
    expect(campaign.counts).toMatchObject({ audience: 3, optedOut: 1, queued: 2, pending: 2, sent: 0 });
    await env.chat.idle();
    const done = await env.chat.broadcasts.get(campaign.id);
    expect(done).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
    expect(figures(done)).toMatchObject({ queued: 2, pending: 0, sent: 2, failed: 0 });
    // Contacts 0 and 4 (VIPs who did not opt out) got it; contact 2 opted out.
    expect(env.transport.sent.map((s) => [s.to, s.content])).toEqual([
      [phone(0), template],
      [phone(4), template],
    ]);
    for (const i of [0, 4]) {
      const contact = await env.chat.contact(ids[i]!);
      expect(contact?.tags['Spring sale']).toMatchObject({ source: 'broadcast', campaignId: campaign.id, actor: { type: 'api' }, conversationId: null });
      const journey = (await env.chat.journey(ids[i]!, { types: ['tag.added', 'broadcast.sent'] })).items;
      expect(journey.map((e) => [e.type, e.data['tag'] ?? null, e.data['campaignId'] ?? null])).toEqual([
        ['tag.added', 'first-message', null],
        ['tag.added', 'vip', null],
        ['tag.added', 'Spring sale', campaign.id],
        ['broadcast.sent', null, campaign.id],
      ]);
      expect(journey[3]!.data).toMatchObject({ name: 'Spring sale', template: 'spring_sale' });
    }
    expect((await env.chat.contact(ids[2]!))?.tags['Spring sale']).toBeUndefined();
    // A broadcast is not a chat: its messages belong to no conversation and open none.
    const message = await env.store.getMessage(env.transport.sent[0]!.messageId);
    expect(message).toMatchObject({ conversationId: null, campaignId: campaign.id, direction: 'outbound', status: 'sent', author: { type: 'system' } });
    expect((await env.chat.inbox({ view: 'active' })).items).toHaveLength(6);
    expect(env.events.filter((e) => e.type.startsWith('broadcast.') && e.type !== 'broadcast.sent').map((e) => e.type)).toEqual([
      'broadcast.started',
      'broadcast.progress',
      'broadcast.progress',
      'broadcast.completed',
    ]);
    expect(env.events.find((e) => e.type === 'broadcast.completed')?.campaign?.counts.sent).toBe(2);
  });

  it('keep figures from delivery receipts, counting each message once per figure', async () => {
    const env = await setup();
    await customers(env, 8);
    const campaign = await env.chat.broadcast({ name: 'Receipts', template, audience: { optOut: 'exclude' } });
    await env.chat.idle();
    const [a, b, c, d] = env.transport.sent;
    const receipt = (externalId: string, status: 'delivered' | 'read' | 'failed') => env.chat.updateStatus({ channel: 'whatsapp', externalId, status });
    await receipt(a!.externalId, 'delivered');
    await receipt(a!.externalId, 'delivered'); // duplicate
    await receipt(a!.externalId, 'read');
    await receipt(b!.externalId, 'read'); // skipped delivered: counts both
    await receipt(c!.externalId, 'failed');
    await receipt(d!.externalId, 'read');
    await receipt(d!.externalId, 'delivered'); // stale, out of order
    expect(figures(await env.chat.broadcasts.get(campaign.id))).toMatchObject({ audience: 8, optedOut: 1, queued: 7, sent: 7, delivered: 3, read: 3, failed: 1 });
  });

  it('count a send that fails for good as failed, and still complete', async () => {
    const env = await setup();
    await customers(env, 3);
    env.transport.fail({ kind: 'final', to: phone(1) });
    const campaign = await env.chat.broadcast({ name: 'Partly', template });
    await env.chat.idle();
    expect(await env.chat.broadcasts.get(campaign.id)).toMatchObject({ status: 'completed', counts: { queued: 2, sent: 1, failed: 1, pending: 0 } });
  });

  it('only go to contacts of the transport\u2019s channel', async () => {
    const env = await setup();
    await customers(env, 2);
    await env.chat.receive({ channel: 'sms', from: '+1999', externalId: 's1', content: { type: 'text', text: 'hi' } });
    const campaign = await env.chat.broadcast({ name: 'Channel', template });
    expect(campaign.counts).toMatchObject({ audience: 2, queued: 2 });
  });

  it('get replies as normal bot conversations, counted once per recipient and seen by tag rules', async () => {
    const replied: TagRuleDefinition = { id: 'engaged', on: ['broadcast.replied'], then: { add: ['engaged'] } };
    const env = await setup({ bot: echoBot, tagRules: [replied] });
    const ids = await customers(env, 4);
    // Contact 0's earlier chat went to History: the reply opens a new conversation.
    env.clock.advance(25 * HOUR);
    await env.chat.sweep();
    const campaign = await env.chat.broadcast({ name: 'Spring sale', template, audience: { tags: { all: ['vip'] } } });
    await env.chat.idle();
    env.clock.advance(HOUR);
    const reply = await env.say('Yes please!', phone(0));
    expect(reply.conversation).toMatchObject({ state: 'active', assignee: null });
    await env.chat.idle();
    expect(env.transport.sent.at(-1)).toMatchObject({ to: phone(0), content: { type: 'text', text: 'echo: Yes please!' } });
    expect(reply.contact.tags['engaged']).toMatchObject({ source: 'rule', actor: { type: 'rule', id: 'engaged' } });
    const event = (await env.chat.journey(ids[0]!, { types: ['broadcast.replied'] })).items;
    expect(event).toHaveLength(1);
    expect(event[0]).toMatchObject({ actor: { type: 'customer' }, conversationId: reply.conversation.id, data: { campaignId: campaign.id, tag: 'Spring sale', messageId: reply.message.id } });
    await env.say('One more question', phone(0));
    // A non-recipient writing is no reply; neither is a recipient writing after the window.
    await env.say('hi', phone(1));
    env.clock.advance(80 * HOUR);
    await env.say('late', phone(2 + 2));
    expect(figures(await env.chat.broadcasts.get(campaign.id))).toMatchObject({ replied: 1 });
  });

  it('move the broadcast tag to the newest campaign of the same name, so replies count for it', async () => {
    const env = await setup();
    const ids = await customers(env, 1);
    const first = await env.chat.broadcast({ name: 'Weekly', template });
    await env.chat.idle();
    env.clock.advance(7 * 24 * HOUR);
    const second = await env.chat.broadcast({ name: 'Weekly', template });
    await env.chat.idle();
    expect((await env.chat.contact(ids[0]!))?.tags['Weekly']).toMatchObject({ campaignId: second.id });
    await env.say('ok', phone(0));
    expect(figures(await env.chat.broadcasts.get(first.id))?.replied).toBe(0);
    expect(figures(await env.chat.broadcasts.get(second.id))?.replied).toBe(1);
    expect((await env.chat.broadcasts.list()).items.map((c) => c.id)).toEqual([second.id, first.id]);
  });

  it('go out at the transport\u2019s pace and report progress while sending', async () => {
    const clock = manualClock(START);
    const transport = memoryTransport({ maxPerSecond: 10 });
    const chat = createLiveChat({ clock, transport, logger: silentLogger });
    for (let i = 0; i < 35; i += 1) await chat.receive({ channel: 'whatsapp', from: phone(i), externalId: `w${i}`, content: { type: 'text', text: 'hi' } });
    const progress: Array<Campaign['counts']> = [];
    chat.on('broadcast.progress', (e) => progress.push(e.campaign!.counts));
    const campaign = await chat.broadcast({ name: 'Paced', template });
    const perSecond: number[] = [];
    let before = 0;
    for (let second = 0; second < 10 && transport.sent.length < 35; second += 1) {
      for (let i = 0; i < 20; i += 1) await tick();
      perSecond.push(transport.sent.length - before);
      before = transport.sent.length;
      clock.advance(1000);
    }
    await chat.idle();
    expect(transport.sent).toHaveLength(35);
    // A burst of one second's worth, then the pace holds.
    expect(perSecond[0]).toBe(10);
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(10);
    expect(perSecond.length).toBeGreaterThanOrEqual(4);
    const sentCounts = progress.map((p) => p.sent);
    expect(sentCounts).toEqual([...sentCounts].sort((a, b) => a - b));
    expect(sentCounts.filter((n) => n > 0 && n < 35).length).toBeGreaterThan(0);
    expect(await chat.broadcasts.get(campaign.id)).toMatchObject({ status: 'completed', counts: { sent: 35 } });
  });

  it('can be cancelled: what was not yet sent stays unsent and loses the broadcast tag', async () => {
    const clock = manualClock(START);
    const transport = memoryTransport({ maxPerSecond: 5 });
    const chat = createLiveChat({ clock, transport, logger: silentLogger });
    await chat.agents.upsert({ id: 'root', name: 'Root', role: 'admin' });
    await chat.agents.upsert({ id: 'asha', name: 'Asha', role: 'agent' });
    for (let i = 0; i < 20; i += 1) await chat.receive({ channel: 'whatsapp', from: phone(i), externalId: `w${i}`, content: { type: 'text', text: 'hi' } });
    const cancelled: LiveChatEvent[] = [];
    chat.on('broadcast.cancelled', (e) => cancelled.push(e));
    const campaign = await chat.broadcast({ name: 'Oops', template, by: { agentId: 'root' } });
    for (let i = 0; i < 20; i += 1) await tick();
    clock.advance(1000);
    for (let i = 0; i < 20; i += 1) await tick();
    const sentBefore = transport.sent.length;
    expect(sentBefore).toBeGreaterThanOrEqual(5);
    expect(sentBefore).toBeLessThan(20);
    expect(await errorOf(() => chat.broadcasts.cancel(campaign.id, { by: { agentId: 'asha' } }))).toMatchObject({ code: 'FORBIDDEN' });
    const stopped = await chat.broadcasts.cancel(campaign.id, { by: { agentId: 'root' } });
    expect(stopped).toMatchObject({ status: 'cancelled', finishedAt: clock.now().toISOString() });
    for (let s = 0; s < 10; s += 1) {
      clock.advance(1000);
      for (let i = 0; i < 20; i += 1) await tick();
    }
    await chat.idle();
    expect(transport.sent.length).toBe(sentBefore);
    const after = await chat.broadcasts.get(campaign.id);
    expect(after).toMatchObject({ status: 'cancelled', counts: { queued: 20, sent: sentBefore, cancelled: 20 - sentBefore, pending: 0 } });
    // Recipients who never got it have neither the message nor the tag.
    const unsent = (await chat.audience.list({ tags: { none: ['Oops'] } }, { limit: 50 })).items;
    expect(unsent).toHaveLength(20 - sentBefore);
    const journey = (await chat.journey(unsent[0]!.id, { types: ['message.failed', 'tag.removed'] })).items;
    expect(journey.map((e) => [e.type, e.data['code'] ?? e.data['reason'], e.data['campaignId']])).toEqual([
      ['message.failed', 'broadcast.cancelled', campaign.id],
      ['tag.removed', 'broadcast cancelled', campaign.id],
    ]);
    expect(await chat.broadcasts.cancel(campaign.id)).toEqual(after);
    expect(cancelled).toHaveLength(1);
  });

  it('cannot cancel a completed broadcast', async () => {
    const env = await setup();
    await customers(env, 1);
    const campaign = await env.chat.broadcast({ name: 'Done', template });
    await env.chat.idle();
    expect(await errorOf(() => env.chat.broadcasts.cancel(campaign.id))).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'completed' } });
    expect(await errorOf(() => env.chat.broadcasts.cancel('cmp_nope'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stop queueing when cancelled between batches', async () => {
    const inner = memoryStore();
    let batches = 0;
    let cancelNow: (() => Promise<unknown>) | null = null;
    // The cancel lands while the second batch is on its way to the store.
    const store: Store = {
      ...inner,
      capabilities: inner.capabilities,
      async commit(changes: ChangeSet) {
        if (changes.campaigns?.length && changes.outboxInserts?.length && ++batches === 2) await cancelNow?.();
        return inner.commit(changes);
      },
    };
    const env = await setup({ store });
    for (let i = 0; i < 450; i += 1) await env.say('hi', phone(i));
    await env.chat.idle();
    env.chat.on('broadcast.started', (e) => (cancelNow = () => env.chat.broadcasts.cancel(e.campaign!.id)));
    const campaign = await env.chat.broadcast({ name: 'Big', template });
    await env.chat.idle();
    const after = await env.chat.broadcasts.get(campaign.id);
    expect(campaign.status).toBe('cancelled');
    expect(after?.status).toBe('cancelled');
    expect(after?.counts.queued).toBe(200);
    expect(after!.counts.sent + after!.counts.cancelled).toBe(200);
    expect(after!.counts.pending).toBe(0);
  });

  it('resume queueing after a crash, without queueing anyone twice', async () => {
    const inner = memoryStore();
    let batches = 0;
    let crash = false;
    const store: Store = {
      ...inner,
      capabilities: inner.capabilities,
      async commit(changes: ChangeSet) {
        if (changes.campaigns?.length && changes.outboxInserts?.length) {
          batches += 1;
          if (crash && batches === 2) throw new Error('process killed');
        }
        return inner.commit(changes);
      },
    };
    const env = await setup({ store });
    for (let i = 0; i < 450; i += 1) await env.say('hi', phone(i));
    await env.chat.idle();
    env.transport.sent.length = 0;
    crash = true;
    expect(await errorOf(() => env.chat.broadcast({ name: 'Resumed', template }))).toMatchObject({ code: 'STORE_ERROR' });
    const [stuck] = (await env.chat.broadcasts.list()).items;
    expect(stuck).toMatchObject({ status: 'queueing', counts: { queued: 200 } });
    const resumed = await env.chat.broadcasts.resume(stuck!.id);
    await env.chat.idle();
    expect(resumed.counts.queued).toBe(450);
    expect(await env.chat.broadcasts.get(stuck!.id)).toMatchObject({ status: 'completed', counts: { queued: 450, sent: 450 } });
    const recipients = env.transport.sent.map((s) => s.to);
    expect(new Set(recipients).size).toBe(450);
  });

  it('refuse bad input and non-admin agents before writing anything', async () => {
    const env = await setup();
    await customers(env, 2);
    expect(await errorOf(() => env.chat.broadcast({ name: 'x', template: { type: 'template', name: '', language: 'en_US' } }))).toMatchObject({ code: 'INVALID_INPUT', path: ['template', 'name'] });
    expect(await errorOf(() => env.chat.broadcast({ name: 'x', template: { type: 'text', text: 'hi' } } as never))).toMatchObject({ code: 'INVALID_INPUT', path: ['template', 'type'] });
    expect(await errorOf(() => env.chat.broadcast({ name: 'x', template, audience: { optOut: 'only' } }))).toMatchObject({ code: 'INVALID_INPUT', path: ['audience', 'optOut'] });
    expect(await errorOf(() => env.chat.broadcast({ name: 'x', template, audience: { tags: { all: [] } } }))).toMatchObject({ code: 'INVALID_INPUT', path: ['audience', 'tags', 'all'] });
    expect(await errorOf(() => env.chat.broadcast({ name: 'x', template, by: { agentId: 'asha' } }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await env.chat.broadcasts.list()).items).toEqual([]);
  });
});
