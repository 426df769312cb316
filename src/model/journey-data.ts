import type { AttributeValue, Referral, TagAssignment, TagSource } from './contact.js';
import type { Content } from './content.js';
import type { ConversationState } from './conversation.js';
import type { JourneyEvent, JourneyEventType } from './journey.js';

/**
 * What a lifecycle entry records: the state before and after, the owner after (so the journey
 * alone replays every conversation), and the command's own facts (`by`, `reason`, `agentId`, `dueAt`).
 * @public
 */
export interface LifecycleEventData {
  /** The state before. */
  from: ConversationState;
  /** The state after. */
  to: ConversationState;
  /** The assignee after (an agent id in `intervened`, `null` otherwise). */
  assignee: string | null;
  /** Who asked for a human, on `intervention.requested`. */
  by?: 'customer' | 'bot' | 'api';
  /** Why, when the requester said. */
  reason?: string;
  /** The intervening agent, on `conversation.intervened`. */
  agentId?: string;
  /** The History due time that fired, on `conversation.archived`. */
  dueAt?: string;
}

/**
 * The `data` of each journey event type, as the engine writes it. Use {@link isJourneyEvent} to
 * narrow a {@link JourneyEvent} to one type with typed data.
 * @public
 */
export interface JourneyEventDataMap {
  'contact.created': { channel: string; address: string };
  'conversation.opened': Record<string, never>;
  'message.received': { messageId: string; contentType: Content['type']; preview: string };
  'message.sent': { messageId: string; contentType: Content['type']; preview: string };
  'message.failed': {
    messageId: string;
    code?: string;
    reason?: string;
    /** Where it failed: refused at send, reported by a receipt, or never sent (broadcast cancelled). */
    stage: 'send' | 'delivery' | 'cancelled';
    kind?: string;
    attempts?: number;
    campaignId?: string;
  };
  'bot.replied': { messageId: string; inReplyTo: string; contentType: Content['type'] };
  'bot.suppressed': { inReplyTo: string; replies: number; state: ConversationState; assignee: string | null };
  'bot.failed': { messageId: string; error: string };
  'intervention.requested': LifecycleEventData;
  'conversation.intervened': LifecycleEventData;
  'conversation.transferred': LifecycleEventData;
  'conversation.released': LifecycleEventData;
  'conversation.resolved': LifecycleEventData;
  'conversation.reopened': LifecycleEventData;
  'conversation.archived': LifecycleEventData;
  'attribute.changed': { key: string; old: AttributeValue; new: AttributeValue };
  'tag.added': { tag: string; source: TagSource; campaignId?: string };
  'tag.removed': { tag: string; source: TagSource; addedBy: TagSource; reason?: string; campaignId?: string };
  'tag.renamed': { from: string; to: string; assignment: TagAssignment };
  'referral.received': Referral & { messageId: string };
  'broadcast.sent': { campaignId: string; name: string; template: string; messageId: string };
  'broadcast.replied': { campaignId: string; tag: string; messageId: string };
}

/**
 * A journey event of one type, with its data typed.
 * @public
 */
export type TypedJourneyEvent<T extends JourneyEventType> = Omit<JourneyEvent, 'type' | 'data'> & { type: T; data: JourneyEventDataMap[T] };

/**
 * Narrows a journey event to `type`, typing its data.
 *
 * @example
 * ```ts
 * for (const e of (await chat.journey(id)).items) if (isJourneyEvent(e, 'attribute.changed')) console.log(e.data.key, e.data.new);
 * ```
 * @public
 */
export function isJourneyEvent<T extends JourneyEventType>(event: JourneyEvent, type: T): event is JourneyEvent & TypedJourneyEvent<T> {
  return event.type === type;
}
