import { LiveChatError } from '../errors.js';
import { lifecycleStep } from '../lifecycle/transition.js';
import type { LifecycleEffect, LifecycleEvent } from '../lifecycle/machine.js';
import type { Actor } from '../model/actor.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import { journal, type EngineContext } from './context.js';

/** A lifecycle step applied to a stored conversation. */
export interface AppliedStep {
  /** The conversation after the step (the same object when nothing changed). */
  conversation: Conversation;
  changed: boolean;
  journey: JourneyEvent[];
  effects: LifecycleEffect[];
}

const enteredAt: Partial<Record<ConversationState, keyof Conversation>> = {
  requested: 'requestedAt',
  intervened: 'intervenedAt',
  resolved: 'resolvedAt',
  history: 'archivedAt',
};

/**
 * Runs the pure lifecycle for `event` on `conversation` and turns its effects into records:
 * the next conversation (timestamps of the state entered, a new version) and journey entries.
 * Rejections become the engine's errors here, so every command reports them the same way.
 */
export function applyLifecycle(
  ctx: EngineContext,
  conversation: Conversation,
  event: LifecycleEvent,
  actor: Actor,
  at: string,
  data: Record<string, unknown> = {},
): AppliedStep {
  const step = lifecycleStep(conversation.state, conversation.assignee, event);
  if (!step.handled) {
    throw new LiveChatError('INVALID_TRANSITION', {
      message: `Cannot ${event.type} a conversation that is ${conversation.state}.`,
      details: { conversationId: conversation.id, state: conversation.state, event: event.type },
    });
  }
  for (const effect of step.effects) {
    if (effect.type !== 'reject') continue;
    const { code, owner } = effect.params;
    throw new LiveChatError(code, {
      message:
        code === 'ALREADY_INTERVENED'
          ? `Agent ${owner} has already intervened in this conversation.`
          : `Only the assignee (${owner}) or an admin may do this.`,
      details: { conversationId: conversation.id, owner, state: conversation.state },
    });
  }
  const moved = step.state !== conversation.state || step.assignee !== conversation.assignee;
  if (!moved) return { conversation, changed: false, journey: [], effects: step.effects };

  const next: Conversation = { ...conversation, state: step.state, assignee: step.assignee, version: conversation.version + 1 };
  const field = step.state !== conversation.state ? enteredAt[step.state] : undefined;
  if (field) (next as Record<string, unknown>)[field] = at;
  if (step.state === 'resolved') next.resolvedBy = actor.type === 'agent' ? actor.id : null;

  const journey = step.effects.flatMap((effect) =>
    effect.type === 'journal'
      ? [
          journal(ctx, {
            type: effect.params.event,
            contactId: conversation.contactId,
            conversationId: conversation.id,
            actor,
            at,
            // State and owner after the step, so the journey alone can replay every conversation.
            data: { ...data, from: conversation.state, to: step.state, assignee: step.assignee },
          }),
        ]
      : [],
  );
  return { conversation: next, changed: true, journey, effects: step.effects };
}

/** Whether the step asked for this effect. */
export const hasEffect = (step: Pick<AppliedStep, 'effects'>, type: LifecycleEffect['type']): boolean =>
  step.effects.some((e) => e.type === type);
