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
  /** The contact's first message created it. */
  'contact.created': { channel: string; address: string };
  /** A new conversation opened. */
  'conversation.opened': Record<string, never>;
  /** The customer wrote. */
  'message.received': { messageId: string; contentType: Content['type']; preview: string };
  /** An agent's reply was queued. */
  'message.sent': { messageId: string; contentType: Content['type']; preview: string };
  /** An outbound message failed for good. */
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
  /** The bot answered. */
  'bot.replied': { messageId: string; inReplyTo: string; contentType: Content['type'] };
  /** The bot's answer was dropped: an agent took the chat meanwhile. */
  'bot.suppressed': { inReplyTo: string; replies: number; state: ConversationState; assignee: string | null };
  /** The bot threw, timed out or answered something invalid. */
  'bot.failed': { messageId: string; error: string };
  /** Someone asked for a human. */
  'intervention.requested': LifecycleEventData;
  /** An agent took the chat. */
  'conversation.intervened': LifecycleEventData;
  /** The chat moved to another agent. */
  'conversation.transferred': LifecycleEventData;
  /** The agent put the chat back in the queue. */
  'conversation.released': LifecycleEventData;
  /** The chat was resolved. */
  'conversation.resolved': LifecycleEventData;
  /** A customer message reopened a resolved chat to the bot. */
  'conversation.reopened': LifecycleEventData;
  /** The chat went to History. */
  'conversation.archived': LifecycleEventData;
  /** An attribute changed (nothing is recorded for an equal value). */
  'attribute.changed': { key: string; old: AttributeValue; new: AttributeValue };
  /** A tag was applied; with the entry's actor, time and conversation, its whole provenance. */
  'tag.added': { tag: string; source: TagSource; campaignId?: string };
  /** A tag was removed (`addedBy`: its source when it was applied). */
  'tag.removed': { tag: string; source: TagSource; addedBy: TagSource; reason?: string; campaignId?: string };
  /** The tag moved to a new name; `assignment` is what the contact holds under it now. */
  'tag.renamed': { from: string; to: string; assignment: TagAssignment };
  /** An inbound message carried an ad referral. */
  'referral.received': Referral & { messageId: string };
  /** A broadcast's message to the contact was accepted by the channel. */
  'broadcast.sent': { campaignId: string; name: string; template: string; messageId: string };
  /** The customer's first message after a broadcast, within the reply window. */
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
