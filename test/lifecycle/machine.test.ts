import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import {
  conversationMachine,
  lifecycleStep,
  restoreSnapshot,
  type ConversationState,
  type LifecycleEvent,
} from '../../src/index.js';
import { transitionStep } from '../../src/lifecycle/transition.js';

// The lifecycle table of DESIGN section 3, written out independently of the machine: for each
// state and event, the expected next state, assignee and effect kinds, or `null` when the
// state has no such transition (INVALID_TRANSITION).
type Row = { state: ConversationState; assignee: string | null; effects: string[] } | null;

const ASHA = 'asha';
const states: ConversationState[] = ['active', 'requested', 'intervened', 'resolved', 'history'];

const events: Record<string, LifecycleEvent> = {
  'customer message (bot in requested)': { type: 'customer.message', botInRequested: true },
  'customer message (bot silent in requested)': { type: 'customer.message', botInRequested: false },
  'intervention request': { type: 'intervention.request', by: 'customer' },
  'intervene by asha': { type: 'agent.intervene', agentId: ASHA, admin: false },
  'intervene by bo': { type: 'agent.intervene', agentId: 'bo', admin: false },
  'intervene by admin': { type: 'agent.intervene', agentId: 'root', admin: true },
  'reply by asha': { type: 'agent.reply', agentId: ASHA, admin: false },
  'reply by bo': { type: 'agent.reply', agentId: 'bo', admin: false },
  'reply by admin': { type: 'agent.reply', agentId: 'root', admin: true },
  'transfer asha->bo by asha': { type: 'agent.transfer', agentId: ASHA, admin: false, to: 'bo' },
  'transfer asha->bo by bo': { type: 'agent.transfer', agentId: 'bo', admin: false, to: 'bo' },
  'transfer ->cy by bo': { type: 'agent.transfer', agentId: 'bo', admin: false, to: 'cy' },
  'transfer ->cy by admin': { type: 'agent.transfer', agentId: 'root', admin: true, to: 'cy' },
  'release by asha': { type: 'agent.release', agentId: ASHA, admin: false },
  'release by bo': { type: 'agent.release', agentId: 'bo', admin: false },
  'release by admin': { type: 'agent.release', agentId: 'root', admin: true },
  'resolve by asha': { type: 'agent.resolve', agentId: ASHA, admin: false },
  'resolve by bo': { type: 'agent.resolve', agentId: 'bo', admin: false },
  'resolve by admin': { type: 'agent.resolve', agentId: 'root', admin: true },
  'bot reply (bot in requested)': { type: 'bot.reply', botInRequested: true },
  'bot reply (bot silent in requested)': { type: 'bot.reply', botInRequested: false },
  'history due': { type: 'history.due' },
};

/** The assignee a conversation in `state` has in these tests: asha owns intervened chats. */
const ownerIn = (state: ConversationState) => (state === 'intervened' ? ASHA : null);

function expected(state: ConversationState, name: string): Row {
  const e = events[name]!;
  const stay = (effects: string[]): Row => ({ state, assignee: ownerIn(state), effects });
  const go = (to: ConversationState, assignee: string | null, effects: string[]): Row => ({ state: to, assignee, effects });
  const agentId = 'agentId' in e ? e.agentId : null;
  const admin = 'admin' in e && e.admin;
  if (state === 'history') return null;
  switch (e.type) {
    case 'customer.message':
      if (state === 'active') return stay(['askBot']);
      if (state === 'requested') return stay([e.botInRequested ? 'askBot' : 'holdForAgent']);
      if (state === 'intervened') return stay(['deliverToAssignee']);
      return go('active', null, ['journal:conversation.reopened', 'askBot']);
    case 'bot.reply':
      if (state === 'active') return stay(['sendBotReply']);
      if (state === 'requested') return stay([e.botInRequested ? 'sendBotReply' : 'suppressBot']);
      return stay(['suppressBot']);
    case 'intervention.request':
      if (state === 'active' || state === 'resolved') return go('requested', null, ['journal:intervention.requested']);
      if (state === 'requested') return stay(['noop']);
      return null;
    case 'agent.intervene':
      if (state !== 'intervened') return go('intervened', agentId, ['journal:conversation.intervened']);
      return agentId === ASHA ? stay(['noop']) : stay(['reject:ALREADY_INTERVENED:asha']);
    case 'agent.reply':
      if (state !== 'intervened') return null;
      return agentId === ASHA || admin ? stay(['sendAgentReply']) : stay(['reject:FORBIDDEN:asha']);
    case 'agent.transfer':
      if (state !== 'intervened') return null;
      if (e.to === ASHA) return stay(['noop']);
      return agentId === ASHA || admin ? go('intervened', e.to, ['journal:conversation.transferred']) : stay(['reject:FORBIDDEN:asha']);
    case 'agent.release':
      if (state !== 'intervened') return null;
      return agentId === ASHA || admin ? go('requested', null, ['journal:conversation.released']) : stay(['reject:FORBIDDEN:asha']);
    case 'agent.resolve':
      if (state !== 'intervened') return null;
      return agentId === ASHA || admin ? go('resolved', null, ['journal:conversation.resolved']) : stay(['reject:FORBIDDEN:asha']);
    case 'history.due':
      return go('history', null, ['journal:conversation.archived']);
  }
}

function describeEffects(effects: ReturnType<typeof lifecycleStep>['effects']): string[] {
  return effects.map((e) => {
    if (e.type === 'journal') return `journal:${e.params.event}`;
    if (e.type === 'reject') return `reject:${e.params.code}:${e.params.owner}`;
    return e.type;
  });
}

describe('conversation lifecycle', () => {
  for (const state of states) {
    describe(`in ${state}`, () => {
      for (const name of Object.keys(events)) {
        const want = expected(state, name);
        it(`${name} ${want === null ? 'is not allowed' : `leads to ${want.state}`}`, () => {
          const step = lifecycleStep(state, ownerIn(state), events[name]!);
          if (want === null) {
            expect(step.handled).toBe(false);
            expect(step.effects).toEqual([]);
            expect(step.state).toBe(state);
            return;
          }
          expect(step.handled).toBe(true);
          expect(step.state).toBe(want.state);
          expect(step.assignee).toBe(want.assignee);
          expect(describeEffects(step.effects)).toEqual(want.effects);
        });
      }
    });
  }

  it('keeps "intervened" and "has an assignee" equivalent after any step', () => {
    for (const state of states) {
      for (const event of Object.values(events)) {
        const step = lifecycleStep(state, ownerIn(state), event);
        expect(step.assignee !== null).toBe(step.state === 'intervened');
      }
    }
  });

  it('gives exactly what xstate\u2019s own transition() gives, for any state, owner and event', () => {
    const stateArb = fc.constantFrom(...states);
    const eventArb = fc.constantFrom(...Object.values(events));
    fc.assert(
      fc.property(stateArb, eventArb, (state, event) => {
        const owner = ownerIn(state);
        const ours = lifecycleStep(state, owner, event);
        const before = restoreSnapshot(state, owner);
        const [after, actions] = transition(conversationMachine, before, event);
        expect(ours.state).toBe(after.value);
        expect(ours.assignee).toBe(after.context.assignee);
        expect(ours.effects).toEqual(actions.map((a) => ({ type: a.type, params: a.params })));
      }),
      { numRuns: 500 },
    );
  });

  it('caches steps without mixing up inputs: a cached answer equals a fresh transition, and is frozen', () => {
    // Agent ids that would collide under a naive joined key ('a|b' + 'c' vs 'a' + 'b|c').
    const agentArb = fc.constantFrom('asha', 'bo', 'a|1', '1:a', 'a', '', 'x|0|y');
    const eventArb = fc.oneof(
      fc.constantFrom(...Object.values(events)),
      fc.record({ type: fc.constantFrom('agent.intervene', 'agent.reply', 'agent.release', 'agent.resolve'), agentId: agentArb, admin: fc.boolean() }),
      fc.record({ type: fc.constant('agent.transfer'), agentId: agentArb, admin: fc.boolean(), to: agentArb }),
    ) as fc.Arbitrary<LifecycleEvent>;
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.option(agentArb, { nil: null }), eventArb, (state, owner, event) => {
        const assignee = state === 'intervened' ? (owner ?? ASHA) : null;
        const fresh = transitionStep(state, assignee, event);
        const first = lifecycleStep(state, assignee, event);
        const again = lifecycleStep(state, assignee, { ...event });
        expect(first).toEqual(fresh);
        expect(again).toBe(first);
        expect(Object.isFrozen(first) && Object.isFrozen(first.effects)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('starts in active with no assignee', () => {
    const [snapshot, actions] = initialTransition(conversationMachine);
    expect(snapshot.value).toBe('active');
    expect(snapshot.context).toEqual({ assignee: null });
    expect(actions).toEqual([]);
  });
});
