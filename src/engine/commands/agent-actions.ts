import { LiveChatError, parseInput } from '../../errors.js';
import type { LifecycleEvent } from '../../lifecycle/machine.js';
import { idSchema } from '../../model/actor.js';
import type { Agent } from '../../model/agent.js';
import { contentPreview } from '../../model/content.js';
import type { Conversation } from '../../model/conversation.js';
import type { Message } from '../../model/message.js';
import { journal, nowIso, type EngineContext } from '../context.js';
import {
  agentActionInputSchema,
  replyInputSchema,
  requestInterventionInputSchema,
  transferInputSchema,
  type AgentActionInput,
  type ReplyInput,
  type RequestInterventionInput,
  type TransferInput,
} from '../inputs.js';
import { applyLifecycle } from '../lifecycle-step.js';
import { queueOutbound, replyWindowOpen, touch } from '../outbound.js';
import { runUnit } from '../unit-of-work.js';
import { requireAgent } from './agents.js';

/** Loads a conversation or throws `NOT_FOUND`. */
export async function requireConversation(ctx: EngineContext, id: string): Promise<Conversation> {
  const conversation = await ctx.store.getConversation(id);
  if (!conversation) throw new LiveChatError('NOT_FOUND', { message: `No conversation ${id}.`, details: { conversationId: id } });
  return conversation;
}

/** A lifecycle-only command: load, step, commit the state change with its journey. */
async function stateCommand(
  ctx: EngineContext,
  conversationId: string,
  actor: Parameters<typeof applyLifecycle>[3],
  event: LifecycleEvent,
  data?: Record<string, unknown>,
): Promise<Conversation> {
  return runUnit(ctx, async () => {
    const conversation = await requireConversation(ctx, conversationId);
    const step = applyLifecycle(ctx, conversation, event, actor, nowIso(ctx), data);
    if (!step.changed) return { changes: {}, result: conversation };
    return {
      changes: { conversations: [{ record: step.conversation, expectedVersion: conversation.version }], journey: step.journey },
      result: step.conversation,
    };
  });
}

async function agentEvent<T extends { agentId: string }>(ctx: EngineContext, input: T): Promise<Agent> {
  return requireAgent(ctx, input.agentId);
}

export async function requestIntervention(ctx: EngineContext, id: string, raw: RequestInterventionInput): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const input = parseInput(requestInterventionInputSchema, raw, 'requestIntervention input');
  const actor = input.by === 'api' ? ({ type: 'api' } as const) : ({ type: input.by } as const);
  return stateCommand(ctx, conversationId, actor, { type: 'intervention.request', by: input.by }, {
    by: input.by,
    ...(input.reason ? { reason: input.reason } : {}),
  });
}

export async function intervene(ctx: EngineContext, id: string, raw: AgentActionInput): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const agent = await agentEvent(ctx, parseInput(agentActionInputSchema, raw, 'intervene input'));
  return stateCommand(ctx, conversationId, { type: 'agent', id: agent.id }, { type: 'agent.intervene', agentId: agent.id, admin: agent.role === 'admin' }, { agentId: agent.id });
}

export async function transfer(ctx: EngineContext, id: string, raw: TransferInput): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const input = parseInput(transferInputSchema, raw, 'transfer input');
  const agent = await requireAgent(ctx, input.agentId);
  const to = await requireAgent(ctx, input.to);
  return stateCommand(
    ctx,
    conversationId,
    { type: 'agent', id: agent.id },
    { type: 'agent.transfer', agentId: agent.id, admin: agent.role === 'admin', to: to.id },
  );
}

export async function release(ctx: EngineContext, id: string, raw: AgentActionInput): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const agent = await agentEvent(ctx, parseInput(agentActionInputSchema, raw, 'release input'));
  return stateCommand(ctx, conversationId, { type: 'agent', id: agent.id }, { type: 'agent.release', agentId: agent.id, admin: agent.role === 'admin' });
}

export async function resolve(ctx: EngineContext, id: string, raw: AgentActionInput): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const agent = await agentEvent(ctx, parseInput(agentActionInputSchema, raw, 'resolve input'));
  return stateCommand(ctx, conversationId, { type: 'agent', id: agent.id }, { type: 'agent.resolve', agentId: agent.id, admin: agent.role === 'admin' });
}

/**
 * What `chat.reply` returns: the conversation after the reply and the queued message
 * (status `pending` until the transport accepts it).
 * @public
 */
export interface ReplyResult {
  /** The conversation after the reply (its History due time pushed out). */
  conversation: Conversation;
  /** The queued outbound message. */
  message: Message;
}

export async function reply(ctx: EngineContext, id: string, raw: ReplyInput): Promise<ReplyResult> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const input = parseInput(replyInputSchema, raw, 'reply input');
  ctx.transport.validate?.(input.content);
  const agent = await requireAgent(ctx, input.agentId);
  return runUnit(ctx, async () => {
    const conversation = await requireConversation(ctx, conversationId);
    const now = nowIso(ctx);
    const actor = { type: 'agent', id: agent.id } as const;
    applyLifecycle(ctx, conversation, { type: 'agent.reply', agentId: agent.id, admin: agent.role === 'admin' }, actor, now);
    if (input.content.type !== 'template' && !replyWindowOpen(ctx, conversation, now)) {
      throw new LiveChatError('REPLY_WINDOW_CLOSED', {
        message: `The reply window closed (last customer message at ${conversation.lastInboundAt ?? 'never'}): send a template instead.`,
        details: { conversationId, lastInboundAt: conversation.lastInboundAt },
      });
    }
    const contact = await ctx.store.getContact(conversation.contactId);
    if (!contact) throw new LiveChatError('NOT_FOUND', { message: `No contact ${conversation.contactId}.` });
    const { message, outbox } = queueOutbound(ctx, { conversation, contact, content: input.content, author: actor, replyTo: input.replyTo ?? null, at: now });
    const next = touch(ctx, conversation, now, { version: conversation.version + 1 });
    return {
      changes: {
        conversations: [{ record: next, expectedVersion: conversation.version }],
        messages: [message],
        outboxInserts: [outbox],
        journey: [
          journal(ctx, {
            type: 'message.sent',
            contactId: contact.id,
            conversationId,
            actor,
            at: now,
            data: { messageId: message.id, contentType: input.content.type, preview: contentPreview(input.content).slice(0, 200) },
          }),
        ],
      },
      result: { conversation: next, message },
      contact,
    };
  });
}
