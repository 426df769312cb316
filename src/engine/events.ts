import type { Campaign } from '../model/campaign.js';
import type { Contact } from '../model/contact.js';
import type { Conversation } from '../model/conversation.js';
import type { JourneyEvent, JourneyEventType } from '../model/journey.js';
import type { Message } from '../model/message.js';

/**
 * Events about a whole broadcast rather than one contact: it started, made progress (after each
 * batch queued or sent, with its figures), completed, or was cancelled.
 * @public
 */
export type BroadcastEventType = 'broadcast.started' | 'broadcast.progress' | 'broadcast.completed' | 'broadcast.cancelled';

/**
 * The names of engine events: every journey event type, plus `message.status` for delivery
 * receipts that move a message forward, `channel.error` for errors the channel reported
 * about the account or app rather than about one message, and the broadcast events.
 * @public
 */
export type LiveChatEventType = JourneyEventType | 'message.status' | 'channel.error' | BroadcastEventType;

/**
 * An error the channel reported outside any one message (for WhatsApp, the `errors` of a
 * webhook value: account or app problems). Carried by `channel.error` events.
 * @public
 */
export interface ChannelError {
  /** The channel that reported it (`whatsapp`). */
  channel: string;
  /** The channel's own error code, as a string. */
  code: string;
  /** What the channel said, for people. */
  message: string;
  /** Everything else the channel said (title, error data, the account it concerns). */
  details: Record<string, unknown>;
}

/**
 * An engine event, emitted after the unit of work that caused it committed. It carries the
 * records as committed, so a listener (a UI store, a stream) can apply it without a read.
 * @public
 */
export interface LiveChatEvent<T extends LiveChatEventType = LiveChatEventType> {
  /** The event's name. */
  type: T;
  /** When it happened (engine time). */
  at: string;
  /** The journey entry, when the event is one (every type but `message.status`). */
  journey: JourneyEvent | null;
  /** The conversation as committed, when the event concerns one. */
  conversation: Conversation | null;
  /** The contact as committed, when known. */
  contact: Contact | null;
  /** The message the event is about (a received, sent or updated message), if any. */
  message: Message | null;
  /** The reported error, on `channel.error` events only. */
  channelError?: ChannelError;
  /** On broadcast events: the campaign with its figures as committed. */
  campaign?: Campaign;
}

/**
 * Listener map of the engine's emitter: one entry per event type, and `*` for all of them.
 * @public
 */
export type LiveChatEvents = {
  [K in LiveChatEventType | '*']: (event: K extends LiveChatEventType ? LiveChatEvent<K> : LiveChatEvent) => void;
};
