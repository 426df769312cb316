import { describe, expect, it } from 'vitest';
import { LiveChatError } from '../../src/index.js';
import { errorOf, setup } from './setup.js';

describe('intervene', () => {
  it('lets exactly one of two racing agents win; the loser learns who owns the chat', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('help');
    const results = await Promise.allSettled([
      chat.intervene(conversation.id, { agentId: 'asha' }),
      chat.intervene(conversation.id, { agentId: 'bo' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const owner = (won[0] as PromiseFulfilledResult<{ assignee: string }>).value.assignee;
    expect(lost[0]!.reason).toBeInstanceOf(LiveChatError);
    expect(lost[0]!.reason).toMatchObject({ code: 'ALREADY_INTERVENED', details: { owner } });
    expect(lost[0]!.reason.message).toContain(owner);
    const stored = await chat.conversation(conversation.id);
    expect(stored).toMatchObject({ state: 'intervened', assignee: owner, version: 2 });
    const journey = await chat.journey(stored!.contactId);
    expect(journey.items.filter((e) => e.type === 'conversation.intervened')).toHaveLength(1);
  });

  it('lets exactly one of ten racing agents win', async () => {
    const { chat, say } = await setup();
    for (let i = 0; i < 10; i += 1) await chat.agents.upsert({ id: `a${i}`, name: `A${i}`, role: 'agent' });
    const { conversation } = await say('help');
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => chat.intervene(conversation.id, { agentId: `a${i}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(9).fill('ALREADY_INTERVENED'));
  });

  it('is a no-op for the agent who already has the chat', async () => {
    const { chat, say, events } = await setup();
    const { conversation } = await say('help');
    const first = await chat.intervene(conversation.id, { agentId: 'asha' });
    const count = events.length;
    const again = await chat.intervene(conversation.id, { agentId: 'asha' });
    expect(again).toEqual(first);
    expect(events.length).toBe(count);
  });

  it('works from Active, Requested and Resolved', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('help');
    await chat.requestIntervention(conversation.id, { by: 'api' });
    expect((await chat.intervene(conversation.id, { agentId: 'asha' })).state).toBe('intervened');
    await chat.resolve(conversation.id, { agentId: 'asha' });
    expect((await chat.intervene(conversation.id, { agentId: 'bo' })).assignee).toBe('bo');
  });

  it('refuses unknown agents and unknown conversations', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('help');
    expect(await errorOf(() => chat.intervene(conversation.id, { agentId: 'ghost' }))).toMatchObject({ code: 'UNKNOWN_AGENT' });
    expect(await errorOf(() => chat.intervene('conv_nope', { agentId: 'asha' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('visibility', () => {
  it('shows an intervened chat only to its assignee and to admins', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('help');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    expect(await chat.conversation(conversation.id, { viewer: 'asha' })).not.toBeNull();
    expect(await chat.conversation(conversation.id, { viewer: 'bo' })).toBeNull();
    expect(await chat.conversation(conversation.id, { viewer: 'root' })).not.toBeNull();
    expect(await chat.conversation(conversation.id)).not.toBeNull();
    expect((await chat.inbox({ view: 'intervened', viewer: 'asha' })).items.map((c) => c.id)).toEqual([conversation.id]);
    expect((await chat.inbox({ view: 'intervened', viewer: 'bo' })).items).toEqual([]);
    expect((await chat.inbox({ view: 'intervened', viewer: 'root' })).items).toHaveLength(1);
    expect(await errorOf(() => chat.messages(conversation.id, { viewer: 'bo' }))).toMatchObject({ code: 'FORBIDDEN', details: { owner: 'asha' } });
    expect((await chat.messages(conversation.id, { viewer: 'asha' })).items).toHaveLength(1);
  });

  it('hides intervened chats from admins too when the policy says so', async () => {
    const { chat, say } = await setup({ policy: { adminsSeeAll: false } });
    const { conversation } = await say('help');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    expect(await chat.conversation(conversation.id, { viewer: 'root' })).toBeNull();
    expect((await chat.inbox({ view: 'intervened', viewer: 'root' })).items).toEqual([]);
  });

  it('makes a resolved chat visible to everyone again', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('help');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    await chat.resolve(conversation.id, { agentId: 'asha' });
    expect(await chat.conversation(conversation.id, { viewer: 'bo' })).toMatchObject({ state: 'resolved', assignee: null, resolvedBy: 'asha' });
    expect((await chat.inbox({ view: 'resolved', viewer: 'bo' })).items.map((c) => c.id)).toEqual([conversation.id]);
  });

  it('counts each view as the viewer sees it', async () => {
    const { chat, say } = await setup();
    const a = await say('help', '+15550001');
    const b = await say('agent please', '+15550002');
    await say('hello', '+15550003');
    await chat.intervene(a.conversation.id, { agentId: 'asha' });
    await chat.intervene(b.conversation.id, { agentId: 'bo' });
    await chat.resolve(b.conversation.id, { agentId: 'bo' });
    expect(await chat.counts({ viewer: 'asha' })).toEqual({ active: 1, requested: 0, intervened: 1, resolved: 1, history: 0 });
    expect(await chat.counts({ viewer: 'bo' })).toEqual({ active: 1, requested: 0, intervened: 0, resolved: 1, history: 0 });
    expect((await chat.counts({ viewer: 'root' })).intervened).toBe(1);
    expect(await chat.counts()).toEqual(await chat.counts({ viewer: 'root' }));
    expect(await errorOf(() => chat.counts({ viewer: 'ghost' }))).toMatchObject({ code: 'UNKNOWN_AGENT' });
  });

  it('pages the inbox newest activity first', async () => {
    const { chat, say, clock } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      ids.push((await say(`hi ${i}`, `+1555000${i}`)).conversation.id);
    }
    const first = await chat.inbox({ view: 'active', limit: 2 });
    const second = await chat.inbox({ view: 'active', limit: 2, cursor: first.nextCursor });
    const third = await chat.inbox({ view: 'active', limit: 2, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((c) => c.id)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
  });
});

describe('reply, transfer, release, resolve', () => {
  async function intervened() {
    const env = await setup();
    const { conversation } = await env.say('help');
    await env.chat.intervene(conversation.id, { agentId: 'asha' });
    return { ...env, id: conversation.id };
  }

  it('lets only the assignee or an admin reply', async () => {
    const { chat, id, transport } = await intervened();
    const { message } = await chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'Hello!' } });
    expect(message).toMatchObject({ direction: 'outbound', author: { type: 'agent', id: 'asha' }, status: 'pending' });
    expect(await errorOf(() => chat.reply(id, { agentId: 'bo', content: { type: 'text', text: 'me too' } }))).toMatchObject({ code: 'FORBIDDEN', details: { owner: 'asha' } });
    await chat.reply(id, { agentId: 'root', content: { type: 'text', text: 'admin here' } });
    await chat.idle();
    expect(transport.sent.map((s) => s.content)).toEqual([
      { type: 'text', text: 'Hello!' },
      { type: 'text', text: 'admin here' },
    ]);
  });

  it('refuses a reply in a state without an owner', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('hi');
    expect(await errorOf(() => chat.reply(conversation.id, { agentId: 'asha', content: { type: 'text', text: 'x' } }))).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { state: 'active' },
    });
  });

  it('transfers to another agent, who then owns the chat', async () => {
    const { chat, id } = await intervened();
    expect(await errorOf(() => chat.transfer(id, { agentId: 'bo', to: 'bo' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(() => chat.transfer(id, { agentId: 'asha', to: 'ghost' }))).toMatchObject({ code: 'UNKNOWN_AGENT' });
    const moved = await chat.transfer(id, { agentId: 'asha', to: 'bo' });
    expect(moved).toMatchObject({ state: 'intervened', assignee: 'bo' });
    expect(await chat.conversation(id, { viewer: 'asha' })).toBeNull();
    expect(await errorOf(() => chat.reply(id, { agentId: 'asha', content: { type: 'text', text: 'x' } }))).toMatchObject({ code: 'FORBIDDEN' });
    const entry = (await chat.journey(moved.contactId)).items.find((e) => e.type === 'conversation.transferred');
    expect(entry).toMatchObject({ actor: { type: 'agent', id: 'asha' }, data: { from: 'intervened', to: 'intervened', assignee: 'bo' } });
  });

  it('releases back to Requested and resolves', async () => {
    const { chat, id } = await intervened();
    expect(await errorOf(() => chat.release(id, { agentId: 'bo' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await chat.release(id, { agentId: 'asha' })).toMatchObject({ state: 'requested', assignee: null });
    await chat.intervene(id, { agentId: 'bo' });
    expect(await errorOf(() => chat.resolve(id, { agentId: 'asha' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await chat.resolve(id, { agentId: 'root' })).toMatchObject({ state: 'resolved', resolvedBy: 'root' });
    expect(await errorOf(() => chat.resolve(id, { agentId: 'root' }))).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'resolved' } });
  });

  it('reopens a resolved chat to the bot on the next customer message', async () => {
    const { chat, id, say } = await intervened();
    await chat.resolve(id, { agentId: 'asha' });
    const r = await say('one more thing');
    expect(r.conversation).toMatchObject({ id, state: 'active', assignee: null });
    expect((await chat.journey(r.contact.id)).items.map((e) => e.type)).toContain('conversation.reopened');
  });

  it('treats a repeated intervention request as a no-op and refuses one while intervened', async () => {
    const { chat, say } = await setup();
    const { conversation } = await say('hi');
    const requested = await chat.requestIntervention(conversation.id, { by: 'customer', reason: 'button' });
    expect(requested.state).toBe('requested');
    expect(await chat.requestIntervention(conversation.id, { by: 'api' })).toEqual(requested);
    await chat.intervene(conversation.id, { agentId: 'asha' });
    expect(await errorOf(() => chat.requestIntervention(conversation.id, { by: 'api' }))).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'intervened' } });
  });
});
