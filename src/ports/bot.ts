import type { AttributeValue, Contact } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';
import type { Conversation } from '../model/conversation.js';
import type { Message } from '../model/message.js';

/**
 * What a bot is given for one inbound message.
 * @public
 */
export interface BotInput {
  /** The customer, with their attributes and tags. */
  contact: Contact;
  /** The conversation as the message left it. */
  conversation: Conversation;
  /** The inbound message to answer. */
  message: Message;
}

/**
 * What a bot decides. Every field is optional: an empty object means "stay silent".
 * @public
 */
export interface BotDecision {
  /** Messages to send, in order. */
  replies?: OutboundContent[];
  /** Ask for a human: the conversation moves to Requested. */
  handoff?: boolean | { reason?: string };
  /**
   * Profile attributes learnt from the message, validated against the attribute definitions like
   * an agent's; an invalid one makes the whole decision invalid (a bot failure).
   */
  attributes?: Record<string, AttributeValue>;
  /** Tags to apply (source `api`, actor `bot`). */
  tags?: string[];
}

/**
 * The bot port. Called after the inbound message is committed, outside any transaction; its
 * decision is applied as a unit of work of its own that re-checks the conversation state, so a
 * slow bot never blocks an agent, and an agent who intervened meanwhile wins.
 *
 * Contract: `respond` should honour `signal` (aborted when the engine's `botTimeoutMs` passes).
 * A bot that throws, rejects or times out makes the engine request a human (policy
 * `onBotFailure`).
 * @public
 */
export interface Bot {
  /**
   * Decides what to do about one inbound message. A bot that knows at once (rules over the
   * text) may return the decision itself rather than a promise, which spares the engine the
   * timeout it arms for a pending answer.
   */
  respond(input: BotInput, context: { signal: AbortSignal }): BotDecision | Promise<BotDecision>;
}
