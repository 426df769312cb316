import type { Actor, Author } from '../model/actor.js';
import type { Agent } from '../model/agent.js';
import type { AttributeValue, Contact, Referral, TagSource } from '../model/contact.js';
import type { Content } from '../model/content.js';
import type { Conversation, ConversationState } from '../model/conversation.js';
import type { JourneyEventType } from '../model/journey.js';
import type { DeliveryError, MessageStatus } from '../model/message.js';
import type { AttributeField, ConnectionStatus, TagDefinition, TemplateOption } from './source.js';

// The inbox's state is shaped for screens, not for storage: every field is something a page
// shows, already joined (names instead of ids) and ordered. It is immutable; an update replaces
// only the objects on the path to what changed, so a component that reads one conversation
// does not re-render when another one moves.

/**
 * An inbox view (tab): the five lifecycle states.
 * @public
 */
export type InboxView = ConversationState;

/**
 * Every inbox view, in tab order.
 * @public
 */
export const inboxViews: readonly InboxView[] = Object.freeze(['active', 'requested', 'intervened', 'resolved', 'history'] as const);

/**
 * An action the viewer started that the engine has not confirmed yet.
 * @public
 */
export type PendingAction = 'intervene' | 'reply' | 'transfer' | 'release' | 'resolve' | 'set-attribute' | 'add-tag' | 'remove-tag';

/**
 * One row of a conversation list.
 * @public
 */
export interface ConversationSummary {
  /** The conversation id. */
  id: string;
  /** The contact id. */
  contactId: string;
  /** The contact's name, or their address when they have none. */
  title: string;
  /** The contact's channel address (phone number). */
  address: string;
  /** The lifecycle state, including the viewer's unconfirmed action. */
  state: ConversationState;
  /** Who owns it while intervened. */
  assignee: string | null;
  /** The owner's display name. */
  assigneeName: string | null;
  /** Newest activity (the list's order). */
  lastActivityAt: string;
  /** The newest message as one line of text. */
  preview: string;
  /** Who wrote the newest message. */
  lastAuthor: Author['type'] | null;
  /** The newest message's delivery status (for an outbound tick in the list). */
  lastStatus: MessageStatus | null;
  /** An unconfirmed action of the viewer on this conversation. */
  pending: PendingAction | null;
  /** The conversation record (with the viewer's unconfirmed action applied). */
  conversation: Conversation;
}

/**
 * One tab: its rows (newest activity first), where the next page starts, and its load state.
 * @public
 */
export interface TabState {
  /** The view. */
  view: InboxView;
  /** The rows loaded so far, including live arrivals. */
  items: readonly ConversationSummary[];
  /** Whether older rows remain to be loaded. */
  hasMore: boolean;
  /** `idle` until first shown, then `loading`, `ready` or `failed`. */
  status: 'idle' | 'loading' | 'ready' | 'failed';
}

/**
 * Delivery ticks as a chat shows them: a clock while queued, one tick sent, two delivered,
 * two blue read, a warning when failed; `null` for inbound messages.
 * @public
 */
export type DeliveryTick = 'clock' | 'sent' | 'delivered' | 'read' | 'failed' | null;

/**
 * A message as the chat shows it.
 * @public
 */
export interface MessageView {
  /** The message id (a local id until the engine confirms a reply). */
  id: string;
  /** In from the customer or out to them. */
  direction: 'inbound' | 'outbound';
  /** Who wrote it. */
  author: Author;
  /** The author's display name (the contact, "Bot", an agent's name, "System"). */
  authorName: string;
  /** The content as stored. */
  content: Content;
  /** The content as one line of text. */
  text: string;
  /** When it was sent. */
  at: string;
  /** Delivery status. */
  status: MessageStatus;
  /** The tick to draw. */
  tick: DeliveryTick;
  /** Why it failed, when it did. */
  error: DeliveryError | null;
  /** A reply the viewer sent that the engine has not confirmed yet. */
  local: boolean;
}

/**
 * The WhatsApp reply window of the open chat: free-form replies are allowed while `open` or
 * `closing-soon`; once `closed`, only a template may be sent.
 * @public
 */
export interface ReplyWindow {
  /** Where the window stands now (by the store's clock). */
  state: 'open' | 'closing-soon' | 'closed';
  /** When it closes (or closed); `null` when the customer never wrote. */
  closesAt: string | null;
}

/**
 * What the viewer may do with the open chat right now.
 * @public
 */
export interface ChatPermissions {
  /** Take the chat (Active, Requested or Resolved). */
  intervene: boolean;
  /** Answer, transfer, release and resolve (the assignee, or an admin). */
  manage: boolean;
}

/**
 * The open chat.
 * @public
 */
export interface OpenConversation {
  /** The conversation id. */
  id: string;
  /**
   * `loading` until read; `ready`; `hidden` once another agent took it (the viewer may no longer
   * see it); `missing` when it does not exist or was never visible.
   */
  status: 'loading' | 'ready' | 'hidden' | 'missing' | 'failed';
  /** Who took it, when `hidden`. */
  hiddenBy: string | null;
  /** Its row (the same object as in the lists). */
  summary: ConversationSummary | null;
  /** Messages, oldest first, with the viewer's unconfirmed replies at the end. */
  messages: readonly MessageView[];
  /** Whether older messages remain to be loaded. */
  hasOlder: boolean;
  /** The reply window, by the store's clock. */
  replyWindow: ReplyWindow;
  /** What the viewer may do. */
  can: ChatPermissions;
}

/**
 * One attribute of the profile.
 * @public
 */
export interface AttributeView {
  /** The key. */
  key: string;
  /** The label (from the session's fields, or the key). */
  label: string;
  /** The input hint. */
  type: NonNullable<AttributeField['type']>;
  /** The value, `null` when unset. */
  value: AttributeValue;
  /** Whether a change by the viewer is unconfirmed. */
  pending: boolean;
}

/**
 * One tag of the profile, with its provenance.
 * @public
 */
export interface TagView {
  /** The tag name. */
  name: string;
  /** Its catalog category, when it is in the catalog. */
  category: string | null;
  /** Its catalog colour. */
  color: string | null;
  /** How it was applied. */
  source: TagSource;
  /** Who applied it. */
  actor: Actor;
  /** Who applied it, as a name. */
  actorName: string;
  /** When. */
  at: string;
  /** The conversation it came from. */
  conversationId: string | null;
  /** The campaign it came from. */
  campaignId: string | null;
  /** An unconfirmed add or removal by the viewer. */
  pending: 'adding' | 'removing' | null;
}

/**
 * The user profile of the open chat's contact.
 * @public
 */
export interface ProfileView {
  /** The contact id. */
  contactId: string;
  /** The contact's name, or `null`. */
  name: string | null;
  /** The channel. */
  channel: string;
  /** The channel address. */
  address: string;
  /** The session's fields first, then every other attribute the contact has. */
  attributes: readonly AttributeView[];
  /** Tags, newest first. */
  tags: readonly TagView[];
  /** Catalog tags the contact does not have yet (the dropdown's choices). */
  availableTags: readonly TagDefinition[];
  /** First message ever. */
  firstSeenAt: string;
  /** Latest activity. */
  lastSeenAt: string;
  /** The ad or post the contact came from. */
  referral: Referral | null;
  /** The contact record (with the viewer's unconfirmed changes applied). */
  contact: Contact;
}

/**
 * One entry of the customer journey, described for people.
 * @public
 */
export interface JourneyItem {
  /** The journey event id. */
  id: string;
  /** Its type. */
  type: JourneyEventType;
  /** When. */
  at: string;
  /** Who. */
  actor: Actor;
  /** Who, as a name. */
  actorName: string;
  /** What happened, in a short sentence ("Asha intervened"). */
  title: string;
  /** Details (a message preview, an attribute's old and new value). */
  detail: string | null;
  /** The conversation it belongs to. */
  conversationId: string | null;
  /** The raw event data. */
  data: Readonly<Record<string, unknown>>;
}

/**
 * The open chat contact's journey, newest first.
 * @public
 */
export interface JourneyView {
  /** The contact id. */
  contactId: string;
  /** `loading` until read. */
  status: 'loading' | 'ready' | 'failed';
  /** Entries, newest first. */
  items: readonly JourneyItem[];
  /** Whether older entries remain. */
  hasOlder: boolean;
}

/**
 * An engine error shown to the viewer after an action failed (and was rolled back).
 * @public
 */
export interface InboxNotice {
  /** Unique within the store. */
  id: number;
  /** The engine's error code (`ALREADY_INTERVENED`, `REPLY_WINDOW_CLOSED`, ...). */
  code: string;
  /** A sentence for people (names, not ids). */
  message: string;
  /** The action that failed. */
  action: PendingAction | 'load';
  /** The conversation concerned, if any. */
  conversationId: string | null;
  /** The error's structured details (`owner` for `ALREADY_INTERVENED`). */
  details: Readonly<Record<string, unknown>>;
}

/**
 * Everything an inbox page shows.
 * @public
 */
export interface InboxState {
  /** `loading` until the session and the first tab are read. */
  status: 'loading' | 'ready' | 'failed';
  /** The event connection. */
  connection: ConnectionStatus;
  /** The agent using the inbox. */
  viewer: Agent | null;
  /** Every agent, by id. */
  agents: Readonly<Record<string, Agent>>;
  /** The tab shown. */
  tab: InboxView;
  /** Each tab's rows. */
  tabs: Readonly<Record<InboxView, TabState>>;
  /** Each tab's count; `null` until read. */
  counts: Readonly<Record<InboxView, number | null>>;
  /** The open chat. */
  open: OpenConversation | null;
  /** The open chat contact's profile. */
  profile: ProfileView | null;
  /** The open chat contact's journey. */
  journey: JourneyView | null;
  /** Manual tags, by category order. */
  tagCatalog: readonly TagDefinition[];
  /** Templates for a closed reply window. */
  templates: readonly TemplateOption[];
  /** Errors to show, oldest first. */
  notices: readonly InboxNotice[];
}

const emptyTab = (view: InboxView): TabState => ({ view, items: [], hasMore: false, status: 'idle' });

/** The state before anything was read. */
export function initialState(): InboxState {
  return {
    status: 'loading',
    connection: 'connecting',
    viewer: null,
    agents: {},
    tab: 'active',
    tabs: {
      active: emptyTab('active'),
      requested: emptyTab('requested'),
      intervened: emptyTab('intervened'),
      resolved: emptyTab('resolved'),
      history: emptyTab('history'),
    },
    counts: { active: null, requested: null, intervened: null, resolved: null, history: null },
    open: null,
    profile: null,
    journey: null,
    tagCatalog: [],
    templates: [],
    notices: [],
  };
}
