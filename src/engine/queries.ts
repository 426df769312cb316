import { LiveChatError, parseInput } from '../errors.js';
import { idSchema, type Actor } from '../model/actor.js';
import type { Agent } from '../model/agent.js';
import type { Contact } from '../model/contact.js';
import { conversationStateSchema, type Conversation, type ConversationState } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import type { Page } from '../ports/store.js';
import type { EngineContext } from './context.js';
import {
  inboxQuerySchema,
  journeyQuerySchema,
  messagesQuerySchema,
  viewerOptionsSchema,
  type InboxQuery,
  type JourneyQuery,
  type MessagesQuery,
  type ViewerOptions,
} from './inputs.js';
import { requireAgent } from './commands/agents.js';

/**
 * Whether `viewer` may see `conversation`: an intervened chat belongs to its assignee (and to
 * admins when the policy says so); every other state is visible to all. No viewer means
 * integrator code, which sees everything.
 */
export function canView(ctx: EngineContext, conversation: Conversation, viewer: Agent | null): boolean {
  if (!viewer || conversation.state !== 'intervened') return true;
  return conversation.assignee === viewer.id || (viewer.role === 'admin' && ctx.policy.adminsSeeAll);
}

const viewerOf = (ctx: EngineContext, viewer: string | undefined) => (viewer === undefined ? null : requireAgent(ctx, viewer));

export async function getConversation(ctx: EngineContext, id: string, options?: ViewerOptions): Promise<Conversation | null> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const { viewer } = parseInput(viewerOptionsSchema, options, 'options');
  const agent = await viewerOf(ctx, viewer);
  const conversation = await ctx.store.getConversation(conversationId);
  return conversation && canView(ctx, conversation, agent) ? conversation : null;
}

export async function listMessages(ctx: EngineContext, id: string, options?: MessagesQuery): Promise<Page<Message>> {
  const conversationId = parseInput(idSchema, id, 'conversationId');
  const query = parseInput(messagesQuerySchema, options, 'messages query');
  const agent = await viewerOf(ctx, query.viewer);
  const conversation = await ctx.store.getConversation(conversationId);
  if (!conversation) throw new LiveChatError('NOT_FOUND', { message: `No conversation ${conversationId}.`, details: { conversationId } });
  if (!canView(ctx, conversation, agent)) {
    throw new LiveChatError('FORBIDDEN', {
      message: `Agent ${agent?.id} may not read a chat owned by ${conversation.assignee}.`,
      details: { conversationId, owner: conversation.assignee },
    });
  }
  return ctx.store.listMessages(conversationId, { cursor: query.cursor ?? null, limit: query.limit, order: query.order });
}

/**
 * One page of an inbox view. In `intervened`, an agent sees only their own chats (admins all
 * of them when the policy says so); the other views are shared by everyone.
 */
export async function inbox(ctx: EngineContext, options: InboxQuery): Promise<Page<Conversation>> {
  const query = parseInput(inboxQuerySchema, options, 'inbox query');
  const agent = await viewerOf(ctx, query.viewer);
  const ownOnly = query.view === 'intervened' && agent !== null && !(agent.role === 'admin' && ctx.policy.adminsSeeAll);
  return ctx.store.listConversations({
    state: query.view,
    ...(ownOnly ? { assignee: agent.id } : {}),
    cursor: query.cursor ?? null,
    limit: query.limit,
  });
}

/**
 * How many conversations each inbox view holds, as `viewer` sees them (the tab counts).
 * @public
 */
export type InboxCounts = Record<ConversationState, number>;

/** The tab counts for `viewer`, with the same visibility rule as {@link inbox}. */
export async function counts(ctx: EngineContext, options?: ViewerOptions): Promise<InboxCounts> {
  const { viewer } = parseInput(viewerOptionsSchema, options, 'options');
  const agent = await viewerOf(ctx, viewer);
  const ownOnly = agent !== null && !(agent.role === 'admin' && ctx.policy.adminsSeeAll);
  const views = conversationStateSchema.options;
  const values = await Promise.all(
    views.map((state) => ctx.store.countConversations({ state, ...(ownOnly && state === 'intervened' ? { assignee: agent.id } : {}) })),
  );
  return Object.fromEntries(views.map((state, i) => [state, values[i]!])) as InboxCounts;
}

export async function getContact(ctx: EngineContext, id: string): Promise<Contact | null> {
  return ctx.store.getContact(parseInput(idSchema, id, 'contactId'));
}

export async function listJourney(ctx: EngineContext, id: string, options?: JourneyQuery): Promise<Page<JourneyEvent>> {
  const contactId = parseInput(idSchema, id, 'contactId');
  const query = parseInput(journeyQuerySchema, options, 'journey query');
  if (!(await ctx.store.getContact(contactId))) throw new LiveChatError('NOT_FOUND', { message: `No contact ${contactId}.`, details: { contactId } });
  return ctx.store.listJourney(contactId, {
    cursor: query.cursor ?? null,
    limit: query.limit,
    order: query.order,
    ...(query.types ? { types: query.types } : {}),
    ...(query.actor ? { actor: query.actor as { type: Actor['type']; id?: string } } : {}),
  });
}
