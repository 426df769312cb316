import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LiveChatError,
  isJourneyEvent,
  type AttributeValue,
  type Bot,
  type BotDecision,
  type Contact,
  type ConversationState,
  type JourneyEvent,
  type LiveChat,
  type TagAssignment,
  type TagRuleDefinition,
} from '../../src/index.js';
import { HOUR, setup } from '../engine/setup.js';

// The journey is the audit log: from it alone, every contact's tags (with provenance) and
// attributes and every conversation's state and owner can be rebuilt.

/** What the journey says a contact looks like. */
function replayContact(events: JourneyEvent[]) {
  const tags: Record<string, TagAssignment> = {};
  const attributes: Record<string, AttributeValue> = {};
  for (const e of events) {
    if (isJourneyEvent(e, 'tag.added')) {
      tags[e.data.tag] = { source: e.data.source, actor: e.actor, at: e.at, conversationId: e.conversationId, campaignId: e.data.campaignId ?? null };
    } else if (isJourneyEvent(e, 'tag.removed')) {
      delete tags[e.data.tag];
    } else if (isJourneyEvent(e, 'tag.renamed')) {
      delete tags[e.data.from];
      tags[e.data.to] = e.data.assignment;
    } else if (isJourneyEvent(e, 'attribute.changed')) {
      attributes[e.data.key] = e.data.new;
    }
  }
  return { tags, attributes };
}

/** What the journey says each conversation's state and owner are. */
function replayConversations(events: JourneyEvent[]) {
  const conversations = new Map<string, { state: ConversationState; assignee: string | null }>();
  for (const e of events) {
    if (e.conversationId === null) continue;
    if (e.type === 'conversation.opened') conversations.set(e.conversationId, { state: 'active', assignee: null });
    else if (typeof e.data['to'] === 'string' && 'assignee' in e.data) {
      conversations.set(e.conversationId, { state: e.data['to'] as ConversationState, assignee: e.data['assignee'] as string | null });
    }
  }
  return conversations;
}

const customers = ['+15550001', '+15550002', '+15550003', '+15550004', '+15550005'];
const agents = ['asha', 'bo', 'root'];
const texts = ['hi', 'what is the price?', 'I want a human', 'I am in Germany', 'we are 80 people', 'STOP', 'thanks', 'refund please'];

type Command =
  | { kind: 'receive'; c: number; text: number; referral: boolean }
  | { kind: 'request' | 'intervene' | 'reply' | 'release' | 'resolve'; c: number; a: number }
  | { kind: 'transfer'; c: number; a: number; to: number }
  | { kind: 'attributes'; c: number; a: number; seats: number; country: number; viaAgent: boolean }
  | { kind: 'tag'; c: number; a: number; tag: number; remove: boolean; viaAgent: boolean }
  | { kind: 'catalog'; op: 'rename' | 'delete' | 'define'; tag: number }
  | { kind: 'broadcast'; tag: number; cancel: boolean }
  | { kind: 'cancel' }
  | { kind: 'fail'; final: boolean }
  | { kind: 'receipt'; pick: number; status: 'delivered' | 'read' | 'failed' }
  | { kind: 'time'; minutes: number };

const c = fc.integer({ min: 0, max: customers.length - 1 });
const a = fc.integer({ min: 0, max: agents.length - 1 });
const catalogTags = ['vip', 'lead', 'churn-risk', 'gold'];
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('receive' as const), c, text: fc.integer({ min: 0, max: texts.length - 1 }), referral: fc.boolean() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('request' as const, 'intervene' as const, 'intervene' as const, 'reply' as const, 'release' as const, 'resolve' as const), c, a }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), c, a, to: a }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('attributes' as const), c, a, seats: fc.integer({ min: -5, max: 120 }), country: fc.integer({ min: 0, max: 3 }), viaAgent: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tag' as const), c, a, tag: fc.integer({ min: 0, max: 5 }), remove: fc.boolean(), viaAgent: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('catalog' as const), op: fc.constantFrom('rename' as const, 'rename' as const, 'delete' as const, 'define' as const), tag: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('broadcast' as const), tag: fc.integer({ min: 0, max: 3 }), cancel: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fail' as const), final: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receipt' as const), pick: fc.nat(), status: fc.constantFrom('delivered' as const, 'read' as const, 'failed' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 90, max: 40 * 60 }) }) },
);

// A bot that learns attributes and tags from what customers say, and hands off on request.
const learningBot: Bot = {
  async respond({ message }): Promise<BotDecision> {
    const text = message.content.type === 'text' ? message.content.text : '';
    if (/human/.test(text)) return { replies: [{ type: 'text', text: 'One moment.' }], handoff: true };
    if (/germany/i.test(text)) return { replies: [{ type: 'text', text: 'Guten Tag!' }], attributes: { country: 'DE' }, tags: ['german'] };
    if (/80 people/.test(text)) return { attributes: { seats: 80 } };
    if (/stop/i.test(text)) return { attributes: { optedOut: true } };
    return { replies: [{ type: 'text', text: 'ok' }] };
  },
};

const rules: TagRuleDefinition[] = [
  { id: 'pricing', on: ['message.received'], if: { type: 'text', contains: 'price' }, then: { add: ['pricing'] } },
  { id: 'refunds', on: ['message.received'], if: { type: 'text', regex: 'refund' }, then: { add: ['refund'], remove: ['pricing'] } },
  { id: 'big', on: ['attribute.changed'], if: { type: 'attribute', key: 'seats', op: 'gte', value: 50 }, then: { add: ['enterprise'] } },
  { id: 'small', on: ['attribute.changed'], if: { type: 'attribute', key: 'seats', op: 'lt', value: 50 }, then: { remove: ['enterprise'] } },
  { id: 'engaged', on: ['broadcast.replied'], then: { add: ['engaged'] } },
  { id: 'ad', on: ['referral.received'], if: { type: 'referral', sourceType: 'ad' }, then: { add: ['from-ad'] } },
];

async function run(chat: LiveChat, env: Awaited<ReturnType<typeof setup>>, cmd: Command): Promise<void> {
  const contactOf = (i: number) => env.store.findContact('whatsapp', customers[i]!);
  const open = async (i: number) => {
    const contact = await contactOf(i);
    return contact ? env.store.findOpenConversation(contact.id) : null;
  };
  switch (cmd.kind) {
    case 'receive':
      await env.say(texts[cmd.text]!, customers[cmd.c], cmd.referral ? { referral: { sourceType: 'ad', sourceId: 'ad-7', headline: 'Sale' } } : {});
      return;
    case 'attributes': {
      const contact = await contactOf(cmd.c);
      if (!contact) return;
      const values = { seats: cmd.seats, country: ['DE', 'US', 'FR', 'Narnia'][cmd.country]! };
      await chat.contacts.setAttributes(contact.id, values, cmd.viaAgent ? { by: { agentId: agents[cmd.a]! } } : {});
      return;
    }
    case 'tag': {
      const contact = await contactOf(cmd.c);
      if (!contact) return;
      const tag = [...catalogTags, 'api-only', 'german'][cmd.tag]!;
      const by = cmd.viaAgent ? { by: { agentId: agents[cmd.a]! } } : {};
      if (cmd.remove) await chat.contacts.removeTag(contact.id, tag, by);
      else await chat.contacts.addTag(contact.id, tag, by);
      return;
    }
    case 'catalog': {
      const tag = catalogTags[cmd.tag]!;
      if (cmd.op === 'define') await chat.tags.define({ name: tag, category: 'Random' });
      else if (cmd.op === 'delete') await chat.tags.delete(tag);
      else await chat.tags.rename(tag, catalogTags[(cmd.tag + 1) % catalogTags.length]!);
      return;
    }
    case 'broadcast': {
      // Cancelled as soon as it starts: the cancel lands while recipients are queued or sent.
      let cancelling: Promise<unknown> = Promise.resolve();
      const off = cmd.cancel ? chat.on('broadcast.started', (e) => (cancelling = chat.broadcasts.cancel(e.campaign!.id).catch(() => null))) : () => {};
      try {
        await chat.broadcast({ name: `Campaign ${cmd.tag}`, template: { type: 'template', name: 'promo', language: 'en_US' }, audience: cmd.tag % 2 ? { tags: { any: ['vip', 'lead', 'pricing'] } } : {} });
      } finally {
        off();
        await cancelling;
      }
      return;
    }
    case 'fail':
      env.transport.fail({ kind: cmd.final ? 'final' : 'retryable', times: cmd.final ? 1 : 6 });
      return;
    case 'cancel': {
      // The newest broadcast still sending: its messages waiting for a retry stay unsent.
      const running = (await chat.broadcasts.list({ limit: 20 })).items.find((b) => b.status === 'sending' || b.status === 'queueing');
      if (running) await chat.broadcasts.cancel(running.id);
      return;
    }
    case 'receipt': {
      if (env.transport.sent.length === 0) return;
      const sent = env.transport.sent[cmd.pick % env.transport.sent.length]!;
      await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: cmd.status });
      return;
    }
    case 'time':
      env.clock.advance(cmd.minutes * 60_000);
      await chat.sweep();
      await chat.flush();
      return;
    default: {
      const conversation = await open(cmd.c);
      if (!conversation) return;
      const agentId = agents[cmd.a]!;
      if (cmd.kind === 'request') await chat.requestIntervention(conversation.id, { by: 'api' });
      else if (cmd.kind === 'intervene') await chat.intervene(conversation.id, { agentId });
      else if (cmd.kind === 'release') await chat.release(conversation.id, { agentId });
      else if (cmd.kind === 'resolve') await chat.resolve(conversation.id, { agentId });
      else if (cmd.kind === 'transfer') await chat.transfer(conversation.id, { agentId, to: agents[cmd.to]! });
      else await chat.reply(conversation.id, { agentId, content: { type: 'text', text: 'agent here' } });
    }
  }
}

async function everyContact(chat: LiveChat): Promise<Contact[]> {
  const all: Contact[] = [];
  let cursor: string | null = null;
  do {
    const page = await chat.audience.list({ optOut: 'include' }, { cursor, limit: 100 });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe('the customer journey as the audit log', () => {
  it('rebuilds every contact\u2019s tags and attributes and every conversation\u2019s state from the journey alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(command, { minLength: 1, maxLength: 3 }), { minLength: 60, maxLength: 120 }), async (steps) => {
        const env = await setup({ bot: learningBot, tagRules: rules });
        const { chat } = env;
        await chat.attributes.define({ key: 'seats', type: 'number', label: 'Seats' });
        await chat.attributes.define({ key: 'country', type: 'one-of', label: 'Country', options: ['DE', 'US', 'FR'] });
        for (const tag of catalogTags.slice(0, 2)) await chat.tags.define({ name: tag, category: 'Start' });
        const check = async () => {
          for (const contact of await everyContact(chat)) {
            const journey = (await chat.journey(contact.id, { limit: 500 })).items;
            expect(journey.length).toBeLessThan(500);
            const rebuilt = replayContact(journey);
            expect(rebuilt.tags).toEqual(contact.tags);
            expect(rebuilt.attributes).toEqual(contact.attributes);
            for (const [id, replayed] of replayConversations(journey)) {
              const stored = await env.store.getConversation(id);
              expect(stored && { state: stored.state, assignee: stored.assignee }).toEqual(replayed);
            }
          }
        };
        for (const step of steps) {
          // Commands of one step run concurrently, as they would from several agents and webhooks.
          const results = await Promise.allSettled(step.map((cmd) => run(chat, env, cmd)));
          for (const r of results) {
            if (r.status === 'rejected' && !(r.reason instanceof LiveChatError && r.reason.code !== 'CONFLICT' && r.reason.code !== 'STORE_ERROR')) throw r.reason;
          }
          await chat.idle();
          // After every step, not only at the end: History would hide a wrong state by then.
          await check();
        }
        env.clock.advance(50 * HOUR);
        await chat.sweep();
        await chat.flush();
        await chat.idle();
        expect((await everyContact(chat)).length).toBeGreaterThan(0);
        await check();
      }),
      { numRuns: 12 },
    );
  });
});
