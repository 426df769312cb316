import { createActor, type AnyActorScope, type SnapshotFrom } from 'xstate';
import type { ConversationState } from '../model/conversation.js';
import {
  conversationMachine,
  type LifecycleContext,
  type LifecycleEffect,
  type LifecycleEvent,
} from './machine.js';

/**
 * A restored snapshot of {@link conversationMachine}.
 * @public
 */
export type LifecycleSnapshot = SnapshotFrom<typeof conversationMachine>;

/**
 * The outcome of one lifecycle step, in the engine's terms.
 * `handled: false` means the state has no transition for the event (INVALID_TRANSITION).
 * @public
 */
export interface LifecycleStep {
  /** The state after the event. */
  state: ConversationState;
  /** The assignee after the event. */
  assignee: string | null;
  /** The effects the engine must interpret, in order. */
  effects: LifecycleEffect[];
  /** Whether the state has a transition for the event. */
  handled: boolean;
}

// xstate's `transition()` builds a throwaway actor and actor system per call (about 25 µs,
// as much as restoring a live actor). The machine has no invoke, spawn or delays, so one inert
// scope that only collects the actions it is handed is equivalent and several times cheaper;
// test/lifecycle proves both give the same result for every state and event.
let collected: LifecycleEffect[] = [];
let inertScope: AnyActorScope | undefined;
function scope(): AnyActorScope {
  if (inertScope) return inertScope;
  const self = createActor(conversationMachine);
  inertScope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      collected.push({ type: action.type, params: action.params } as LifecycleEffect);
    },
  } as unknown as AnyActorScope;
  return inertScope;
}

// Restored snapshots are immutable, and there are only (states x assignees) of them.
const snapshots = new Map<string, LifecycleSnapshot>();
const SNAPSHOT_CACHE_LIMIT = 10_000;

/**
 * The machine snapshot for a stored conversation's `state` and `assignee`.
 * @public
 */
export function restoreSnapshot(state: ConversationState, assignee: string | null): LifecycleSnapshot {
  const key = assignee === null ? state : `${state}\u0000${assignee}`;
  let snapshot = snapshots.get(key);
  if (!snapshot) {
    const context: LifecycleContext = { assignee };
    snapshot = conversationMachine.resolveState({ value: state, context });
    if (snapshots.size >= SNAPSHOT_CACHE_LIMIT) snapshots.clear();
    snapshots.set(key, snapshot);
  }
  return snapshot;
}

/**
 * One event through the machine: xstate's `transition()` on the restored snapshot, with the
 * inert scope. {@link lifecycleStep} caches what this returns.
 */
export function transitionStep(state: ConversationState, assignee: string | null, event: LifecycleEvent): LifecycleStep {
  const before = restoreSnapshot(state, assignee);
  const actorScope = scope();
  collected = [];
  const after = conversationMachine.transition(before, event, actorScope);
  const effects = collected;
  collected = [];
  return {
    state: after.value as ConversationState,
    assignee: after.context.assignee,
    effects,
    handled: after !== before || effects.length > 0,
  };
}

// The machine is pure: the same state, assignee and event always give the same step. So steps
// are cached by those three, and the per-message path runs xstate's transition() once per
// distinct input instead of every time (an actor per event could not be cached: its actions
// run as it goes). Cached steps are shared, so they are frozen.
const steps = new Map<string, LifecycleStep>();
const STEP_CACHE_LIMIT = 10_000;

// Free-form strings (agent ids) are length-prefixed, so no two inputs share a key.
const free = (s: string | null | undefined): string => (s == null ? '-' : `${s.length}:${s}`);

function stepKey(state: ConversationState, assignee: string | null, event: LifecycleEvent): string {
  const head = `${event.type}|${state}|${free(assignee)}`;
  switch (event.type) {
    case 'customer.message':
    case 'bot.reply':
      return `${head}|${event.botInRequested ? 1 : 0}`;
    case 'intervention.request':
      return `${head}|${event.by}`;
    case 'history.due':
      return head;
    case 'agent.transfer':
      return `${head}|${event.admin ? 1 : 0}|${free(event.agentId)}|${free(event.to)}`;
    default:
      return `${head}|${event.admin ? 1 : 0}|${free(event.agentId)}`;
  }
}

function frozen(step: LifecycleStep): LifecycleStep {
  for (const effect of step.effects) {
    if ('params' in effect && effect.params) Object.freeze(effect.params);
    Object.freeze(effect);
  }
  Object.freeze(step.effects);
  return Object.freeze(step);
}

/**
 * Applies one event to a conversation's lifecycle. Pure: no I/O, the effects come back as data.
 * The answer is xstate's `transition()` of {@link conversationMachine}, cached by state,
 * assignee and event; it is frozen, as it may be shared with other callers.
 *
 * @example
 * ```ts
 * const step = lifecycleStep('intervened', 'asha', { type: 'agent.reply', agentId: 'bo', admin: false });
 * step.effects; // [{ type: 'reject', params: { code: 'FORBIDDEN', owner: 'asha' } }]
 * ```
 * @public
 */
export function lifecycleStep(state: ConversationState, assignee: string | null, event: LifecycleEvent): LifecycleStep {
  const key = stepKey(state, assignee, event);
  let step = steps.get(key);
  if (!step) {
    step = frozen(transitionStep(state, assignee, event));
    if (steps.size >= STEP_CACHE_LIMIT) steps.clear();
    steps.set(key, step);
  }
  return step;
}
