import { assign, setup } from 'xstate';
import type { JourneyEventType } from '../model/journey.js';

/**
 * What the lifecycle remembers beyond its state: who owns the chat.
 * Invariant: `assignee` is set exactly in `intervened`.
 * @public
 */
export interface LifecycleContext {
  /** The agent who owns the chat, or `null`. */
  assignee: string | null;
}

/**
 * The events the lifecycle understands. Agent events carry `admin` so guards stay pure;
 * `botInRequested` carries the policy that lets the bot keep answering in Requested.
 * @public
 */
export type LifecycleEvent =
  | { type: 'customer.message'; botInRequested: boolean }
  | { type: 'intervention.request'; by: 'customer' | 'bot' | 'api' }
  | { type: 'agent.intervene'; agentId: string; admin: boolean }
  | { type: 'agent.reply'; agentId: string; admin: boolean }
  | { type: 'agent.transfer'; agentId: string; admin: boolean; to: string }
  | { type: 'agent.release'; agentId: string; admin: boolean }
  | { type: 'agent.resolve'; agentId: string; admin: boolean }
  | { type: 'bot.reply'; botInRequested: boolean }
  | { type: 'history.due' };

/**
 * The effects the machine asks for, as data. The engine interprets them; the machine runs none.
 * - `journal`: append this journey event;
 * - `askBot` / `holdForAgent` / `deliverToAssignee`: what happens to a customer message;
 * - `sendAgentReply` / `sendBotReply` / `suppressBot`: whether an outbound message goes out;
 * - `noop`: the command is valid and changes nothing (idempotent repeat);
 * - `reject`: the command is refused with this error code.
 * @public
 */
export type LifecycleEffect =
  | { type: 'journal'; params: { event: JourneyEventType } }
  | { type: 'askBot' }
  | { type: 'holdForAgent' }
  | { type: 'deliverToAssignee' }
  | { type: 'sendAgentReply' }
  | { type: 'sendBotReply' }
  | { type: 'suppressBot' }
  | { type: 'noop' }
  | { type: 'reject'; params: { code: 'FORBIDDEN' | 'ALREADY_INTERVENED'; owner: string | null } };

type AgentEvent = Extract<LifecycleEvent, { agentId: string }>;

// Effects are declared with empty implementations: transition() hands them back as data.
const effect = () => {};

const journal = (event: JourneyEventType) => ({ type: 'journal' as const, params: { event } });

const rejectAs = (code: 'FORBIDDEN' | 'ALREADY_INTERVENED') => ({
  type: 'reject' as const,
  params: ({ context }: { context: LifecycleContext }) => ({ code, owner: context.assignee }),
});

const assignAgent = assign<LifecycleContext, LifecycleEvent, undefined, LifecycleEvent, never>({
  assignee: ({ event }) => (event as AgentEvent).agentId,
});
const assignTransferee = assign<LifecycleContext, LifecycleEvent, undefined, LifecycleEvent, never>({
  assignee: ({ event }) => (event as Extract<LifecycleEvent, { type: 'agent.transfer' }>).to,
});
const unassign = assign<LifecycleContext, LifecycleEvent, undefined, LifecycleEvent, never>({ assignee: null });

/**
 * The conversation lifecycle of DESIGN section 3, as a pure XState v5 machine.
 *
 * It is never run as a live actor: the engine restores a snapshot from the stored conversation
 * (`state` and `assignee`), applies one event with a pure transition, stores the result and
 * interprets the returned effects. It has no `invoke` and no delayed events: the History timer
 * is a durable due time owned by the engine, which sends `history.due` when it fires.
 *
 * @example
 * ```ts
 * import { transition } from 'xstate';
 * const snapshot = conversationMachine.resolveState({ value: 'requested', context: { assignee: null } });
 * const [next, effects] = transition(conversationMachine, snapshot, { type: 'agent.intervene', agentId: 'asha', admin: false });
 * next.value; // 'intervened'
 * ```
 * @public
 */
export const conversationMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
  },
  actions: {
    journal: effect,
    askBot: effect,
    holdForAgent: effect,
    deliverToAssignee: effect,
    sendAgentReply: effect,
    sendBotReply: effect,
    suppressBot: effect,
    noop: effect,
    reject: effect,
  },
  guards: {
    botInRequested: ({ event }) => 'botInRequested' in event && event.botInRequested,
    isAssignee: ({ context, event }) => (event as AgentEvent).agentId === context.assignee,
    isAssigneeOrAdmin: ({ context, event }) => {
      const e = event as AgentEvent;
      return e.admin || e.agentId === context.assignee;
    },
    transfersToAssignee: ({ context, event }) =>
      (event as Extract<LifecycleEvent, { type: 'agent.transfer' }>).to === context.assignee,
  },
}).createMachine({
  id: 'conversation',
  initial: 'active',
  context: { assignee: null },
  states: {
    active: {
      on: {
        'customer.message': { actions: 'askBot' },
        'bot.reply': { actions: 'sendBotReply' },
        'intervention.request': { target: 'requested', actions: journal('intervention.requested') },
        'agent.intervene': { target: 'intervened', actions: [assignAgent, journal('conversation.intervened')] },
        'history.due': { target: 'history', actions: journal('conversation.archived') },
      },
    },
    requested: {
      on: {
        'customer.message': [{ guard: 'botInRequested', actions: 'askBot' }, { actions: 'holdForAgent' }],
        'bot.reply': [{ guard: 'botInRequested', actions: 'sendBotReply' }, { actions: 'suppressBot' }],
        'intervention.request': { actions: 'noop' },
        'agent.intervene': { target: 'intervened', actions: [assignAgent, journal('conversation.intervened')] },
        'history.due': { target: 'history', actions: journal('conversation.archived') },
      },
    },
    intervened: {
      on: {
        'customer.message': { actions: 'deliverToAssignee' },
        'bot.reply': { actions: 'suppressBot' },
        'agent.intervene': [{ guard: 'isAssignee', actions: 'noop' }, { actions: rejectAs('ALREADY_INTERVENED') }],
        'agent.reply': [{ guard: 'isAssigneeOrAdmin', actions: 'sendAgentReply' }, { actions: rejectAs('FORBIDDEN') }],
        'agent.transfer': [
          { guard: 'transfersToAssignee', actions: 'noop' },
          { guard: 'isAssigneeOrAdmin', actions: [assignTransferee, journal('conversation.transferred')] },
          { actions: rejectAs('FORBIDDEN') },
        ],
        'agent.release': [
          { guard: 'isAssigneeOrAdmin', target: 'requested', actions: [unassign, journal('conversation.released')] },
          { actions: rejectAs('FORBIDDEN') },
        ],
        'agent.resolve': [
          { guard: 'isAssigneeOrAdmin', target: 'resolved', actions: [unassign, journal('conversation.resolved')] },
          { actions: rejectAs('FORBIDDEN') },
        ],
        'history.due': { target: 'history', actions: [unassign, journal('conversation.archived')] },
      },
    },
    resolved: {
      on: {
        'customer.message': { target: 'active', actions: [journal('conversation.reopened'), 'askBot'] },
        'bot.reply': { actions: 'suppressBot' },
        'intervention.request': { target: 'requested', actions: journal('intervention.requested') },
        'agent.intervene': { target: 'intervened', actions: [assignAgent, journal('conversation.intervened')] },
        'history.due': { target: 'history', actions: journal('conversation.archived') },
      },
    },
    history: { type: 'final' },
  },
});
