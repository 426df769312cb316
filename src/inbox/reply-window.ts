import { add, type Duration } from 'date-fns';
import type { Conversation } from '../model/conversation.js';
import type { ReplyWindow } from './state.js';

/**
 * The reply window of `conversation` at `now`: open until the last inbound message plus
 * `length`, `closing-soon` in the last `closingSoonMs` of it, then closed. Also returns when
 * it next changes, so the store can set one timer instead of polling.
 */
export function replyWindowAt(
  conversation: Pick<Conversation, 'lastInboundAt'>,
  length: Duration,
  closingSoonMs: number,
  now: Date,
): { window: ReplyWindow; changesInMs: number | null } {
  if (conversation.lastInboundAt === null) return { window: { state: 'closed', closesAt: null }, changesInMs: null };
  const closes = add(new Date(conversation.lastInboundAt), length);
  const left = closes.getTime() - now.getTime();
  const closesAt = closes.toISOString();
  if (left <= 0) return { window: { state: 'closed', closesAt }, changesInMs: null };
  if (left <= closingSoonMs) return { window: { state: 'closing-soon', closesAt }, changesInMs: left };
  return { window: { state: 'open', closesAt }, changesInMs: left - closingSoonMs };
}
