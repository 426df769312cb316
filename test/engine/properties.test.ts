import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveChatError, type Conversation, type JourneyEvent } from '../../src/index.js';
import { HOUR, echoBot, setup } from './setup.js';

const customers = ['+15550001', '+15550002', '+15550003'];
const agents = ['asha', 'bo', 'root'];

type Command =
  | { kind: 'receive'; customer: number; wamid: number }
  | { kind: 'request'; customer: number }
  | { kind: 'intervene' | 'reply' | 'release' | 'resolve'; customer: number; agent: number }
  | { kind: 'transfer'; customer: number; agent: number; to: number }
  | { kind: 'status'; pick: number; status: 'delivered' | 'read' | 'failed' }
  | { kind: 'time'; minutes: number };

const customer = fc.integer({ min: 0, max: customers.length - 1 });
const agent = fc.integer({ min: 0, max: agents.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  // A small pool of external ids makes redeliveries frequent.
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('receive' as const), customer, wamid: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('request' as const), customer }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('intervene' as const, 'reply' as const, 'release' as const, 'resolve' as const), customer, agent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), customer, agent, to: agent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom('delivered' as const, 'read' as const, 'failed' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 30 * 60 }) }) },
);
// Commands come in steps; a step of two runs them concurrently.
const program = fc.array(fc.array(command, { minLength: 1, maxLength: 2 }), { minLength: 5, maxLength: 40 });

describe('engine invariants under random interleavings', () => {
  it('keeps ownership, messages, the journey and History consistent', async () => {
    await fc.assert(
      fc.asyncProperty(program, async (steps) => {
        const { chat, clock, transport, store } = await setup({ bot: echoBot });
        const inboundIds = new Set<string>();
        const repliesQueued = new Set<string>();
        const archived = new Set<string>();
        const journeys = new Map<string, JourneyEvent[]>();
        const contactIds = new Set<string>();
        const conversations = new Set<string>();
        let wamid = 0;
        let knownBefore = new Set<string>();
        let firstDeliveries: string[] = [];

        const open = async (c: number) => {
          const contact = await store.findContact('whatsapp', customers[c]!);
          return contact ? store.findOpenConversation(contact.id) : null;
        };

        const run = async (cmd: Command): Promise<void> => {
          switch (cmd.kind) {
            case 'receive': {
              const externalId = `wamid.${cmd.customer}.${cmd.wamid}`;
              const r = await chat.receive({ channel: 'whatsapp', from: customers[cmd.customer]!, externalId, content: { type: 'text', text: `m${wamid++}` } });
              // Known before this step: always a duplicate. New: exactly one delivery wins.
              if (knownBefore.has(externalId)) expect(r.duplicate).toBe(true);
              if (!r.duplicate) firstDeliveries.push(externalId);
              inboundIds.add(externalId);
              contactIds.add(r.contact.id);
              conversations.add(r.conversation.id);
              return;
            }
            case 'time':
              clock.advance(cmd.minutes * 60_000);
              await chat.sweep();
              return;
            case 'status': {
              if (transport.sent.length === 0) return;
              const sent = transport.sent[cmd.pick % transport.sent.length]!;
              await chat.updateStatus({ channel: 'whatsapp', externalId: sent.externalId, status: cmd.status });
              return;
            }
            default: {
              const conversation = await open(cmd.customer);
              if (!conversation) return;
              const agentId = 'agent' in cmd ? agents[cmd.agent]! : 'asha';
              if (cmd.kind === 'request') await chat.requestIntervention(conversation.id, { by: 'api' });
              else if (cmd.kind === 'intervene') await chat.intervene(conversation.id, { agentId });
              else if (cmd.kind === 'release') await chat.release(conversation.id, { agentId });
              else if (cmd.kind === 'resolve') await chat.resolve(conversation.id, { agentId });
              else if (cmd.kind === 'transfer') await chat.transfer(conversation.id, { agentId, to: agents[cmd.to]! });
              else {
                const { message } = await chat.reply(conversation.id, { agentId, content: { type: 'text', text: 'agent says hi' } });
                repliesQueued.add(message.id);
              }
            }
          }
        };

        for (const step of steps) {
          knownBefore = new Set(inboundIds);
          firstDeliveries = [];
          const results = await Promise.allSettled(step.map(run));
          expect(new Set(firstDeliveries).size).toBe(firstDeliveries.length);
          for (const r of results) {
            // Refusals are fine (that is the lifecycle working); anything else is a bug.
            if (r.status === 'rejected' && !(r.reason instanceof LiveChatError && r.reason.code !== 'CONFLICT' && r.reason.code !== 'INVALID_INPUT')) throw r.reason;
          }
          await chat.idle();

          for (const id of conversations) {
            const c = (await store.getConversation(id)) as Conversation;
            // Intervened exactly when there is one assignee.
            expect(c.assignee !== null).toBe(c.state === 'intervened');
            // Nothing leaves History.
            if (archived.has(id)) expect(c.state).toBe('history');
            if (c.state === 'history') archived.add(id);
          }
          for (const contactId of contactIds) {
            const journey = (await chat.journey(contactId, { limit: 500 })).items;
            const before = journeys.get(contactId) ?? [];
            // The journey only grows: the old one is a prefix of the new one.
            expect(journey.slice(0, before.length)).toEqual(before);
            for (let i = 1; i < journey.length; i += 1) expect(journey[i - 1]!.at <= journey[i]!.at).toBe(true);
            journeys.set(contactId, journey);
            // At most one open conversation per contact.
            const opened = journey.filter((e) => e.type === 'conversation.opened').map((e) => e.conversationId!);
            const stillOpen = [];
            for (const id of opened) if ((await store.getConversation(id))?.state !== 'history') stillOpen.push(id);
            expect(stillOpen.length).toBeLessThanOrEqual(1);
          }
        }

        // No message lost or duplicated: every distinct inbound id stored once, every reply once.
        const stored = [];
        for (const id of conversations) stored.push(...(await chat.messages(id, { limit: 500 })).items);
        const inbound = stored.filter((m) => m.direction === 'inbound').map((m) => m.externalId);
        expect(new Set(inbound).size).toBe(inbound.length);
        expect(new Set(inbound)).toEqual(inboundIds);
        const agentReplies = stored.filter((m) => m.author.type === 'agent').map((m) => m.id);
        expect(new Set(agentReplies)).toEqual(repliesQueued);
        // Every outbound message went to the transport exactly once.
        const sentIds = transport.sent.map((s) => s.messageId);
        expect(new Set(sentIds).size).toBe(sentIds.length);
        expect(sentIds.sort()).toEqual(stored.filter((m) => m.direction === 'outbound').map((m) => m.id).sort());
        clock.advance(48 * HOUR);
      }),
      { numRuns: 60 },
    );
  });
});
