import type { Author } from '../model/actor.js';
import type { Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';
import type { OutboxItem } from '../ports/store.js';
import { later, latest, type EngineContext } from './context.js';

/**
 * An outbound message and the outbox item that will send it, written in one commit. A message
 * outside any conversation (a broadcast) queues behind the contact's other such messages.
 */
export function queueOutbound(
  ctx: EngineContext,
  input: {
    conversation: Conversation | null;
    contact: Contact;
    content: OutboundContent;
    author: Author;
    replyTo: string | null;
    at: string;
    campaignId?: string;
  },
): { message: Message; outbox: OutboxItem } {
  const campaign = input.campaignId === undefined ? {} : { campaignId: input.campaignId };
  const message: Message = {
    id: ctx.ids('msg'),
    conversationId: input.conversation?.id ?? null,
    contactId: input.contact.id,
    channel: input.contact.channel,
    direction: 'outbound',
    author: input.author,
    content: input.content,
    externalId: null,
    replyTo: input.replyTo,
    status: 'pending',
    error: null,
    at: input.at,
    statusAt: input.at,
    ...campaign,
  };
  const outbox: OutboxItem = {
    id: ctx.ids('obx'),
    messageId: message.id,
    conversationId: message.conversationId ?? input.contact.id,
    contactId: message.contactId,
    channel: message.channel,
    to: input.contact.address,
    content: input.content,
    replyTo: input.replyTo,
    attempts: 0,
    dueAt: input.at,
    leaseUntil: null,
    createdAt: input.at,
    lastError: null,
    ...campaign,
  };
  return { message, outbox };
}

/**
 * Any message in or out is activity: it pushes the History due time. `also` sets other fields
 * in the same copy (a conversation is copied once per message, not once per field).
 */
export function touch(ctx: EngineContext, conversation: Conversation, at: string, also?: Partial<Conversation>): Conversation {
  const lastActivityAt = latest(conversation.lastActivityAt, at);
  return { ...conversation, ...also, lastActivityAt, historyDueAt: later(lastActivityAt, ctx.policy.historyAfter) };
}

/** Whether the channel's reply window (last inbound message + policy) is open at `at`. */
export function replyWindowOpen(ctx: EngineContext, conversation: Conversation, at: string): boolean {
  return conversation.lastInboundAt !== null && later(conversation.lastInboundAt, ctx.policy.replyWindow) > at;
}
