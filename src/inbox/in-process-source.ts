import * as z from 'zod/mini';
import type { LiveChat } from '../engine/create-live-chat.js';
import { parseInput } from '../errors.js';
import type { Conversation } from '../model/conversation.js';
import { requireViewer, sessionCatalogsSchema, type SessionCatalogs } from './session-catalogs.js';
import type { InboxItem, InboxSource } from './source.js';

/**
 * Options of {@link inProcessSource}: the catalogs the page offers (the engine has no tag
 * catalog of its own yet, so the integrator passes it here).
 * @public
 */
export type InProcessSourceOptions = Partial<SessionCatalogs>;

const chatSchema = z.custom<LiveChat>(
  (value) => typeof value === 'object' && value !== null && typeof (value as LiveChat).on === 'function' && typeof (value as LiveChat).inbox === 'function',
  { error: 'expected a LiveChat instance from createLiveChat()' },
);

/**
 * A source over an engine in the same process: reads and actions call the engine directly and
 * events come from `chat.on('*')`, synchronously after each commit, so nothing can be missed.
 *
 * @example
 * ```ts
 * const chat = createLiveChat();
 * const inbox = createInboxStore({ source: inProcessSource(chat, { tagCatalog }), viewer: 'asha' });
 * ```
 * @public
 */
export function inProcessSource(chat: LiveChat, options: InProcessSourceOptions = {}): InboxSource {
  parseInput(chatSchema, chat, 'chat');
  const catalogs = parseInput(sessionCatalogsSchema, options, 'options');

  const item = async (conversation: Conversation, viewer: string): Promise<InboxItem> => ({
    conversation,
    contact: await chat.contact(conversation.contactId),
    lastMessage: (await chat.messages(conversation.id, { viewer, order: 'desc', limit: 1 })).items[0] ?? null,
  });

  return {
    async session(viewer) {
      const agent = requireViewer(await chat.agents.get(viewer), viewer);
      return { viewer: agent, agents: await chat.agents.list(), adminsSeeAll: chat.policy.adminsSeeAll, replyWindow: chat.policy.replyWindow, ...catalogs };
    },
    async inbox(query) {
      const page = await chat.inbox(query);
      return { items: await Promise.all(page.items.map((c) => item(c, query.viewer))), nextCursor: page.nextCursor };
    },
    counts: (viewer) => chat.counts({ viewer }),
    async conversation(id, { viewer, limit }) {
      const conversation = await chat.conversation(id, { viewer });
      if (!conversation) return null;
      const page = await chat.messages(id, { viewer, order: 'desc', limit });
      return { conversation, contact: await chat.contact(conversation.contactId), messages: page.items.reverse(), olderCursor: page.nextCursor };
    },
    messages: (id, query) => chat.messages(id, query),
    // The journey is the contact's, readable by any agent, as the engine allows.
    journey: (contactId, { viewer: _viewer, ...query }) => chat.journey(contactId, query),
    intervene: (id, input) => chat.intervene(id, input),
    reply: (id, input) => chat.reply(id, input),
    transfer: (id, input) => chat.transfer(id, input),
    release: (id, input) => chat.release(id, input),
    resolve: (id, input) => chat.resolve(id, input),
    setAttributes: (contactId, values, { agentId }) => chat.contacts.setAttributes(contactId, values, { by: { agentId } }),
    addTag: (contactId, tag, { agentId }) => chat.contacts.addTag(contactId, tag, { by: { agentId } }),
    removeTag: (contactId, tag, { agentId }) => chat.contacts.removeTag(contactId, tag, { by: { agentId } }),
    subscribe(_viewer, listener) {
      listener({ kind: 'status', status: 'live' });
      const off = chat.on('*', (event) => listener({ kind: 'event', event }));
      return () => {
        off();
        listener({ kind: 'status', status: 'closed' });
      };
    },
  };
}
