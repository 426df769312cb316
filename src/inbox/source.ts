import type { Duration } from 'date-fns';
import type { LiveChatEvent } from '../engine/events.js';
import type { InboxCounts } from '../engine/queries.js';
import type { Agent } from '../model/agent.js';
import type { AttributeValue, Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEvent } from '../model/journey.js';
import type { Message } from '../model/message.js';
import type { Page } from '../ports/store.js';

/**
 * What a reply sends besides plain text: any content an agent may send, such as an approved
 * template when the reply window is closed (the engine's `OutboundContent`).
 * @public
 */
export type ReplyContent = OutboundContent;

/**
 * A tag agents may pick by hand, from the catalog configured up front.
 * @public
 */
export interface TagDefinition {
  /** The tag's name, as stored on contacts. */
  name: string;
  /** The group it is shown under. */
  category: string;
  /** What the tag means, for a tooltip. */
  description?: string;
  /** A CSS colour for its chip. */
  color?: string;
}

/**
 * A profile attribute the page shows even before it has a value, with its label.
 * @public
 */
export interface AttributeField {
  /** The attribute key (`email`, `country`). */
  key: string;
  /** The label shown to agents. */
  label: string;
  /** A hint for the input: `email`, `phone`, `url`, `number` or plain `text`. */
  type?: 'text' | 'email' | 'phone' | 'url' | 'number';
}

/**
 * An approved template the composer offers when the reply window is closed.
 * @public
 */
export interface TemplateOption {
  /** The template's name at the channel. */
  name: string;
  /** Its language code, such as `en_US`. */
  language: string;
  /** What the agent sees in the picker. */
  label: string;
  /** The body text with `{{1}}`-style placeholders, for the preview. */
  body?: string;
  /** How many body parameters it takes. */
  parameters?: number;
}

/**
 * What an inbox needs to know before it shows anything: who is looking, who else works here,
 * the rules that decide what they see, and the catalogs the profile and composer offer.
 * @public
 */
export interface InboxSession {
  /** The agent using the inbox. */
  viewer: Agent;
  /** Every registered agent (names, transfer targets). */
  agents: Agent[];
  /** Whether admins see every intervened chat (the engine's policy). */
  adminsSeeAll: boolean;
  /** The channel's reply window after the last inbound message (the engine's policy). */
  replyWindow: Duration;
  /** Tags agents may add by hand. */
  tagCatalog: TagDefinition[];
  /** Attributes the profile always lists. */
  attributeFields: AttributeField[];
  /** Templates the composer offers outside the reply window. */
  templates: TemplateOption[];
}

/**
 * One row of an inbox view: the conversation with what the list shows of it.
 * @public
 */
export interface InboxItem {
  /** The conversation. */
  conversation: Conversation;
  /** Its contact, when known. */
  contact: Contact | null;
  /** Its newest message, when it has one. */
  lastMessage: Message | null;
}

/**
 * An opened conversation: the record, its contact and its newest messages (oldest first).
 * @public
 */
export interface ConversationDetail {
  /** The conversation. */
  conversation: Conversation;
  /** Its contact. */
  contact: Contact | null;
  /** The newest messages, oldest first. */
  messages: Message[];
  /** Pass to {@link InboxSource.messages} (order `desc`) for older messages; `null` at the start. */
  olderCursor: string | null;
}

/**
 * What a source pushes to a subscribed inbox:
 * - `event`: an engine event with its committed records;
 * - `hidden`: something happened to a chat the viewer may not see (another agent's), with only
 *   its new state, so the inbox can drop it from its lists;
 * - `reset`: events were missed and cannot be replayed: reload everything;
 * - `status`: the connection changed (a remote source reconnecting).
 * @public
 */
export type SourceSignal =
  | { kind: 'event'; event: LiveChatEvent }
  | {
      kind: 'hidden';
      type: string;
      at: string;
      conversation: { id: string; state: ConversationState; assignee: string | null; lastActivityAt: string } | null;
    }
  | { kind: 'reset'; reason: string }
  | { kind: 'status'; status: ConnectionStatus };

/**
 * The state of a source's event connection.
 * @public
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Where an inbox store gets its data and sends its actions: the engine in the same process
 * ({@link inProcessSource}) or the example server over HTTP ({@link remoteSource}). Reads and
 * actions mirror the engine's API for one viewer; failures reject with `LiveChatError`.
 *
 * Contract: `subscribe` delivers every event committed after it was called, in commit order,
 * each once; when it cannot (events lost), it signals `reset`.
 * @public
 */
export interface InboxSource {
  /** The viewer's session: agents, policy, catalogs. */
  session(viewer: string): Promise<InboxSession>;
  /** One page of an inbox view, newest activity first. */
  inbox(query: { view: ConversationState; viewer: string; cursor?: string | null; limit: number }): Promise<Page<InboxItem>>;
  /** The tab counts as the viewer sees them. */
  counts(viewer: string): Promise<InboxCounts>;
  /** A conversation with its newest messages, or `null` when it is gone or not the viewer's. */
  conversation(id: string, query: { viewer: string; limit: number }): Promise<ConversationDetail | null>;
  /** One page of a conversation's messages. */
  messages(id: string, query: { viewer: string; cursor?: string | null; limit: number; order: 'asc' | 'desc' }): Promise<Page<Message>>;
  /** One page of a contact's journey. */
  journey(contactId: string, query: { viewer: string; cursor?: string | null; limit: number; order: 'asc' | 'desc' }): Promise<Page<JourneyEvent>>;

  /** The viewer takes the chat. */
  intervene(id: string, input: { agentId: string }): Promise<Conversation>;
  /** The viewer answers. */
  reply(id: string, input: { agentId: string; content: ReplyContent }): Promise<{ conversation: Conversation; message: Message }>;
  /** The viewer hands the chat to `to`. */
  transfer(id: string, input: { agentId: string; to: string }): Promise<Conversation>;
  /** The viewer puts the chat back in the queue. */
  release(id: string, input: { agentId: string }): Promise<Conversation>;
  /** The viewer resolves the chat. */
  resolve(id: string, input: { agentId: string }): Promise<Conversation>;
  /** The viewer sets profile attributes. */
  setAttributes(contactId: string, values: Record<string, AttributeValue>, input: { agentId: string }): Promise<Contact>;
  /** The viewer adds a tag. */
  addTag(contactId: string, tag: string, input: { agentId: string }): Promise<Contact>;
  /** The viewer removes a tag. */
  removeTag(contactId: string, tag: string, input: { agentId: string }): Promise<Contact>;

  /** Starts delivering events and connection changes; returns the function that stops it. */
  subscribe(viewer: string, listener: (signal: SourceSignal) => void): () => void;
}
