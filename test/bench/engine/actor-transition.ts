import { createActor, type Snapshot } from 'xstate';
import { conversationMachine, type LifecycleEffect, type LifecycleEvent } from '../../../src/lifecycle/machine.js';
import type { LifecycleStep } from '../../../src/lifecycle/transition.js';
import type { ConversationState } from '../../../src/model/conversation.js';

// The common XState pattern the engine avoids: keep the actor's persisted snapshot with the
// record, and per event restore a live actor from it, start it, send the event, persist the new
// snapshot and stop the actor. Effects are collected by action implementations given with
// `provide`, which is how that pattern runs side effects.

let collected: LifecycleEffect[] = [];
const collect =
  (type: LifecycleEffect['type']) =>
  (_: unknown, params: unknown): void => {
    collected.push((params === undefined ? { type } : { type, params }) as LifecycleEffect);
  };

const collecting = conversationMachine.provide({
  actions: {
    journal: collect('journal'),
    askBot: collect('askBot'),
    holdForAgent: collect('holdForAgent'),
    deliverToAssignee: collect('deliverToAssignee'),
    sendAgentReply: collect('sendAgentReply'),
    sendBotReply: collect('sendBotReply'),
    suppressBot: collect('suppressBot'),
    noop: collect('noop'),
    reject: collect('reject'),
  },
});

/**
 * The persisted snapshot as that pattern stores it next to the record (the JSON shape of
 * `actor.getPersistedSnapshot()` for this machine, which has no children and no history).
 */
export const persistedSnapshot = (state: ConversationState, assignee: string | null) => ({
  status: state === 'history' ? 'done' : 'active',
  value: state,
  context: { assignee },
  children: {},
  historyValue: {},
  output: undefined,
  error: undefined,
});

/**
 * One lifecycle step through a live actor restored per event. Same signature and answers as the
 * engine's `lifecycleStep` (src/lifecycle/transition.ts).
 */
export function lifecycleStep(state: ConversationState, assignee: string | null, event: LifecycleEvent): LifecycleStep {
  collected = [];
  const actor = createActor(collecting, { snapshot: persistedSnapshot(state, assignee) as unknown as Snapshot<unknown> });
  actor.start();
  const before = actor.getSnapshot();
  actor.send(event);
  const after = actor.getSnapshot();
  const persisted = actor.getPersistedSnapshot() as unknown as { value: ConversationState; context: { assignee: string | null } };
  actor.stop();
  const effects = collected;
  collected = [];
  return { state: persisted.value, assignee: persisted.context.assignee, effects, handled: after !== before || effects.length > 0 };
}

export { restoreSnapshot, type LifecycleSnapshot, type LifecycleStep } from '../../../src/lifecycle/transition.js';
