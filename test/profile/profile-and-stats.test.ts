import { describe, expect, it } from 'vitest';
import { HOUR, START, errorOf, setup } from '../engine/setup.js';

const MIN = 60_000;
const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();

describe('the profile', () => {
  it('shows attributes with definitions, tags with provenance, the open chat and figures', async () => {
    const env = await setup();
    const { chat, say, clock } = env;
    await chat.attributes.define({ key: 'country', type: 'one-of', label: 'Country', options: ['DE', 'US'] });
    await chat.tags.define({ name: 'vip', category: 'Value', color: 'gold' });
    const first = await say('hi', '+1', { profile: { name: 'Maya' } });
    const id = first.contact.id;
    clock.advance(MIN);
    await chat.intervene(first.conversation.id, { agentId: 'asha' });
    await chat.reply(first.conversation.id, { agentId: 'asha', content: { type: 'text', text: 'Hello Maya' } });
    await chat.contacts.setAttributes(id, { country: 'DE', company: 'Acme' }, { by: { agentId: 'asha' } });
    clock.advance(MIN);
    await chat.contacts.addTag(id, 'vip', { by: { agentId: 'asha' } });
    clock.advance(MIN);
    const campaign = await chat.broadcast({ name: 'Spring sale', template: { type: 'template', name: 'spring', language: 'en_US' } });
    await chat.idle();
    clock.advance(25 * HOUR);
    await chat.sweep();
    await say('me again', '+1');

    const p = await chat.profile(id);
    expect(p.contact).toMatchObject({ id, name: 'Maya' });
    expect(p.attributes.map((a) => [a.key, a.value, a.definition?.type ?? null])).toEqual([
      ['company', 'Acme', null],
      ['country', 'DE', 'one-of'],
      ['optedOut', null, 'boolean'],
    ]);
    expect(p.tags.map((t) => [t.name, t.assignment.source, t.assignment.actor, t.definition?.category ?? null])).toEqual([
      ['first-message', 'first-message', { type: 'system' }, null],
      ['vip', 'manual', { type: 'agent', id: 'asha' }, 'Value'],
      ['Spring sale', 'broadcast', { type: 'api' }, null],
    ]);
    expect(p.tags[1]!.assignment.conversationId).toBe(first.conversation.id);
    expect(p.tags[2]!.assignment.campaignId).toBe(campaign.id);
    expect(p.conversation).toMatchObject({ state: 'active' });
    expect(p.conversation?.id).not.toBe(first.conversation.id);
    expect(p.figures).toEqual({
      firstSeenAt: START,
      lastSeenAt: clock.now().toISOString(),
      conversations: 2,
      messagesIn: 2,
      messagesOut: 2,
      campaignsReceived: 1,
      lastCampaign: { id: campaign.id, name: 'Spring sale', at: at(3 * MIN) },
    });
  });

  it('hides another agent\u2019s intervened chat but shows its state', async () => {
    const { chat, say } = await setup();
    const { contact, conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    expect((await chat.profile(contact.id, { viewer: 'asha' })).conversation?.id).toBe(conversation.id);
    const other = await chat.profile(contact.id, { viewer: 'bo' });
    expect(other.conversation).toBeNull();
    expect(other.conversationState).toBe('intervened');
    expect((await chat.profile(contact.id, { viewer: 'root' })).conversation?.id).toBe(conversation.id);
    expect(await errorOf(() => chat.profile(contact.id, { viewer: 'ghost' }))).toMatchObject({ code: 'UNKNOWN_AGENT' });
    expect(await errorOf(() => chat.profile('ct_nope'))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the journey', () => {
  it('filters by type and actor, paging both ways', async () => {
    const { chat, say } = await setup();
    const { contact, conversation } = await say('hi');
    await chat.intervene(conversation.id, { agentId: 'asha' });
    for (const tag of ['a', 'b', 'c']) await chat.contacts.addTag(contact.id, tag);
    await chat.contacts.removeTag(contact.id, 'b', { by: { agentId: 'asha' } });
    await chat.contacts.addTag(contact.id, 'd', { by: { agentId: 'root' } }).catch(() => null);
    const tagEvents = async (order: 'asc' | 'desc') => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await chat.journey(contact.id, { types: ['tag.added', 'tag.removed'], order, limit: 2, cursor });
        seen.push(...page.items.map((e) => `${e.type}:${String(e.data['tag'])}`));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const asc = await tagEvents('asc');
    expect(asc).toEqual(['tag.added:first-message', 'tag.added:a', 'tag.added:b', 'tag.added:c', 'tag.removed:b']);
    expect(await tagEvents('desc')).toEqual([...asc].reverse());
    const byAsha = (await chat.journey(contact.id, { actor: { type: 'agent', id: 'asha' } })).items.map((e) => e.type);
    expect(byAsha).toEqual(['conversation.intervened', 'tag.removed']);
    expect((await chat.journey(contact.id, { actor: { type: 'api' } })).items).toHaveLength(3);
    expect(await errorOf(() => chat.journey(contact.id, { types: ['nope' as never] }))).toMatchObject({ code: 'INVALID_INPUT', path: ['types', 0] });
  });
});

describe('stats', () => {
  async function story() {
    const env = await setup();
    const { chat, say, clock } = env;
    const c1 = await say('one', '+1');
    const c2 = await say('two', '+2');
    await say('three', '+3');
    clock.set(at(1 * MIN));
    await chat.requestIntervention(c1.conversation.id, { by: 'customer' });
    await chat.requestIntervention(c2.conversation.id, { by: 'bot' });
    clock.set(at(3 * MIN));
    await chat.intervene(c1.conversation.id, { agentId: 'asha' });
    clock.set(at(4 * MIN));
    await chat.reply(c1.conversation.id, { agentId: 'asha', content: { type: 'text', text: 'hi' } });
    clock.set(at(5 * MIN));
    await chat.resolve(c1.conversation.id, { agentId: 'asha' });
    clock.set(at(11 * MIN));
    await chat.intervene(c2.conversation.id, { agentId: 'bo' });
    clock.set(at(14 * MIN));
    await chat.reply(c2.conversation.id, { agentId: 'bo', content: { type: 'text', text: 'hey' } });
    await chat.reply(c2.conversation.id, { agentId: 'bo', content: { type: 'text', text: 'still there?' } });
    clock.set(at(15 * MIN));
    await chat.release(c2.conversation.id, { agentId: 'bo' });
    clock.set(at(16 * MIN));
    await chat.intervene(c2.conversation.id, { agentId: 'asha' });
    clock.set(at(30 * HOUR));
    await chat.sweep();
    return env;
  }

  it('count conversations by state, interventions, waits, first responses and resolutions', async () => {
    const { chat } = await story();
    const s = await chat.stats({ from: START, to: at(HOUR) });
    expect(s).toEqual({
      from: START,
      to: at(HOUR),
      conversations: { opened: 3, byState: { active: 1, requested: 0, intervened: 1, resolved: 1, history: 0 } },
      interventionsRequested: 2,
      interventions: 3,
      requestToIntervention: { count: 3, medianMs: 2 * MIN, p90Ms: 8.4 * MIN },
      firstAgentResponse: { count: 2, medianMs: 2 * MIN, p90Ms: 2.8 * MIN },
      resolutionsByAgent: { asha: 1 },
      history: 0,
    });
  });

  it('cover exactly the range asked for', async () => {
    const { chat } = await story();
    const all = await chat.stats({ from: new Date(START), to: at(48 * HOUR) });
    expect(all.conversations.byState).toEqual({ active: 0, requested: 0, intervened: 0, resolved: 0, history: 3 });
    expect(all.history).toBe(3);
    const later = await chat.stats({ from: at(2 * MIN), to: at(HOUR) });
    expect(later.conversations.opened).toBe(0);
    expect(later.interventionsRequested).toBe(0);
    // Only the wait after the release started inside the range.
    expect(later.requestToIntervention).toEqual({ count: 1, medianMs: MIN, p90Ms: MIN });
    const empty = await chat.stats({ from: at(40 * HOUR), to: at(41 * HOUR) });
    expect(empty.requestToIntervention).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(await errorOf(() => chat.stats({ from: at(HOUR), to: START }))).toMatchObject({ code: 'INVALID_INPUT', path: ['to'] });
  });
});
